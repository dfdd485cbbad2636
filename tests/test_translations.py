"""Every text a user reads has its Bahasa Indonesia translation."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("id") / "LC_MESSAGES" / "django.po"


def _untranslated(po_text: str) -> list[str]:
    """msgids whose translation is empty or fuzzy (the header aside)."""
    problems = []
    for block in po_text.split("\n\n")[1:]:
        lines = block.strip().splitlines()
        msgid = next((line for line in lines if line.startswith("msgid ")), "")
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        strings = [line for line in lines if line.startswith("msgstr")]
        # msgstr "" (a translation ending in an escaped quote also ends in two quotes)
        empty = all(re.fullmatch(r'msgstr(\[\d+\])? ""', line) for line in strings) and not any(
            line.startswith('"') and line != '""' for line in lines[lines.index(strings[0]) + 1 :]
        )
        if msgid and (fuzzy or empty):
            problems.append(msgid)
    return problems


def test_catalogue_covers_every_text_in_the_code(tmp_path):
    # Given a copy of the committed catalogue
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    env = {**os.environ, "DEBUG": "1", "LOCALE_DIR": str(tmp_path / "locale"), "PORTAL_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    # When the texts are extracted from the code again into that copy
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "-v", "0",
         "--ignore=.venv", "--ignore=var", "--ignore=tests", "--ignore=bench"],
        cwd=ROOT, env=env, check=True, timeout=120,
    )  # fmt: skip

    # Then no text is new or untranslated
    assert _untranslated((tmp_path / "locale" / CATALOGUE).read_text()) == []


def test_compiled_catalogue_matches_the_source():
    # The .mo is committed so the portal runs where gettext is not installed.
    po_text = (ROOT / "locale" / CATALOGUE).read_text()
    with open(ROOT / "locale" / CATALOGUE.with_suffix(".mo"), "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    translated = [key for key in catalog if key != ""]
    assert len(translated) == po_text.count("\nmsgid ") - 1  # less the header
    assert catalog["Log out"] == "Keluar"

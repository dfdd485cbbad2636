"""The import commands of both lists."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from ebudgeting.models import AccountCode
from eplanning.models import Nomenclature
from portal.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "level,code,name,parent_code,pemda,name_prov_if_different,previous_code,previous_name"


@pytest.fixture(autouse=True)
def english():
    """The output is asserted in English; Bahasa Indonesia is the site's default."""
    with translation.override("en"):
        yield


def test_import_nomenclature_command_adds_and_audits(tmp_path, capsys):
    # Given a file with a new sub-activity under a stored kegiatan, and an admin to name
    path = tmp_path / "nomenklatur.csv"
    path.write_text(f"{HEADER}\nsub_kegiatan,2.16.02.2.01.9001,Baru,2.16.02.2.01,KABKOT,,,\n")
    admin = UserFactory(email="kominfo@kupangkab.go.id")

    # When the command imports it
    call_command("import_nomenclature", str(path), "--edition", "Uji", "--actor", admin.email)

    # Then it is stored, the counts are printed and the audit log names the admin
    assert Nomenclature.objects.get(code="2.16.02.2.01.9001").edition == "Uji"
    assert "1 added" in capsys.readouterr().out
    assert AuditEntry.objects.get(object_type="eplanning.nomenclature").actor == admin


def test_import_nomenclature_command_reports_bad_rows(tmp_path, capsys):
    path = tmp_path / "nomenklatur.csv"
    path.write_text(f"{HEADER}\nsub_kegiatan,2.16.02.2.01.91,Baru,2.16.02.2.01,KABKOT,,,\n")

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_nomenclature", str(path))

    assert "Row 2: the code 2.16.02.2.01.91 is malformed" in capsys.readouterr().err
    assert Nomenclature.objects.filter(is_active=False).count() == 0


def test_import_account_codes_command_without_an_actor_names_the_command(tmp_path):
    path = tmp_path / "rekening.csv"
    path.write_text("level,code,name,parent_code,description\nsub_rincian_objek,5.1.02.01.01.9001,Uji,5.1.02.01.01,\n")

    call_command("import_account_codes", str(path))

    assert AccountCode.objects.filter(code="5.1.02.01.01.9001").exists()
    assert AuditEntry.objects.get(object_type="ebudgeting.accountcode").actor_label == "manage.py import_account_codes"


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_account_codes", "/nonexistent/rekening.csv")

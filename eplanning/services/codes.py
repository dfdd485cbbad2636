"""The planning nomenclature as reference data: its shape and its import."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.code_lists import CodeListSpec, ImportCounts, RowProblem, import_code_list, load_into, read_rows, unload

from ..choices import NOMENCLATURE_DEPTH, NomenclatureLevel
from ..models import Nomenclature

SHIPPED_FILE = Path(__file__).resolve().parent.parent / "data" / "nomenclature.csv"
SHIPPED_EDITION = "Permendagri 90/2019 pemutakhiran TA 2027"

# U.BB.PP.L.KK.SSSS; the program penunjang is listed once as the generic X.XX.01...
# L is 1 (province list) or 2 (regency/city list): the only variants this schema holds.
SEGMENTS = (r"\d|X", r"\d{2}|XX", r"\d{2}", r"[12]", r"\d{2}", r"\d{4}")
PEMDA_VARIANTS = {
    "PROV": (True, False),
    "KABKOT": (False, True),
    "PROV;KABKOT": (True, True),
}
CODE_MAX_LENGTH = 32


def _nomenclature_fields(row: dict) -> dict:
    variant = PEMDA_VARIANTS.get(row.get("pemda", "").replace(" ", "").upper())
    if variant is None:
        raise RowProblem(
            _("the pemda column says %(value)s (expected PROV, KABKOT or PROV;KABKOT)")
            % {"value": row.get("pemda") or "—"}
        )
    previous = row.get("previous_code", "")
    if previous and (len(previous) > CODE_MAX_LENGTH or NOMENCLATURE.code_problem(previous, row["level"])):
        raise RowProblem(_("the replaced code %(code)s is malformed") % {"code": previous})
    return {
        "name_province": row.get("name_prov_if_different", ""),
        "for_province": variant[0],
        "for_regency": variant[1],
        "previous_code": previous,
        "previous_name": row.get("previous_name", ""),
    }


NOMENCLATURE = CodeListSpec(
    label=_("planning nomenclature"),
    levels=tuple(NomenclatureLevel.values),
    depth={str(level): depth for level, depth in NOMENCLATURE_DEPTH.items()},
    segments=SEGMENTS,
    columns=("level", "code", "name", "parent_code", "pemda"),
    to_fields=_nomenclature_fields,
)


def nomenclature_import(*, file, filename: str, actor, edition: str = "") -> ImportCounts:
    """Import an updated official nomenclature (CSV or XLSX): every row valid or nothing
    saved; names update, new codes are added, codes no longer listed become inactive."""
    rows = read_rows(file, filename)
    return import_code_list(
        model=Nomenclature, spec=NOMENCLATURE, rows=rows, edition=edition.strip(), actor=actor, source=filename
    )


def load_shipped_nomenclature(apps, schema_editor=None) -> ImportCounts:
    """The data migration's loader: the list shipped in eplanning/data/."""
    model = apps.get_model("eplanning", "Nomenclature")
    with SHIPPED_FILE.open("rb") as file:
        rows = read_rows(file, SHIPPED_FILE.name)
    return load_into(model, NOMENCLATURE, rows, edition=SHIPPED_EDITION)


def unload_shipped_nomenclature(apps, schema_editor=None) -> None:
    unload(apps.get_model("eplanning", "Nomenclature"))

"""The account codes and funding sources as reference data: their shape and import."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from portal.code_lists import CodeListSpec, ImportCounts, import_code_list, load_into, read_rows, unload

from ..choices import ACCOUNT_DEPTH, AccountLevel
from ..models import AccountCode

SHIPPED_FILE = Path(__file__).resolve().parent.parent / "data" / "account_codes.csv"
SHIPPED_EDITION = "Permendagri 90/2019 (kode belanja)"

# akun.kelompok.jenis.objek.rincian objek.sub rincian objek: 5.1.02.01.01.0024
SEGMENTS = (r"\d", r"\d", r"\d{2}", r"\d{2}", r"\d{2}", r"\d{4}")

# Where a budget line's money comes from; short codes as budget exports use them.
FUNDING_SOURCES = (
    ("PAD", "Pendapatan Asli Daerah (PAD)"),
    ("DAU", "Dana Alokasi Umum (DAU)"),
    ("DAK-FISIK", "Dana Alokasi Khusus Fisik (DAK Fisik)"),
    ("DAK-NONFISIK", "Dana Alokasi Khusus Non Fisik (DAK Non Fisik)"),
    ("DBH", "Dana Bagi Hasil (DBH)"),
    ("DID", "Dana Insentif Daerah (DID)"),
    ("PINJAMAN", "Pinjaman Daerah"),
    ("LAIN", "Lain-lain Pendapatan Daerah yang Sah"),
)


def _account_fields(row: dict) -> dict:
    return {"description": row.get("description", "")}


ACCOUNTS = CodeListSpec(
    label=_("account codes"),
    levels=tuple(AccountLevel.values),
    depth={str(level): depth for level, depth in ACCOUNT_DEPTH.items()},
    segments=SEGMENTS,
    to_fields=_account_fields,
)


def account_codes_import(*, file, filename: str, actor, edition: str = "") -> ImportCounts:
    """Import an updated official list of account codes (CSV or XLSX), all or nothing."""
    rows = read_rows(file, filename)
    return import_code_list(
        model=AccountCode, spec=ACCOUNTS, rows=rows, edition=edition.strip(), actor=actor, source=filename
    )


def load_shipped_account_codes(apps, schema_editor=None) -> ImportCounts:
    """The data migration's loader: the list shipped in ebudgeting/data/."""
    model = apps.get_model("ebudgeting", "AccountCode")
    with SHIPPED_FILE.open("rb") as file:
        rows = read_rows(file, SHIPPED_FILE.name)
    return load_into(model, ACCOUNTS, rows, edition=SHIPPED_EDITION)


def unload_shipped_account_codes(apps, schema_editor=None) -> None:
    unload(apps.get_model("ebudgeting", "AccountCode"))


def load_funding_sources(apps, schema_editor=None) -> None:
    model = apps.get_model("ebudgeting", "FundingSource")
    for code, name in FUNDING_SOURCES:
        model._base_manager.update_or_create(code=code, defaults={"name": name, "is_active": True})


def unload_funding_sources(apps, schema_editor=None) -> None:
    apps.get_model("ebudgeting", "FundingSource")._base_manager.filter(
        code__in=[code for code, _name in FUNDING_SOURCES]
    ).delete()

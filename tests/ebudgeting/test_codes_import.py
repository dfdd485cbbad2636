"""Importing the account codes, and the shipped account codes and funding sources."""

import io

import pytest
from django.apps import apps
from django.utils import translation
from openpyxl import Workbook

from ebudgeting.models import AccountCode, FundingSource
from ebudgeting.services.codes import (
    FUNDING_SOURCES,
    account_codes_import,
    load_funding_sources,
    load_shipped_account_codes,
)
from portal.code_lists import CodeListError
from portal.models import AuditEntry
from tests.factories import UserFactory
from tests.support.code_lists import list_emptied_for_the_module

pytestmark = pytest.mark.django_db

HEADER = ["level", "code", "name", "parent_code", "description"]
ROWS = [
    ["akun", "5", "BELANJA DAERAH", "", ""],
    ["kelompok", "5.1", "BELANJA OPERASI", "5", ""],
    ["jenis", "5.1.02", "Belanja Barang dan Jasa", "5.1", ""],
    ["objek", "5.1.02.01", "Belanja Barang", "5.1.02", ""],
    ["rincian_objek", "5.1.02.01.01", "Belanja Barang Pakai Habis", "5.1.02.01", ""],
    ["sub_rincian_objek", "5.1.02.01.01.0024", "Belanja Alat Tulis Kantor", "5.1.02.01.01", "ATK"],
]


def workbook(rows):
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture(scope="module", autouse=True)
def empty_list(django_db_setup, django_db_blocker):
    """These tests start without the list the data migration ships: cleared once for the
    module, each test in its own savepoint (tests.support.code_lists)."""
    with list_emptied_for_the_module(AccountCode, django_db_blocker):
        yield


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English; Bahasa Indonesia is the site's default."""
    with translation.override("en"):
        yield


@pytest.fixture
def actor():
    return UserFactory()


def run(rows, actor):
    return account_codes_import(file=workbook(rows), filename="rekening.xlsx", actor=actor, edition="Uji")


def test_import_adds_six_levels_and_audits_the_counts(empty_list, actor):
    counts = run(ROWS, actor)

    assert counts.as_dict() == {"added": 6, "updated": 0, "deactivated": 0, "unchanged": 0}
    leaf = AccountCode.objects.get(code="5.1.02.01.01.0024")
    assert (leaf.parent.code, leaf.description, leaf.edition) == ("5.1.02.01.01", "ATK", "Uji")
    assert AuditEntry.objects.get(object_type="ebudgeting.accountcode").changes["added"] == 6


def test_reimport_is_idempotent_and_updates_descriptions(empty_list, actor):
    run(ROWS, actor)
    assert run(ROWS, actor).as_dict() == {"added": 0, "updated": 0, "deactivated": 0, "unchanged": 6}

    changed = [*ROWS[:5], [*ROWS[5][:4], "Alat tulis kantor"]]
    assert run(changed, actor).updated == 1
    assert AccountCode.objects.get(code="5.1.02.01.01.0024").description == "Alat tulis kantor"


def test_a_dropped_account_is_kept_inactive(empty_list, actor):
    run(ROWS, actor)

    counts = run(ROWS[:5], actor)

    assert counts.deactivated == 1
    assert AccountCode.objects.filter(code="5.1.02.01.01.0024", is_active=False).exists()


@pytest.mark.parametrize(
    "bad, reason",
    [
        (["sub_rincian_objek", "5.1.02.01.01.24", "ATK", "5.1.02.01.01", ""], "is malformed"),
        (["rincian_objek", "5.1.02.01.02.0001", "ATK", "5.1.02.01", ""], "has 6 parts"),
        (["rekening", "5.1.02.01.01.0025", "ATK", "5.1.02.01.01", ""], "is unknown"),
        (["sub_rincian_objek", "5.1.02.01.02.0001", "ATK", "5.1.02.01.02", ""], "neither in the file"),
        (["sub_rincian_objek", "5.1.02.01.01.0025", "ATK", "5.1.02.01", ""], "is a objek"),
        (["sub_rincian_objek", "5.1.02.01.01.0025", "", "5.1.02.01.01", ""], "the name is empty"),
        (["sub_rincian_objek", "5.1.02.01.01.0024", "ATK", "5.1.02.01.01", ""], "already on row 7"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(empty_list, actor, bad, reason):
    with pytest.raises(CodeListError) as raised:
        run([*ROWS, bad], actor)

    assert [(e.row, reason in e.message) for e in raised.value.errors] == [(8, True)]
    assert not AccountCode.objects.exists()


def test_the_shipped_list_loads_in_full(empty_list):
    counts = load_shipped_account_codes(apps)

    assert counts.added == AccountCode.objects.count() == 3413
    assert AccountCode.objects.filter(level="sub_rincian_objek").count() == 3005
    assert AccountCode.objects.get(code="5.1.02.01.01.0024").parent.code == "5.1.02.01.01"


def test_the_funding_sources_load_once():
    FundingSource.objects.all().delete()

    load_funding_sources(apps)
    load_funding_sources(apps)

    assert set(FundingSource.objects.values_list("code", flat=True)) == {code for code, _name in FUNDING_SOURCES}
    assert FundingSource.objects.get(code="DAK-FISIK").name.startswith("Dana Alokasi Khusus Fisik")

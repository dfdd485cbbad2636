"""Importing the planning nomenclature: every row checked, all or nothing, idempotent."""

import io

import pytest
from django.apps import apps
from django.utils import translation

from eplanning.models import Nomenclature
from eplanning.services.codes import load_shipped_nomenclature, nomenclature_import
from portal.code_lists import CodeListError
from portal.models import AuditEntry
from tests.factories import UserFactory
from tests.support.code_lists import list_emptied_for_the_module

pytestmark = pytest.mark.django_db

HEADER = "level,code,name,parent_code,pemda,name_prov_if_different,previous_code,previous_name"
ROWS = [
    "urusan,2,URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR,,PROV;KABKOT,,,",
    "bidang_urusan,2.16,URUSAN PEMERINTAHAN BIDANG KOMUNIKASI DAN INFORMATIKA,2,PROV;KABKOT,,,",
    "program,2.16.02,PROGRAM PENGELOLAAN INFORMASI DAN KOMUNIKASI PUBLIK,2.16,PROV;KABKOT,,,",
    "kegiatan,2.16.02.2.01,Pengelolaan Informasi dan Komunikasi Publik,2.16.02,KABKOT,,,",
    "sub_kegiatan,2.16.02.2.01.0020,Diseminasi Informasi,2.16.02.2.01,KABKOT,,,",
    "urusan,X,URUSAN X.XX,,PROV;KABKOT,,,",
    "bidang_urusan,X.XX,BIDANG X.XX,X,PROV;KABKOT,,,",
    "program,X.XX.01,PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA,X.XX,PROV;KABKOT,"
    "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH PROVINSI,,",
]


def as_file(rows, header=HEADER):
    return io.BytesIO("\n".join([header, *rows]).encode())


@pytest.fixture(scope="module", autouse=True)
def empty_list(django_db_setup, django_db_blocker):
    """These tests start without the list the data migration ships: cleared once for the
    module, each test in its own savepoint (tests.support.code_lists)."""
    with list_emptied_for_the_module(Nomenclature, django_db_blocker):
        yield


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English; Bahasa Indonesia is the site's default."""
    with translation.override("en"):
        yield


@pytest.fixture
def actor():
    return UserFactory()


def run(rows, actor, **kwargs):
    return nomenclature_import(file=as_file(rows), filename="nomenklatur.csv", actor=actor, **kwargs)


def test_import_adds_the_tree_with_parents_and_variants(empty_list, actor):
    # Given a small official list
    # When it is imported
    counts = run(ROWS, actor, edition="Pemutakhiran TA 2028")

    # Then every code is stored under its parent, in its variant, and one audit entry counts them
    assert counts.as_dict() == {"added": 8, "updated": 0, "deactivated": 0, "unchanged": 0}
    sub = Nomenclature.objects.get(code="2.16.02.2.01.0020")
    assert sub.parent.code == "2.16.02.2.01" and sub.parent.parent.code == "2.16.02"
    assert (sub.for_province, sub.for_regency) == (False, True)
    assert sub.edition == "Pemutakhiran TA 2028"
    assert Nomenclature.objects.get(code="X.XX.01").name_province.endswith("PROVINSI")
    entry = AuditEntry.objects.get(object_type="eplanning.nomenclature")
    assert entry.actor == actor and entry.changes["added"] == 8 and entry.changes["file"] == "nomenklatur.csv"


def test_second_run_of_the_same_list_changes_nothing(empty_list, actor):
    # Given an imported list
    run(ROWS, actor)

    # When the same list is imported again
    counts = run(ROWS, actor)

    # Then nothing is added, updated or deactivated
    assert counts.as_dict() == {"added": 0, "updated": 0, "deactivated": 0, "unchanged": 8}
    assert Nomenclature.objects.count() == 8


def test_a_renamed_code_is_updated(empty_list, actor):
    run(ROWS, actor)
    renamed = [r.replace("Diseminasi Informasi,", "Diseminasi Informasi Publik,") for r in ROWS]

    counts = run(renamed, actor)

    assert (counts.updated, counts.added) == (1, 0)
    assert Nomenclature.objects.get(code="2.16.02.2.01.0020").name == "Diseminasi Informasi Publik"


def test_a_dropped_code_in_use_stays_inactive_and_its_successor_is_found(empty_list, actor):
    # Given a list whose sub-activity a plan would use
    run(ROWS, actor)
    old = Nomenclature.objects.get(code="2.16.02.2.01.0020")

    # When a newer list replaces it with a new code that names it as the code it replaces
    newer = [r for r in ROWS if "0020" not in r] + [
        "sub_kegiatan,2.16.02.2.01.0026,Sosialisasi/Diseminasi Informasi serta Pengelolaan Media Komunikasi Publik,"
        "2.16.02.2.01,KABKOT,,2.16.02.2.01.0020,Diseminasi Informasi"
    ]
    counts = run(newer, actor)

    # Then the old code is kept (same row), marked inactive, and its successor is found
    assert (counts.added, counts.deactivated) == (1, 1)
    old.refresh_from_db()
    assert old.is_active is False
    assert [n.code for n in Nomenclature.objects.successors_of(old.code)] == ["2.16.02.2.01.0026"]


def test_a_code_listed_again_becomes_active_again(empty_list, actor):
    run(ROWS, actor)
    run([r for r in ROWS if "0020" not in r], actor)

    counts = run(ROWS, actor)

    assert counts.updated == 1
    assert Nomenclature.objects.get(code="2.16.02.2.01.0020").is_active


def _replace_row(index, line):
    rows = list(ROWS)
    rows[index] = line
    return rows


BAD = {
    "malformed code": (
        _replace_row(4, "sub_kegiatan,2.16.02.2.01.20,Diseminasi,2.16.02.2.01,KABKOT,,,"),
        6,
        "the code 2.16.02.2.01.20 is malformed",
    ),
    "letters in a code": (
        _replace_row(4, "sub_kegiatan,2.16.02.2.0A.0020,Diseminasi,2.16.02.2.01,KABKOT,,,"),
        6,
        "is malformed",
    ),
    "special-region variant": (
        _replace_row(4, "sub_kegiatan,2.16.02.5.01.0020,Diseminasi,2.16.02.2.01,KABKOT,,,"),
        6,
        "is malformed",
    ),
    "wrong depth for the level": (
        [*ROWS, "kegiatan,2.16.02.2.02.0001,Pengelolaan,2.16.02,KABKOT,,,"],
        10,
        "has 6 parts, a code of level kegiatan has 5",
    ),
    "missing parent": (
        _replace_row(4, "sub_kegiatan,2.16.03.2.01.0020,Diseminasi,2.16.03.2.01,KABKOT,,,"),
        6,
        "the parent 2.16.03.2.01 is neither in the file nor already stored",
    ),
    "parent of the wrong level": (
        _replace_row(4, "sub_kegiatan,2.16.02.2.01.0020,Diseminasi,2.16.02,KABKOT,,,"),
        6,
        "the parent 2.16.02 is a program, a sub_kegiatan belongs to a kegiatan",
    ),
    "code outside its parent": (
        [*ROWS, "sub_kegiatan,2.17.02.2.01.0001,Lain,2.16.02.2.01,KABKOT,,,"],
        10,
        "does not start with its parent's code 2.16.02.2.01",
    ),
    "empty name": (
        _replace_row(4, "sub_kegiatan,2.16.02.2.01.0020,,2.16.02.2.01,KABKOT,,,"),
        6,
        "the name is empty",
    ),
    "duplicate code": (
        [*ROWS, "sub_kegiatan,2.16.02.2.01.0020,Diseminasi lagi,2.16.02.2.01,KABKOT,,,"],
        10,
        "the code 2.16.02.2.01.0020 is already on row 6",
    ),
    "unknown level": (
        _replace_row(4, "subkegiatan,2.16.02.2.01.0020,Diseminasi,2.16.02.2.01,KABKOT,,,"),
        6,
        "the level subkegiatan is unknown",
    ),
    "unknown variant": (
        _replace_row(4, "sub_kegiatan,2.16.02.2.01.0020,Diseminasi,2.16.02.2.01,DESA,,,"),
        6,
        "the pemda column says DESA",
    ),
    "top level with a parent": (
        _replace_row(0, "urusan,2,URUSAN,1,PROV;KABKOT,,,"),
        2,
        "a code of level urusan has no parent",
    ),
}


@pytest.mark.parametrize("rows, row_number, reason", BAD.values(), ids=BAD.keys())
def test_a_bad_row_is_reported_with_its_number_and_nothing_is_saved(empty_list, actor, rows, row_number, reason):
    # Given a list with one bad row among good ones
    # When it is imported
    with pytest.raises(CodeListError) as raised:
        run(rows, actor)

    # Then the error names the row and the reason, and nothing at all was saved
    assert [(e.row, reason in e.message) for e in raised.value.errors] == [(row_number, True)]
    assert f"Row {row_number}: " in raised.value.messages[0]
    assert not Nomenclature.objects.exists()
    assert not AuditEntry.objects.filter(object_type="eplanning.nomenclature").exists()


def test_a_bad_row_in_a_reimport_leaves_the_stored_list_as_it_was(empty_list, actor):
    run(ROWS, actor)
    renamed = [r.replace("Diseminasi Informasi,", "Nama Baru,") for r in ROWS]
    renamed_and_broken = [*renamed, "program,2.16.9,X,2.16,,,,"]

    with pytest.raises(CodeListError):
        run(renamed_and_broken, actor)

    assert Nomenclature.objects.get(code="2.16.02.2.01.0020").name == "Diseminasi Informasi"


def test_a_parent_already_stored_may_be_left_out_of_the_file(empty_list, actor):
    run(ROWS, actor)

    counts = run([*ROWS[:4], "sub_kegiatan,2.16.02.2.01.0021,Baru,2.16.02.2.01,KABKOT,,,"], actor)

    assert counts.added == 1
    assert Nomenclature.objects.get(code="2.16.02.2.01.0021").parent.code == "2.16.02.2.01"


def test_missing_columns_are_reported(empty_list, actor):
    with pytest.raises(CodeListError) as raised:
        nomenclature_import(file=as_file(["2,URUSAN"], header="code,name"), filename="n.csv", actor=actor)
    assert "the columns level, parent_code, pemda are missing" in raised.value.messages[0]


def test_other_file_kinds_are_refused(empty_list, actor):
    with pytest.raises(CodeListError) as raised:
        nomenclature_import(file=io.BytesIO(b"x"), filename="n.pdf", actor=actor)
    assert "only CSV and XLSX" in raised.value.messages[0]


def test_an_xlsx_workbook_imports_like_a_csv(empty_list, actor):
    from openpyxl import Workbook

    book = Workbook()
    for line in [HEADER, *ROWS]:
        book.active.append(line.split(",") if not line.startswith("program,X") else ROWS[-1].split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)

    counts = nomenclature_import(file=buffer, filename="nomenklatur.xlsx", actor=actor)

    assert counts.added == 8


def test_an_unreadable_workbook_is_refused(empty_list, actor):
    with pytest.raises(CodeListError) as raised:
        nomenclature_import(file=io.BytesIO(b"not a zip"), filename="n.xlsx", actor=actor)
    assert "not a readable XLSX" in raised.value.messages[0]


def test_the_shipped_list_loads_in_full(empty_list):
    # Given empty tables (the data migration's loader, called as the migration calls it)
    counts = load_shipped_nomenclature(apps)

    # Then all 6,275 codes of SOURCES.md are there, with the links of the updated list
    assert counts.added == Nomenclature.objects.count() == 6275
    assert Nomenclature.objects.filter(level="sub_kegiatan").count() == 5192
    assert Nomenclature.objects.filter(previous_code__gt="").count() == 332
    assert Nomenclature.objects.successors_of("2.16.02.2.01.0020").get().code == "2.16.02.2.01.0026"
    assert not Nomenclature.objects.filter(parent__isnull=True).exclude(level="urusan").exists()

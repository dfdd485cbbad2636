"""portal.search.text_search: PostgreSQL full-text search with the 'simple' configuration,
and the icontains fallback any other database gets."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Agency
from portal.search import search_words, text_search
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(kab_kupang):
    return {
        "pupr": AgencyFactory(region=kab_kupang, code="PUPR", name="Dinas Pekerjaan Umum dan Penataan Ruang"),
        "kominfo": AgencyFactory(region=kab_kupang, code="KOMINFO", name="Dinas Komunikasi dan Informatika"),
        "bappeda": AgencyFactory(region=kab_kupang, code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah"),
    }


def _codes(query, fields=("name", "code")):
    return set(text_search(Agency.objects.all(), fields, query).values_list("code", flat=True))


def _sql(query) -> str:
    with CaptureQueriesContext(connection) as captured:
        list(text_search(Agency.objects.all(), ("name", "code"), query))
    return captured.captured_queries[-1]["sql"]


def test_words_are_letters_and_digits_only():
    assert search_words(" jalan-desa & (Oelnasi) | !2027 _ ") == ["jalan", "desa", "Oelnasi", "2027"]
    assert search_words(None) == []


def test_no_words_leaves_the_queryset_unchanged(agencies):
    assert _codes("") == _codes(None) == _codes(" &|! ") == {"PUPR", "KOMINFO", "BAPPEDA"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
def test_postgresql_uses_full_text_search_with_the_simple_configuration(agencies):
    sql = _sql("dinas")
    assert "to_tsvector" in sql and "simple" in sql
    assert "LIKE" not in sql.upper()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dinas", {"PUPR", "KOMINFO"}),  # any row with the word
        ("DINAS informatika", {"KOMINFO"}),  # every word, any case
        ("komun", {"KOMINFO"}),  # a word matches what starts with it
        ("bappeda", {"BAPPEDA"}),  # in any of the fields
        ("dinas badan", set()),  # no row holds both
        ("ruang & | ! :*", {"PUPR"}),  # operators are dropped, never a syntax error
    ],
)
def test_matches(agencies, query, expected):
    assert _codes(query) == expected


def test_fallback_on_other_databases_is_icontains_on_every_word(agencies, monkeypatch):
    # given a database that is not PostgreSQL (the embedded SQLite default)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    # then the query is a LIKE per word and field, and finds the same rows
    sql = _sql("dinas informatika")
    assert "to_tsvector" not in sql
    assert sql.upper().count("LIKE") == 4
    assert _codes("DINAS informatika") == {"KOMINFO"}
    assert _codes("komun") == {"KOMINFO"}
    assert _codes("dinas badan") == set()
    assert _codes("ruang & | !") == {"PUPR"}

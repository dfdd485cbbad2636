"""The ledger and realization API: scoped reads, one action per change, clear errors."""

from decimal import Decimal

import pytest

from ebudgeting.models import LedgerEntry, Realization
from ebudgeting.services.ledger import ledger_commit
from tests.ebudgeting.factories import BudgetLineFactory
from tests.ebudgeting.factories_ledger import approved_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def line(kab_kupang):
    return BudgetLineFactory(document=approved_document(kab_kupang))


@pytest.fixture
def foreign_line(kota_kupang):
    return BudgetLineFactory(document=approved_document(kota_kupang))


def test_a_ppk_commits_and_releases_through_the_api(api_client, make_member, line):
    api_client.force_authenticate(make_member(line.document.agency, "ppk"))
    response = api_client.post(
        "/api/ebudgeting/ledger/commit/", {"line": line.pk, "amount": "4000000", "reference": "KTR-1"}
    )
    assert response.status_code == 201 and response.json()["kind"] == "commit"
    response = api_client.post("/api/ebudgeting/ledger/release/", {"reference": "KTR-1"})
    assert response.status_code == 200 and [e["amount"] for e in response.json()] == ["4000000.00"]
    line.refresh_from_db()
    assert line.committed == 0


def test_commit_over_available_is_a_400_with_the_reason(api_client, make_member, line):
    api_client.force_authenticate(make_member(line.document.agency, "budget_officer"))
    response = api_client.post(
        "/api/ebudgeting/ledger/commit/",
        {"line": line.pk, "amount": "12000000.01", "reference": "K"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "available" in response.json()["amount"][0]
    assert not LedgerEntry.objects.exists()


def test_release_of_an_unknown_reference_is_a_400(api_client, make_member, line):
    api_client.force_authenticate(make_member(line.document.agency, "ppk"))
    assert api_client.post("/api/ebudgeting/ledger/release/", {"reference": "NOPE"}).status_code == 400


def test_realize_through_the_actions_endpoint(api_client, make_member, line):
    user = make_member(line.document.agency, "ppk")
    ledger_commit(line_id=line.pk, amount="5000000", reference="KTR-2", actor=user)
    api_client.force_authenticate(user)
    payload = {"line": line.pk, "number": "SP2D-9", "date": "2026-06-01", "amount": "5000000", "purpose": "Termin 1"}
    response = api_client.post("/api/ebudgeting/ledger/realize/", {**payload, "reference": "KTR-2"})
    assert response.status_code == 201
    line.refresh_from_db()
    assert (line.committed, line.realized) == (0, Decimal("5000000"))


def test_a_treasurer_records_a_realization_and_lists_them(api_client, make_member, line):
    api_client.force_authenticate(make_member(line.document.agency, "treasurer"))
    payload = {"line": line.pk, "number": "SP2D-1", "date": "2026-02-03", "amount": "100000", "purpose": "ATK"}
    assert api_client.post("/api/ebudgeting/realizations/", payload).status_code == 201
    listed = api_client.get("/api/ebudgeting/realizations/", {"document": line.document_id}).json()
    assert [r["number"] for r in listed["results"]] == ["SP2D-1"]
    entries = api_client.get("/api/ebudgeting/ledger-entries/", {"line": line.pk}).json()["results"]
    assert [e["kind"] for e in entries] == ["realize"]


def test_only_treasurers_record_realizations_through_the_list_endpoint(api_client, make_member, line):
    api_client.force_authenticate(make_member(line.document.agency, "planner"))
    payload = {"line": line.pk, "number": "SP2D-1", "date": "2026-02-03", "amount": "1", "purpose": "ATK"}
    assert api_client.post("/api/ebudgeting/realizations/", payload).status_code == 403
    assert not Realization.objects.exists()


def test_a_planner_may_not_commit(api_client, make_member, line):
    api_client.force_authenticate(make_member(line.document.agency, "planner"))
    response = api_client.post("/api/ebudgeting/ledger/commit/", {"line": line.pk, "amount": "1", "reference": "K"})
    assert response.status_code == 403


def test_kab_kupang_cannot_read_or_move_kota_kupang_money(api_client, make_member, line, foreign_line):
    ledger_commit(line_id=foreign_line.pk, amount="100", reference="KOTA-1", actor=None)
    api_client.force_authenticate(make_member(line.document.agency, "ppk"))
    assert api_client.get("/api/ebudgeting/ledger-entries/").json()["results"] == []
    assert api_client.get("/api/ebudgeting/realizations/").json()["results"] == []
    commit = {"line": foreign_line.pk, "amount": "1", "reference": "K"}
    assert api_client.post("/api/ebudgeting/ledger/commit/", commit).status_code == 400
    assert api_client.post("/api/ebudgeting/ledger/release/", {"reference": "KOTA-1"}).status_code == 400
    foreign_line.refresh_from_db()
    assert foreign_line.committed == Decimal("100")


def test_the_schema_describes_the_ledger_endpoints(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/ebudgeting/ledger/commit/", "/api/ebudgeting/ledger/release/", "/api/ebudgeting/realizations/"):
        assert path in schema["paths"]

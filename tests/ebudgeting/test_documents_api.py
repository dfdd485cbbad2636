"""The budget document and line API: scoped, one action per state change, and no way to
write status, amount, committed or realized."""

from decimal import Decimal

import pytest
from django.utils import translation

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetDocument, BudgetLine
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world

pytestmark = pytest.mark.django_db
DOCS = "/api/ebudgeting/documents/"
LINES = "/api/ebudgeting/lines/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(kab_kupang):
    world = budget_world(kab_kupang)
    world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    world.line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    return world


def line_payload(world, **overrides):
    return {
        "document": world.document.pk,
        "plan_item": world.plan_item.pk,
        "account": world.account.pk,
        "funding_source": world.funding.pk,
        "description": "Belanja API",
        "volume": "2",
        "unit": "paket",
        "unit_price": "600.00",
        "cash_plan": ["100.00"] * 12,
        **overrides,
    }


def test_officer_adds_a_line_with_its_cash_plan(api_client, world):
    api_client.force_authenticate(world.officer)
    response = api_client.post(LINES, line_payload(world, amount="999", committed="5"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "1200.00"
    assert response.json()["committed"] == "0.00"
    assert response.json()["cash_plan"] == ["100.00"] * 12


def test_cash_plan_not_adding_up_is_a_400_and_nothing_saved(api_client, world):
    api_client.force_authenticate(world.officer)
    payload = line_payload(world, cash_plan=["1.00"] * 12)
    response = api_client.post(LINES, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "cash plan" in str(response.json())
    assert BudgetLine.objects.count() == 1


def test_patch_changes_the_line_not_its_ledger(api_client, world):
    api_client.force_authenticate(world.officer)
    response = api_client.patch(f"{LINES}{world.line.pk}/", {"description": "Baru", "realized": "7"}, format="json")
    assert response.status_code == 200
    line = BudgetLine.objects.get(pk=world.line.pk)
    assert (line.description, line.realized) == ("Baru", Decimal("0"))


def test_workflow_actions(api_client, world, activate_totp):
    api_client.force_authenticate(world.officer)
    assert api_client.post(f"{DOCS}{world.document.pk}/submit/").json()["status"] == "submitted"
    assert api_client.post(f"{DOCS}{world.document.pk}/verify/").status_code == 403
    api_client.force_authenticate(world.verifier)
    assert api_client.post(f"{DOCS}{world.document.pk}/return/", {"reason": ""}).status_code == 400
    assert api_client.post(f"{DOCS}{world.document.pk}/verify/").json()["status"] == "verified"
    response = api_client.post(f"{DOCS}{world.document.pk}/approve/")
    assert response.json()["status"] == "approved" and response.json()["number"]
    api_client.force_authenticate(world.officer)
    response = api_client.post(f"{DOCS}{world.document.pk}/revise/", {"kind": "shift"})
    assert response.status_code == 201 and response.json()["version"] == 2


def test_refused_transition_is_a_400(api_client, world):
    api_client.force_authenticate(world.verifier)
    response = api_client.post(f"{DOCS}{world.document.pk}/approve/")
    assert response.status_code == 400
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.DRAFT


def test_status_is_not_writable(api_client, world):
    api_client.force_authenticate(world.officer)
    assert api_client.patch(f"{DOCS}{world.document.pk}/", {"status": "approved"}).status_code == 405


def test_another_region_sees_nothing(api_client, world, kota_kupang):
    api_client.force_authenticate(budget_world(kota_kupang).officer)
    body = api_client.get(DOCS).json()
    assert (body["results"] if isinstance(body, dict) else body) == []
    assert api_client.get(f"{DOCS}{world.document.pk}/").status_code == 404
    assert api_client.post(f"{DOCS}{world.document.pk}/submit/").status_code == 404
    assert api_client.get(f"{LINES}{world.line.pk}/").status_code == 404
    assert api_client.delete(f"{LINES}{world.line.pk}/").status_code == 404
    assert api_client.post(LINES, line_payload(world), format="json").status_code in (400, 404)
    assert BudgetLine.objects.count() == 1


def test_list_is_scoped(api_client, world, kota_kupang):
    other = budget_world(kota_kupang)
    BudgetDocumentFactory(agency=other.agency, fiscal_year=other.year)
    api_client.force_authenticate(world.officer)
    body = api_client.get(DOCS).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["agency"] for row in rows] == [world.agency.pk]

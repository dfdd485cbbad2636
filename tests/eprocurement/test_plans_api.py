"""The RUP API: scoped list/retrieve, create and update of drafts, announce and cancel as
actions, and the public list of announced items."""

from decimal import Decimal

import pytest

from ebudgeting.models import BudgetLine
from eprocurement.choices import PlanItemStatus
from eprocurement.models import ProcurementPlanItem
from eprocurement.services.plans import plan_item_announce, plan_item_create
from tests.eprocurement.factories_plans import fundings, item_data, rup_world

URL = "/api/eprocurement/rup/"


@pytest.fixture
def world(kab_kupang):
    return rup_world(kab_kupang)


@pytest.fixture
def other(kota_kupang):
    return rup_world(kota_kupang)


def drafted(world, name="Laptop"):
    return plan_item_create(
        agency=world.agency,
        fiscal_year=world.year,
        data=item_data(name=name),
        fundings=fundings((world.lines[0], "150000000")),
        actor=world.ppk,
    )


def body(world, **overrides):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in item_data().items()}
    data |= {"agency": world.agency.pk, "fiscal_year": 2026}
    data["fundings"] = [{"budget_line": world.lines[0].pk, "amount": "120000000.00"}]
    data.update(overrides)
    return data


def test_create_a_draft(api_client, world):
    api_client.force_authenticate(world.ppk)
    response = api_client.post(URL, body(world), format="json")
    assert response.status_code == 201, response.data
    assert response.data["value"] == "120000000.00" and response.data["status"] == "draft"
    assert response.data["rup_code"] is None and response.data["small_business_reserved"] is True


def test_status_value_and_code_are_not_writable(api_client, world):
    api_client.force_authenticate(world.ppk)
    response = api_client.post(URL, body(world, status="announced", value="1.00", rup_code="X"), format="json")
    assert response.status_code == 201
    item = ProcurementPlanItem.objects.get()
    assert (item.status, item.value, item.rup_code) == (PlanItemStatus.DRAFT, Decimal("120000000.00"), None)


def test_bad_input_is_a_clear_error_and_nothing_saved(api_client, world):
    api_client.force_authenticate(world.ppk)
    too_much = [{"budget_line": world.lines[0].pk, "amount": "999999999.00"}]
    response = api_client.post(URL, body(world, fundings=too_much), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "is available on" in str(response.data)
    response = api_client.post(URL, body(world, method="tender"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "direct procurement limit" in str(response.data["method"])
    assert not ProcurementPlanItem.objects.exists()


def test_create_for_another_regions_agency_is_forbidden(api_client, world, other):
    api_client.force_authenticate(world.ppk)
    response = api_client.post(URL, body(other), format="json")
    assert response.status_code == 403
    assert not ProcurementPlanItem.objects.exists()


def test_list_and_retrieve_are_scoped(api_client, world, other):
    mine, theirs = drafted(world, "Milik Kab"), drafted(other, "Milik Kota")
    api_client.force_authenticate(world.ppk)
    names = [row["name"] for row in api_client.get(URL).data["results"]]
    assert names == [mine.name]
    assert api_client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api_client.post(f"{URL}{theirs.pk}/announce/").status_code == 404
    assert api_client.put(f"{URL}{theirs.pk}/", body(other), format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == PlanItemStatus.DRAFT


def test_update_a_draft_and_refuse_after_announce(api_client, world):
    item = drafted(world)
    api_client.force_authenticate(world.officer)
    response = api_client.put(f"{URL}{item.pk}/", body(world, name="Proyektor"), format="json")
    assert response.status_code == 200 and response.data["name"] == "Proyektor"
    plan_item_announce(item=item, actor=world.ppk)
    response = api_client.put(f"{URL}{item.pk}/", body(world, name="Lagi"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "Only a draft" in str(response.data)


def test_announce_and_cancel_actions(api_client, world):
    item = drafted(world)
    api_client.force_authenticate(world.ppk)
    response = api_client.post(f"{URL}{item.pk}/announce/")
    assert response.status_code == 200 and response.data["status"] == "announced"
    assert response.data["rup_code"] == "20265301000001"
    assert BudgetLine.objects.get(pk=world.lines[0].pk).committed == Decimal("150000000.00")
    assert api_client.post(f"{URL}{item.pk}/cancel/", {}, format="json").status_code == 400
    response = api_client.post(f"{URL}{item.pk}/cancel/", {"reason": "Tidak jadi"}, format="json")
    assert response.status_code == 200 and response.data["status"] == "cancelled"
    assert BudgetLine.objects.get(pk=world.lines[0].pk).committed == 0


def test_a_reader_without_the_role_may_not_announce(api_client, world, make_member):
    item = drafted(world)
    api_client.force_authenticate(make_member(world.agency, "planner"))
    assert api_client.get(f"{URL}{item.pk}/").status_code == 200
    assert api_client.post(f"{URL}{item.pk}/announce/").status_code == 403


def test_the_public_list_shows_announced_items_only_without_login(api_client, world, other):
    announced = plan_item_announce(item=drafted(other, "Diumumkan"), actor=other.ppk)
    draft = drafted(world, "Konsep")
    response = api_client.get("/api/public/rup/")
    assert response.status_code == 200
    assert [row["rup_code"] for row in response.data["results"]] == [announced.rup_code]
    assert response.data["results"][0]["agency"] == other.agency.name
    assert "fundings" not in response.data["results"][0]
    assert api_client.get(f"/api/public/rup/{draft.pk}/").status_code == 404

"""The plan items API: scoped CRUD in editable statuses, one action per transition,
status never writable, and the ceilings/RPJMD endpoints."""

from decimal import Decimal

import pytest

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from tests.eplanning.factories import RpjmdGoalFactory, SubActivityFactory
from tests.eplanning.plans_support import given_item, given_region_staff, indicator_row

URL = "/api/eplanning/plan-items/"


@pytest.fixture
def staff(kab_kupang, make_member):
    return given_region_staff(kab_kupang, make_member)


@pytest.fixture
def kota(kota_kupang, make_member):
    return given_region_staff(kota_kupang, make_member)


def test_planner_creates_and_the_verifier_approves_through_the_api(api_client, staff):
    SubActivityFactory()
    api_client.force_authenticate(staff.planner)
    body = {
        "agency": staff.agency.pk,
        "fiscal_year": 2027,
        "sub_activity_code": "2.16.02.2.01.0026",
        "indicative_ceiling": "100000000.00",
        "status": "approved",  # ignored: status is never written by a serializer
        "indicators": [indicator_row()],
    }
    created = api_client.post(URL, body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert api_client.post(f"{URL}{pk}/submit/").json()["status"] == "submitted"

    api_client.force_authenticate(staff.verifier)
    api_client.post(f"{URL}{pk}/verify/", {"comment": "ok"}, format="json")
    approved = api_client.post(f"{URL}{pk}/approve/")

    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_api_refuses_bad_input_with_field_errors(api_client, staff):
    SubActivityFactory()
    api_client.force_authenticate(staff.planner)

    response = api_client.post(
        URL,
        {"agency": staff.agency.pk, "fiscal_year": 2027, "sub_activity_code": "1.2.3", "indicative_ceiling": "-5"},
        format="json",
    )

    assert response.status_code == 400 and set(response.json()) & {"indicative_ceiling", "sub_activity"}
    assert not PlanItem.objects.exists()


def test_approved_item_cannot_be_patched_but_can_be_revised(api_client, staff):
    item = given_item(staff, status=PlanStatus.APPROVED)
    api_client.force_authenticate(staff.planner)

    patched = api_client.patch(f"{URL}{item.pk}/", {"title": "Diubah"}, format="json")
    no_reason = api_client.post(f"{URL}{item.pk}/revise/", {}, format="json")
    revised = api_client.post(f"{URL}{item.pk}/revise/", {"comment": "APBD-P"}, format="json")

    assert patched.status_code == 400 and no_reason.status_code == 400
    assert revised.json()["status"] == "draft" and revised.json()["versions"][0]["revision"] == 0


def test_return_needs_a_comment(api_client, staff):
    item = given_item(staff, status=PlanStatus.SUBMITTED)
    api_client.force_authenticate(staff.verifier)

    assert api_client.post(f"{URL}{item.pk}/return/", {"comment": ""}, format="json").status_code == 400
    assert api_client.post(f"{URL}{item.pk}/return/", {"comment": "Perbaiki"}, format="json").json()["status"] == (
        "returned"
    )


def test_kab_kupang_cannot_read_or_change_kota_kupang_items(api_client, staff, kota):
    foreign = given_item(kota, status=PlanStatus.SUBMITTED)
    mine = given_item(staff)
    api_client.force_authenticate(staff.verifier)

    listed = [row["id"] for row in api_client.get(URL).json()["results"]]
    assert listed == [mine.pk]
    assert api_client.get(f"{URL}{foreign.pk}/").status_code == 404
    assert api_client.post(f"{URL}{foreign.pk}/verify/").status_code == 404
    api_client.force_authenticate(staff.planner)
    assert api_client.patch(f"{URL}{foreign.pk}/", {"title": "x"}, format="json").status_code == 404
    assert PlanItem.objects.get(pk=foreign.pk).status == PlanStatus.SUBMITTED


def test_province_coordinator_reads_but_cannot_verify(api_client, staff, province, make_member):
    from tests.factories import AgencyFactory

    item = given_item(staff, status=PlanStatus.SUBMITTED)
    coordinator = make_member(AgencyFactory(region=province), "plan_verifier", scope="province")
    api_client.force_authenticate(coordinator)

    assert api_client.get(f"{URL}{item.pk}/").status_code == 200
    assert api_client.post(f"{URL}{item.pk}/verify/").status_code == 400
    assert PlanItem.objects.get(pk=item.pk).status == PlanStatus.SUBMITTED


def test_ceilings_endpoint_shows_used_and_bappeda_sets_one(api_client, staff, kota):
    given_item(staff, status=PlanStatus.SUBMITTED, indicative_ceiling=Decimal("100000000"))
    api_client.force_authenticate(staff.verifier)

    rows = api_client.get("/api/eplanning/ceilings/").json()["results"]
    created = api_client.post(
        "/api/eplanning/ceilings/", {"agency": staff.agency.pk, "fiscal_year": 2027, "amount": "-1"}, format="json"
    )
    foreign = api_client.post(
        "/api/eplanning/ceilings/", {"agency": kota.agency.pk, "fiscal_year": 2027, "amount": "1"}, format="json"
    )

    assert [(r["agency"], r["used"], r["remaining"]) for r in rows] == [
        (staff.agency.pk, "100000000.00", "400000000.00")
    ]
    assert created.status_code == 400 and foreign.status_code == 400


def test_rpjmd_goals_are_read_in_the_region_only(api_client, staff, kota):
    mine = RpjmdGoalFactory(region=staff.agency.region)
    RpjmdGoalFactory(region=kota.agency.region)
    api_client.force_authenticate(staff.planner)

    rows = api_client.get("/api/eplanning/rpjmd-goals/").json()["results"]

    assert [r["id"] for r in rows] == [mine.pk]

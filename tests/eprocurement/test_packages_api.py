"""The packages API: scoped reads with items, stages and documents; drafting through
serializers calling the services; each state change its own action."""

import datetime

import pytest
from django.utils import timezone

from eprocurement.choices import PackageStatus, TenderStage
from eprocurement.models import Package, ScheduleChange
from eprocurement.services import package_schedule
from tests.eprocurement.factories_packages import tender_world
from tests.eprocurement.packages_helpers import create, drafting_world, pdf, ready_draft, start_soon

pytestmark = pytest.mark.django_db
LIST = "/api/eprocurement/packages/"


def url(package, action=""):
    return f"{LIST}{package.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def world(kab_kupang):
    return drafting_world(kab_kupang)


@pytest.fixture
def other(kota_kupang):
    return drafting_world(kota_kupang)


def test_the_list_is_scoped_and_shows_items_stages_and_documents(api_client, world, other):
    mine, theirs = ready_draft(world), create(other)
    api_client.force_authenticate(world.ppk)
    rows = api_client.get(LIST).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    row = rows[0]
    assert {item["rup_code"] for item in row["plan_items"]} == {i.rup_code for i in world.plan_items}
    assert len(row["stages"]) == len(TenderStage.values)
    assert row["documents"][0]["sha256"] and row["pokja"] == [u.pk for u in world.pokja]
    assert api_client.get(url(theirs)).status_code == 404


def test_a_ppk_drafts_and_edits_through_the_api(api_client, world):
    api_client.force_authenticate(world.ppk)
    body = {
        "agency": world.agency.pk,
        "plan_items": [i.pk for i in world.plan_items],
        "name": "Jembatan",
        "evaluation_method": "gugur",
        "owner_estimate": "900000000.00",
        "status": "announced",  # never writable
    }
    response = api_client.post(LIST, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft" and response.json()["value"] == "1000000000.00"
    package = Package.objects.get()

    bad = api_client.patch(url(package), {"owner_estimate": "5000000000"}, format="json")
    assert bad.status_code == 400 and "owner_estimate" in bad.json()
    good = api_client.patch(url(package), {"owner_estimate": "850000000"}, format="json")
    assert good.status_code == 200 and good.json()["owner_estimate"] == "850000000.00"


def test_team_schedule_documents_and_announce_are_actions(api_client, world):
    package = create(world)
    api_client.force_authenticate(world.ppk)
    team = api_client.post(
        url(package, "team"), {"ppk": world.ppk.pk, "pokja": [u.pk for u in world.pokja]}, format="json"
    )
    assert team.status_code == 200, team.content
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    stages = [{"stage": s, "starts_at": a.isoformat(), "ends_at": b.isoformat()} for s, (a, b) in rows.items()]
    assert api_client.post(url(package, "schedule"), {"stages": stages}, format="json").status_code == 200
    document = api_client.post(
        url(package, "documents"),
        {"kind": "selection", "title": "Dokumen pemilihan", "file": pdf()},
        format="multipart",
    )
    assert document.status_code == 201, document.content

    announced = api_client.post(url(package, "announce"))

    assert announced.status_code == 200 and announced.json()["status"] == "announced"
    assert announced.json()["code"].startswith("20265301")


def test_a_short_schedule_is_answered_with_the_stage(api_client, world):
    package = create(world)
    api_client.force_authenticate(world.ppk)
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    start = rows[TenderStage.APPEAL][0]
    rows[TenderStage.APPEAL] = (start, start + datetime.timedelta(days=1))
    stages = [{"stage": s, "starts_at": a.isoformat(), "ends_at": b.isoformat()} for s, (a, b) in rows.items()]
    response = api_client.post(url(package, "schedule"), {"stages": stages}, format="json")
    assert response.status_code == 400 and "appeal" in response.json()
    assert not package.stages.exists()


def test_the_pokja_extends_and_issues_an_addendum(api_client, kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    package = world.package
    api_client.force_authenticate(world.pokja[0])
    deadline = package.stages.get(stage=TenderStage.BID_SUBMISSION).ends_at
    response = api_client.post(
        url(package, "extend-schedule"),
        {"stage": "bid_submission", "new_end": (deadline + datetime.timedelta(hours=6)).isoformat(), "reason": "Down"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert ScheduleChange.objects.filter(package=package, stage="bid_submission").exists()
    before = timezone.now()
    addendum = api_client.post(
        url(package, "addendum"), {"title": "Adendum", "file": pdf(), "reason": "Revisi BoQ"}, format="multipart"
    )
    assert addendum.status_code == 201, addendum.content
    assert package.stages.get(stage=TenderStage.BID_SUBMISSION).ends_at >= before + datetime.timedelta(days=2)


def test_a_non_member_cannot_extend_and_an_outsider_sees_nothing(api_client, kab_kupang, kota_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    api_client.force_authenticate(world.ppk)
    body = {
        "stage": "bid_submission",
        "new_end": (timezone.now() + datetime.timedelta(days=9)).isoformat(),
        "reason": "x",
    }
    assert api_client.post(url(world.package, "extend-schedule"), body, format="json").status_code == 403
    outsider = drafting_world(kota_kupang)
    api_client.force_authenticate(outsider.pokja[0])
    assert api_client.post(url(world.package, "cancel"), {"reason": "x"}, format="json").status_code == 404
    assert api_client.get(LIST).json()["results"] == []


def test_cancel_fail_and_retender_actions(api_client, kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    api_client.force_authenticate(world.pokja[0])
    assert api_client.post(url(world.package, "fail"), {}, format="json").status_code == 400  # reason required
    assert api_client.post(url(world.package, "fail"), {"reason": "Semua gugur"}, format="json").json()["status"] == (
        "failed"
    )
    response = api_client.post(url(world.package, "retender"), {"reason": "Tender ulang"}, format="json")
    assert response.status_code == 200
    new = Package.objects.get(pk=response.json()["id"])
    assert new.retender_of_id == world.package.pk and new.status == PackageStatus.DRAFT
    cancelled = api_client.post(url(new, "cancel"), {"reason": "Tidak jadi"}, format="json")
    assert cancelled.json()["status"] == "cancelled"


def test_the_list_reads_the_same_number_of_queries_for_more_packages(api_client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.eprocurement.factories_packages import PackageFactory

    ready_draft(world)
    api_client.force_authenticate(world.ppk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(LIST).status_code == 200
        return len(queries.captured_queries)

    few = count()
    for _ in range(4):
        PackageFactory(agency=world.agency, fiscal_year=world.year)
    assert count() == few

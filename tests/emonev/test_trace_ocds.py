"""OCDS implementation milestones from E-Monev: accepting a contract's monthly report
publishes an ``implementation`` release whose milestones say, month by month, whether the
planned physical progress was met; the release validates against the OCDS 1.1 schema."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import translation

from emonev.choices import ReportStatus
from emonev.ocds import contract_milestones
from emonev.services.curves import planned_curve_set
from emonev.services.evidence import evidence_add
from emonev.services.reports import progress_report_accept, progress_report_create, progress_report_submit
from eprocurement.models import OcdsRelease
from eprocurement.ocds.publish import publish_release
from eprocurement.ocds.schema import errors
from tests.ebudgeting.factories import member
from tests.emonev.factories import even_curve, report_row, upload
from tests.eprocurement.factories_ocds import contracted_world
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(kab_kupang, today):
    """A signed contract of May–October 2026 (six months) with an even planned curve."""
    world = contracted_world(kab_kupang)
    world.officer = member(world.agency, "monev_officer")
    world.verifier = member(AgencyFactory(region=kab_kupang, code="BAPPEDA-T"), "monev_verifier")
    physical, financial = even_curve(6, world.contract.value)
    planned_curve_set(contract=world.contract, physical=physical, financial=financial, actor=world.ppk)
    return world


def accepted_through_services(world, *, month=5, physical="20.00"):
    report = progress_report_create(
        contract=world.contract, year=2026, month=month, data={"physical_pct": physical}, actor=world.officer
    )
    evidence_add(report=report, upload=upload(), actor=world.officer)
    report = progress_report_submit(report=report, actor=world.officer)
    return progress_report_accept(report=report, actor=world.verifier)


def milestones_of(release) -> dict:
    return {m["id"]: m for m in release["contracts"][0]["implementation"]["milestones"]}


def test_accepting_a_report_publishes_a_valid_implementation_release(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        accepted_through_services(world, physical="20.00")

    row = OcdsRelease.objects.get(package=world.package, tag="implementation")
    assert errors(row.data, "release-schema.json") == []
    implementation = row.data["contracts"][0]["implementation"]
    assert [t["id"] for t in implementation["transactions"]] == ["SP2D-0001"]
    milestones = milestones_of(row.data)
    assert list(milestones) == [f"progress-2026-{m:02d}" for m in range(5, 11)]
    may = milestones["progress-2026-05"]
    assert may["type"] == "delivery" and may["status"] == "met"
    assert may["dueDate"].startswith("2026-05-31") and may["dateMet"].startswith("2026-05-31")
    assert "16.67" in may["description"] and "20.00" in may["description"]
    assert "dateModified" in may
    june = milestones["progress-2026-06"]
    assert june["status"] == "scheduled" and "dateMet" not in june and june["dueDate"].startswith("2026-06-30")


def test_a_month_below_plan_is_not_met(world):
    report_row(
        world,
        month=6,
        physical=D("30.00"),
        status=ReportStatus.ACCEPTED,
        planned_physical_pct=D("33.33"),
        decided_at=datetime.datetime(2026, 7, 8, tzinfo=datetime.UTC),
    )

    release = publish_release(package_id=world.package.pk, tag="implementation").data

    assert errors(release, "release-schema.json") == []
    june = milestones_of(release)["progress-2026-06"]
    assert june["status"] == "notMet" and "dateMet" not in june
    assert june["dateModified"].startswith("2026-07-08")


def test_exactly_on_plan_is_met_and_unaccepted_reports_stay_out(world):
    report_row(world, month=5, physical=D("16.67"), status=ReportStatus.ACCEPTED, planned_physical_pct=D("16.67"))
    report_row(world, month=6, physical=D("90.00"), status=ReportStatus.SUBMITTED, planned_physical_pct=D("33.33"))

    with translation.override("en"):
        milestones = {m["id"]: m for m in contract_milestones(world.contract)["milestones"]}

    assert milestones["progress-2026-05"]["status"] == "met"
    # Submitted, not yet accepted: still only the plan.
    assert milestones["progress-2026-06"]["status"] == "scheduled"
    assert "90.00" not in milestones["progress-2026-06"]["description"]


def test_a_contract_without_curve_or_accepted_report_has_no_milestones(kab_kupang):
    world = contracted_world(kab_kupang)

    release = publish_release(package_id=world.package.pk, tag="contract").data

    assert "milestones" not in release["contracts"][0]["implementation"]
    assert errors(release, "release-schema.json") == []

"""A month's progress report through the services: draft → submitted → returned →
submitted → accepted, with its financial progress read from the realizations."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from emonev.choices import ReportStatus
from emonev.models import ProgressReport
from emonev.services.evidence import evidence_add
from emonev.services.reports import (
    progress_report_accept,
    progress_report_create,
    progress_report_return,
    progress_report_submit,
    progress_report_update,
)
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.ebudgeting.factories import member
from tests.emonev.factories import monev_world, realize, report_row, set_contract_curve, upload

DATA = {"physical_pct": "45.50", "problems": "Hujan deras", "follow_up": "Tambah pekerja"}


@pytest.fixture
def world(kab_kupang, today):
    world = monev_world(kab_kupang)
    set_contract_curve(world)
    return world


def drafted(world, month=5, data=DATA):
    report = progress_report_create(contract=world.contract, year=2026, month=month, data=data, actor=world.officer)
    evidence_add(report=report, upload=upload(), actor=world.officer)
    return report


def test_officer_drafts_submits_and_verifier_accepts(world):
    report = drafted(world)
    assert report.status == ReportStatus.DRAFT and report.due_on == datetime.date(2026, 6, 10)

    report = progress_report_submit(report=report, actor=world.officer)
    assert report.status == ReportStatus.SUBMITTED and not report.is_late
    assert report.planned_physical_pct == D("50.00")
    assert report.physical_deviation == D("-4.50")
    assert Notification.objects.filter(recipient=world.verifier, kind="emonev.report").exists()

    report = progress_report_accept(report=report, actor=world.verifier)
    assert report.status == ReportStatus.ACCEPTED and report.decided_by == world.verifier
    assert Notification.objects.filter(recipient=world.officer, kind="emonev.report").exists()
    statuses = list(
        AuditEntry.objects.filter(object_type="emonev.progressreport", object_id=str(report.pk), action="transition")
        .order_by("seq")
        .values_list("old_status", "new_status")
    )
    assert statuses == [("draft", "submitted"), ("submitted", "accepted")]


def test_financial_progress_is_taken_from_realizations_up_to_the_months_end(world):
    line = world.lines[0]
    realize(line, "100000000", datetime.date(2026, 3, 10), subject=world.contract)
    realize(line, "50000000", datetime.date(2026, 5, 31), subject=world.contract)
    realize(line, "70000000", datetime.date(2026, 6, 1), subject=world.contract)  # after May
    realize(line, "9000000", datetime.date(2026, 4, 1))  # on the line, but not for this contract
    report = progress_report_submit(report=drafted(world), actor=world.officer)
    assert report.financial_realized == D("150000000.00")
    assert report.financial_total == D("1000000000.00")
    assert report.planned_financial == D("500000000.00")
    assert report.financial_deviation == D("-350000000.00")


def test_financial_progress_is_never_typed(world):
    report = progress_report_create(
        contract=world.contract,
        year=2026,
        month=5,
        data={**DATA, "financial_realized": "999999999"},
        actor=world.officer,
    )
    assert report.financial_realized is None


def test_return_needs_a_comment_and_sends_it_back_for_correction(world):
    report = progress_report_submit(report=drafted(world), actor=world.officer)
    with pytest.raises(DomainError, match="Say what must be corrected"):
        progress_report_return(report=report, actor=world.verifier, comment="  ")
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    report = progress_report_return(report=report, actor=world.verifier, comment="Foto tidak jelas")
    assert report.status == ReportStatus.RETURNED and report.verifier_comment == "Foto tidak jelas"
    notice = Notification.objects.get(recipient=world.officer, kind="emonev.report")
    assert notice.body == "Foto tidak jelas"

    report = progress_report_update(report=report, data={**DATA, "physical_pct": "47"}, actor=world.officer)
    report = progress_report_submit(report=report, actor=world.officer)
    assert report.status == ReportStatus.SUBMITTED and report.physical_pct == D("47.00")


def test_accepted_report_is_locked(world):
    report = progress_report_accept(
        report=progress_report_submit(report=drafted(world), actor=world.officer), actor=world.verifier
    )
    with pytest.raises(DomainError, match="Only a draft or returned report can be changed"):
        progress_report_update(report=report, data=DATA, actor=world.officer)
    with pytest.raises(DomainError, match="draft or returned report only"):
        evidence_add(report=report, upload=upload(), actor=world.officer)
    with pytest.raises(DomainError, match="Only a submitted report can be returned"):
        progress_report_return(report=report, actor=world.verifier, comment="x")


def test_late_submission_is_taken_but_marked_late(world, today):
    report = drafted(world, month=4)  # due 10 May
    report = progress_report_submit(report=report, actor=world.officer)
    assert report.status == ReportStatus.SUBMITTED and report.is_late


def test_submitting_on_the_due_day_is_on_time(world, today):
    report = drafted(world)
    today.set(datetime.date(2026, 6, 10))
    assert progress_report_submit(report=report, actor=world.officer).is_late is False


def test_a_month_is_submitted_only_after_it_ends(world, today):
    report = progress_report_create(contract=world.contract, year=2026, month=6, data=DATA, actor=world.officer)
    evidence_add(report=report, upload=upload(), actor=world.officer)
    with pytest.raises(DomainError, match="after the month has ended"):
        progress_report_submit(report=report, actor=world.officer)


def test_a_future_month_or_one_outside_the_contract_cannot_be_reported(world):
    with pytest.raises(DomainError, match="has not begun"):
        progress_report_create(contract=world.contract, year=2026, month=7, data=DATA, actor=world.officer)
    with pytest.raises(DomainError, match="outside the period"):
        progress_report_create(contract=world.contract, year=2025, month=12, data=DATA, actor=world.officer)


def test_submitting_needs_evidence(world):
    report = progress_report_create(contract=world.contract, year=2026, month=5, data=DATA, actor=world.officer)
    with pytest.raises(DomainError, match="at least one photo or document"):
        progress_report_submit(report=report, actor=world.officer)


def test_one_report_per_month(world):
    drafted(world)
    with pytest.raises(DomainError, match="already exists"):
        progress_report_create(contract=world.contract, year=2026, month=5, data=DATA, actor=world.officer)


@pytest.mark.parametrize("value", ["-1", "100.01", "abc", "12.345", ""])
def test_bad_physical_progress_is_refused_with_nothing_created(world, value):
    with pytest.raises(DomainError):
        progress_report_create(
            contract=world.contract, year=2026, month=5, data={**DATA, "physical_pct": value}, actor=world.officer
        )
    assert not ProgressReport.objects.exists()


def test_progress_is_cumulative(world):
    report_row(world, month=4, physical=D("50"), status=ReportStatus.ACCEPTED)
    report = drafted(world, data={**DATA, "physical_pct": "45"})
    with pytest.raises(DomainError, match="already reported 50.00%"):
        progress_report_submit(report=report, actor=world.officer)


def test_only_the_agencys_monev_officer_reports(world):
    with pytest.raises(PermissionDenied):
        progress_report_create(contract=world.contract, year=2026, month=5, data=DATA, actor=world.ppk)
    other = member(world.bappeda, "monev_officer")
    with pytest.raises(PermissionDenied):
        progress_report_create(contract=world.contract, year=2026, month=5, data=DATA, actor=other)


def test_only_a_verifier_of_the_region_decides(world, kota_kupang):
    report = progress_report_submit(report=drafted(world), actor=world.officer)
    elsewhere = monev_world(kota_kupang)
    with pytest.raises(PermissionDenied):
        progress_report_accept(report=report, actor=elsewhere.verifier)
    with pytest.raises(PermissionDenied):
        progress_report_accept(report=report, actor=world.officer)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_a_plan_item_is_reported_with_its_budget_lines_realizations(world):
    item = world.budget_plan_item
    realize(world.lines[0], "25000000", datetime.date(2026, 2, 1))
    report = progress_report_create(plan_item=item, year=2026, month=5, data=DATA, actor=world.officer)
    evidence_add(report=report, upload=upload(), actor=world.officer)
    report = progress_report_submit(report=report, actor=world.officer)
    assert report.financial_realized == D("25000000.00")
    assert report.financial_total == world.lines[0].amount
    assert report.planned_physical_pct is None  # no curve for the plan item yet


def test_exactly_one_subject(world):
    with pytest.raises(DomainError, match="either a contract or a plan item"):
        progress_report_create(
            contract=world.contract,
            plan_item=world.budget_plan_item,
            year=2026,
            month=5,
            data=DATA,
            actor=world.officer,
        )

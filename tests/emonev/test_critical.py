"""Critical contracts: detected on acceptance and by the sweep, the responsible people told
once per change, escalation steps recorded in order by the PPK."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from emonev.choices import ReportStatus
from emonev.models import CriticalStatus, Escalation
from emonev.services.critical import critical_evaluate, critical_sweep, escalation_record
from emonev.services.evidence import evidence_add
from emonev.services.reports import progress_report_accept, progress_report_create, progress_report_submit
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.ebudgeting.factories import member
from tests.emonev.factories import monev_world, report_row, set_contract_curve, upload


@pytest.fixture
def world(kab_kupang):
    world = monev_world(kab_kupang)
    set_contract_curve(world)  # 10 % a month: May's plan is 50 %, August's 80 %
    world.leader = member(world.agency, "leader")
    return world


def accepted(world, month, physical):
    report = progress_report_create(
        contract=world.contract, year=2026, month=month, data={"physical_pct": physical}, actor=world.officer
    )
    evidence_add(report=report, upload=upload(), actor=world.officer)
    report = progress_report_submit(report=report, actor=world.officer)
    return progress_report_accept(report=report, actor=world.verifier)


def critical_notices(user):
    return Notification.objects.filter(recipient=user, kind="emonev.critical")


@pytest.mark.parametrize(("physical", "critical"), [("40.00", False), ("39.99", True), ("40.01", False)])
def test_acceptance_applies_the_rule_at_the_10_point_threshold(world, today, physical, critical):
    accepted(world, 5, physical)  # plan 50 %
    status = CriticalStatus.objects.get(contract=world.contract)
    assert status.is_critical is critical
    assert (status.planned_pct, status.actual_pct) == (D("50.00"), D(physical))


@pytest.mark.parametrize(("physical", "critical"), [("75.00", False), ("74.99", True)])
def test_above_70_percent_planned_the_threshold_is_5_points(world, today, physical, critical):
    today.set(datetime.date(2026, 9, 5))
    accepted(world, 8, physical)  # plan 80 %
    assert CriticalStatus.objects.get(contract=world.contract).is_critical is critical


def test_becoming_critical_tells_the_ppk_officers_and_agency_head_once(world, today):
    accepted(world, 5, "30")
    for person in (world.ppk, world.officer, world.leader):
        assert critical_notices(person).count() == 1
    assert not critical_notices(world.verifier).exists()
    status = CriticalStatus.objects.get()
    assert status.is_critical and status.since is not None
    # Still critical a month later: no second notice.
    today.set(datetime.date(2026, 7, 5))
    accepted(world, 6, "45")
    assert critical_notices(world.ppk).count() == 1
    transitions = AuditEntry.objects.filter(object_type="emonev.criticalstatus", action="transition")
    assert list(transitions.values_list("old_status", "new_status")) == [("not_critical", "critical")]


def test_catching_up_ends_the_critical_status_and_tells_them(world, today):
    world.ppk.language = "en"  # each notice is written in its reader's language
    world.ppk.save(update_fields=["language"])
    accepted(world, 5, "30")
    today.set(datetime.date(2026, 7, 5))
    accepted(world, 6, "55")  # plan 60: 5 behind
    status = CriticalStatus.objects.get()
    assert not status.is_critical
    assert critical_notices(world.ppk).count() == 2
    assert "no longer critical" in critical_notices(world.ppk).order_by("-id").first().title


def test_the_sweep_judges_contracts_without_an_accepted_report(world):
    # June 11th: May's report was due on the 10th and none was accepted; nothing ever was.
    assert critical_sweep(today=datetime.date(2026, 6, 11)) == 1
    status = CriticalStatus.objects.get(contract=world.contract)
    assert status.is_critical and status.actual_pct == D("0.00") and status.planned_pct == D("50.00")
    assert critical_notices(world.ppk).count() == 1
    # Running it again changes nothing and tells nobody twice.
    critical_sweep(today=datetime.date(2026, 6, 11))
    assert critical_notices(world.ppk).count() == 1 and CriticalStatus.objects.count() == 1


def test_the_sweep_uses_the_latest_accepted_progress(world):
    report_row(world, month=4, physical=D("45"), status=ReportStatus.ACCEPTED)
    critical_sweep(today=datetime.date(2026, 6, 11))  # plan 50 %, last accepted 45 %
    assert CriticalStatus.objects.get().is_critical is False


def test_the_sweep_waits_for_the_due_day_and_skips_accepted_months(world):
    assert critical_sweep(today=datetime.date(2026, 6, 10)) == 0
    report_row(world, month=5, physical=D("20"), status=ReportStatus.ACCEPTED)
    assert critical_sweep(today=datetime.date(2026, 6, 11)) == 0


def critical_status(world):
    return critical_evaluate(
        contract=world.contract, year=2026, month=5, planned=D("50"), actual=D("30"), basis="report", actor=None
    )


def test_ppk_records_escalation_steps_in_order(world):
    status = critical_status(world)
    day = timezone.localdate()
    escalation_record(status=status, step="scm1", held_on=day, reference="BA/SCM/1", actor=world.ppk)
    with pytest.raises(DomainError, match="The next step is: Warning letter 1"):
        escalation_record(status=status, step="scm2", held_on=day, reference="BA/SCM/2", actor=world.ppk)
    escalation_record(
        status=status, step="sp1", held_on=day, reference="SP/1", note="Vendor diberi 14 hari", actor=world.ppk
    )
    assert list(Escalation.objects.values_list("step", flat=True)) == ["scm1", "sp1"]
    assert AuditEntry.objects.filter(object_type="emonev.criticalstatus", new_status="sp1").exists()


def test_escalation_needs_a_critical_contract_its_ppk_and_a_reference(world):
    status = critical_status(world)
    day = timezone.localdate()
    with pytest.raises(PermissionDenied):
        escalation_record(status=status, step="scm1", held_on=day, reference="BA/1", actor=world.officer)
    with pytest.raises(DomainError, match="number of the minutes"):
        escalation_record(status=status, step="scm1", held_on=day, reference=" ", actor=world.ppk)
    with pytest.raises(DomainError, match="not in the future"):
        escalation_record(
            status=status, step="scm1", held_on=day + datetime.timedelta(days=1), reference="BA/1", actor=world.ppk
        )
    critical_evaluate(
        contract=world.contract, year=2026, month=6, planned=D("60"), actual=D("58"), basis="report", actor=None
    )
    with pytest.raises(DomainError, match="not critical"):
        escalation_record(status=status, step="scm1", held_on=day, reference="BA/1", actor=world.ppk)
    assert not Escalation.objects.exists()

"""Reminders before the due day, once-only late notices and deviation alerts to the heads
of agency, all through the notification outbox and each sent once."""

import datetime
import importlib
from decimal import Decimal as D

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from emonev.choices import ReportStatus
from emonev.models import ReminderSent
from emonev.services.evidence import evidence_add
from emonev.services.reminders import deviation_sweep, due_reminders, late_notices, reminders_sweep
from emonev.services.reports import progress_report_accept, progress_report_create, progress_report_submit
from emonev.tasks import send_report_reminders
from portal.models import Notification
from tests.ebudgeting.factories import member
from tests.emonev.factories import monev_world, report_row, set_contract_curve, upload

pytestmark = pytest.mark.django_db
schedule = importlib.import_module("emonev.migrations.0003_reports")
JUNE = lambda day: datetime.date(2026, 6, day)  # noqa: E731  (May's reports are due on 10 June)


@pytest.fixture
def world(kab_kupang, today, settings):
    settings.MONEV_REMINDER_DAYS_BEFORE = 3
    world = monev_world(kab_kupang)
    set_contract_curve(world)
    world.leader = member(world.agency, "leader")
    return world


def _notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_no_reminder_before_the_window(world):
    assert due_reminders(today=JUNE(6)) == 0
    assert not Notification.objects.exists()


def test_reminder_days_before_the_due_day_once(world):
    # the contract and the plan item funding it have no May report
    assert due_reminders(today=JUNE(7)) == 2
    [note] = _notes(world.officer, "emonev.due_soon")
    assert "05/2026" in note.title and "10/06/2026" in note.title and world.contract.number in note.body
    assert not _notes(world.leader, "emonev.due_soon")
    # later runs in the window tell nobody again
    assert due_reminders(today=JUNE(8)) == 0
    assert due_reminders(today=JUNE(10)) == 0
    assert len(_notes(world.officer, "emonev.due_soon")) == 1
    assert ReminderSent.objects.filter(kind="due_soon").count() == 2


def test_a_submitted_report_is_not_reminded(world):
    report_row(world, month=5, status=ReportStatus.SUBMITTED)
    assert due_reminders(today=JUNE(10)) == 1  # only the plan item
    [note] = _notes(world.officer, "emonev.due_soon")
    assert world.contract.number not in note.body


def test_a_draft_does_not_count_as_reported(world):
    report_row(world, month=5, status=ReportStatus.DRAFT)
    assert due_reminders(today=JUNE(9)) == 2


def test_late_notice_once_after_the_due_day_to_officers_and_leaders(world):
    assert late_notices(today=JUNE(10)) == 0  # the due day itself is on time
    assert late_notices(today=JUNE(11)) == 2
    assert len(_notes(world.officer, "emonev.late")) == 1
    [note] = _notes(world.leader, "emonev.late")
    assert world.contract.number in note.body
    assert late_notices(today=JUNE(12)) == 0 and late_notices(today=JUNE(30)) == 0
    assert Notification.objects.filter(kind="emonev.late").count() == 2
    assert due_reminders(today=JUNE(11)) == 0  # past the due day: no "due soon" any more


def test_the_task_runs_all_three_and_is_idempotent(world, today):
    today.set(JUNE(11))
    assert send_report_reminders() == 2
    assert send_report_reminders() == 0


def _accepted(world, physical):
    report = progress_report_create(
        contract=world.contract, year=2026, month=5, data={"physical_pct": physical}, actor=world.officer
    )
    evidence_add(report=report, upload=upload(), actor=world.officer)
    report = progress_report_submit(report=report, actor=world.officer)
    return progress_report_accept(report=report, actor=world.verifier)


def test_deviation_alert_when_an_accepted_report_is_below_the_red_threshold(world):
    # May plans 50 %; 39.99 is 10.01 points behind, below the red threshold (-10)
    report = _accepted(world, "39.99")
    [note] = _notes(world.leader, "emonev.deviation")
    assert world.contract.number in note.title and "39.99" in note.title and note.url.endswith(f"/{report.pk}/")
    assert not _notes(world.officer, "emonev.deviation")
    # the daily sweep does not alert again
    assert deviation_sweep(today=JUNE(11)) == 0
    assert Notification.objects.filter(kind="emonev.deviation").count() == 1


def test_no_deviation_alert_exactly_at_the_threshold(world):
    _accepted(world, "40.00")  # exactly -10: "behind", not red
    assert not Notification.objects.filter(kind="emonev.deviation").exists()
    assert deviation_sweep(today=JUNE(11)) == 0


def test_no_alert_on_submission_only(world):
    report = progress_report_create(
        contract=world.contract, year=2026, month=5, data={"physical_pct": "10"}, actor=world.officer
    )
    evidence_add(report=report, upload=upload(), actor=world.officer)
    progress_report_submit(report=report, actor=world.officer)
    assert not Notification.objects.filter(kind="emonev.deviation").exists()


def test_the_sweep_alerts_an_accepted_report_the_receiver_missed_once(world):
    report_row(world, month=5, physical=D("30.00"), status=ReportStatus.ACCEPTED, planned_physical_pct=D("50.00"))
    assert deviation_sweep(today=JUNE(11)) == 1
    assert deviation_sweep(today=JUNE(12)) == 0
    assert len(_notes(world.leader, "emonev.deviation")) == 1
    # the whole daily run adds its late notices but no second alert
    reminders_sweep(today=JUNE(13))
    assert len(_notes(world.leader, "emonev.deviation")) == 1


def test_beat_runs_the_reminders_and_the_monthly_reports_daily_once_and_removed_on_reverse():
    # The migration ran for the test database (a transactional test may have flushed its
    # rows since); run its schedule step twice more, then reverse it.
    schedule.create_schedules(apps, None)
    schedule.create_schedules(apps, None)
    for task_name, hour in (("emonev.send_report_reminders", "7"), ("emonev.build_monthly_reports", "2")):
        task = PeriodicTask.objects.get(task=task_name)
        assert task.enabled and (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == (
            hour,
            "0",
            "Asia/Makassar",
        )
    schedule.remove_schedules(apps, None)
    assert not PeriodicTask.objects.filter(task__in=["emonev.send_report_reminders", "emonev.build_monthly_reports"])

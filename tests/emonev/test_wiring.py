"""What E-Monev adds around its pages: the daily sweep in beat's schedule, the task that
runs it, and the home page's line for verifiers."""

import importlib
from decimal import Decimal as D

from django.apps import apps
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from emonev.choices import ReportStatus
from emonev.models import CriticalStatus
from emonev.tasks import detect_critical_contracts
from tests.emonev.factories import monev_world, report_row, set_contract_curve

schedule = importlib.import_module("emonev.migrations.0002_critical_sweep_schedule")


def test_the_sweep_is_put_in_beats_schedule_once_and_removed_on_reverse(db):
    # The migration ran for the test database (a transactional test may have flushed its
    # rows since); run it twice more, then reverse it.
    schedule.create_schedule(apps, None)
    schedule.create_schedule(apps, None)
    task = PeriodicTask.objects.get(task="emonev.detect_critical_contracts")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("6", "0")
    schedule.remove_schedule(apps, None)
    assert not PeriodicTask.objects.filter(task="emonev.detect_critical_contracts").exists()


def test_the_task_runs_the_sweep_and_is_safe_to_run_twice(kab_kupang, today):
    world = monev_world(kab_kupang)
    set_contract_curve(world)
    today.set(today.date.replace(day=11))  # 11 June: May's report is overdue
    assert detect_critical_contracts() == 1
    assert detect_critical_contracts() == 1
    status = CriticalStatus.objects.get()
    assert status.is_critical and status.planned_pct == D("50.00")


def test_home_page_tells_a_verifier_what_waits(client, kab_kupang, today):
    world = monev_world(kab_kupang)
    report_row(world, status=ReportStatus.SUBMITTED)
    client.force_login(world.verifier)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("portal:home")).content.decode()
    assert "Progress reports to verify" in body and reverse("emonev:verifier_queue") in body

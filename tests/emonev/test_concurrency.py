"""Proof on PostgreSQL that racing requests keep E-Monev's rules: one report per month
(the others refused with a message, not a database error), and a contract becoming
critical is told once, whoever evaluates it at the same moment."""

from decimal import Decimal as D

import pytest
from django.db import connection

from emonev.choices import CriticalBasis
from emonev.models import CriticalStatus, ProgressReport
from emonev.services.critical import critical_evaluate
from emonev.services.reports import progress_report_create
from portal.models import AuditEntry, Notification
from tests.emonev.factories import monev_world
from tests.support.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

WORKERS = 5


def _race(call):
    return race([call] * WORKERS)


def test_one_report_per_month_under_racing_requests(kab_kupang, today):
    world = monev_world(kab_kupang)
    outcomes = _race(
        lambda: progress_report_create(
            contract=world.contract, year=2026, month=5, data={"physical_pct": "10"}, actor=world.officer
        )
    )
    assert sorted(outcomes) == ["ok"] + ["refused"] * (WORKERS - 1)
    assert ProgressReport.objects.count() == 1


def test_becoming_critical_is_told_once_under_racing_evaluations(kab_kupang):
    world = monev_world(kab_kupang)
    outcomes = _race(
        lambda: critical_evaluate(
            contract=world.contract,
            year=2026,
            month=5,
            planned=D("50"),
            actual=D("20"),
            basis=CriticalBasis.MISSING_REPORT,
            actor=None,
        )
    )
    assert outcomes == ["ok"] * WORKERS
    assert CriticalStatus.objects.get().is_critical
    assert Notification.objects.filter(recipient=world.ppk, kind="emonev.critical").count() == 1
    assert AuditEntry.objects.filter(object_type="emonev.criticalstatus", action="transition").count() == 1

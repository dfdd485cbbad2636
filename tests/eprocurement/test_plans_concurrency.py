"""Proof on PostgreSQL that concurrent announcements in one region take distinct kode RUP
numbers, and that items racing for one line's funds never overdraw it: each announcement
either commits all of its lines or none."""

import functools
from decimal import Decimal

import pytest
from django.db import connection

from ebudgeting.models import BudgetLine, LedgerEntry
from eprocurement.choices import PlanItemStatus
from eprocurement.models import ProcurementPlanItem
from eprocurement.services.plans import plan_item_announce, plan_item_create
from tests.eprocurement.factories_plans import fundings, item_data, rup_world
from tests.support.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

WORKERS = 6


def _race(items, actor):
    return race([functools.partial(plan_item_announce, item=item, actor=actor) for item in items])


def test_concurrent_announcements_get_distinct_codes_and_never_overdraw(kab_kupang):
    # given six drafts of Rp150 juta each on the first line (Rp500 juta) and Rp1 on the second
    world = rup_world(kab_kupang)
    items = [
        plan_item_create(
            agency=world.agency,
            fiscal_year=world.year,
            data=item_data(name=f"Paket {i}"),
            fundings=fundings((world.lines[0], "150000000"), (world.lines[1], "1")),
            actor=world.ppk,
        )
        for i in range(WORKERS)
    ]
    # when all are announced at once
    outcomes = _race(items, world.ppk)
    # then three fit, the others are refused, and nothing else went wrong
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 3, outcomes
    announced = ProcurementPlanItem.objects.filter(status=PlanItemStatus.ANNOUNCED)
    codes = sorted(announced.values_list("rup_code", flat=True))
    assert codes == ["20265301000001", "20265301000002", "20265301000003"]
    # and each line's committed figure is exactly what the announced items drew
    assert BudgetLine.objects.get(pk=world.lines[0].pk).committed == Decimal("450000000.00")
    assert BudgetLine.objects.get(pk=world.lines[1].pk).committed == Decimal("3.00")
    refused = ProcurementPlanItem.objects.filter(status=PlanItemStatus.DRAFT)
    assert refused.count() == 3 and not refused.exclude(rup_code=None).exists()
    assert not LedgerEntry.objects.filter(reference__in=[f"rup:{i.pk}" for i in refused]).exists()

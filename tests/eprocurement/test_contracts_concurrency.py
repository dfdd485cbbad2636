"""Proof on PostgreSQL that payments racing on one contract never pay more than its value:
the package and contract rows are locked, so each payment sees what the others paid."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.db import connection

from ebudgeting.models import BudgetLine
from eprocurement.models import ContractPayment
from eprocurement.services.contracts import contract_pay
from tests.eprocurement.factories_awards import opened_world, signed
from tests.support.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

WORKERS = 4


def test_concurrent_payments_never_exceed_the_contract(kab_kupang):
    # given a signed contract of Rp800 juta
    world = opened_world(kab_kupang)
    contract = signed(world)
    payments = [
        functools.partial(
            contract_pay,
            contract=contract,
            actor=world.ppk,
            number=f"SP2D/{i}",
            date=datetime.date(2026, 7, 1),
            amount="300000000",
            description="Termin",
        )
        for i in range(WORKERS)
    ]

    # when four payments of Rp300 juta arrive at once
    outcomes = race(payments)

    # then two fit, two are refused, and the line moved by exactly what was paid
    assert sorted(outcomes) == ["ok"] * 2 + ["refused"] * 2, outcomes
    assert sum(ContractPayment.objects.values_list("amount", flat=True)) == Decimal("600000000.00")
    line = BudgetLine.objects.get(pk=world.lines[0].pk)
    assert (line.committed, line.realized) == (Decimal("200000000.00"), Decimal("600000000.00"))

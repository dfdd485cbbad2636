"""Proof on PostgreSQL that concurrent commitments never take a line below zero.

Each thread has its own database connection (Django's connections are per thread) and
its own transaction; a barrier releases them together, so they really race for the
line. The row lock makes them queue: the ones that still fit succeed, the rest are
refused with a DomainError, and the line and its ledger agree.
"""

import datetime
import functools
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from ebudgeting.choices import DocumentStatus, LedgerEntryKind
from ebudgeting.models import LedgerEntry
from ebudgeting.services.ledger import ledger_commit, ledger_realize
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory
from tests.support.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

WORKERS = 8


def _race(work):
    """Run ``work(i)`` in WORKERS threads released at once; the outcome of each."""
    return race([functools.partial(work, i) for i in range(WORKERS)])


def _ledger_sums(line):
    sums = dict(LedgerEntry.objects.filter(line=line).values_list("kind").annotate(Sum("amount")))
    zero = Decimal("0")
    return (
        sums.get(LedgerEntryKind.COMMIT, zero) - sums.get(LedgerEntryKind.RELEASE, zero),
        sums.get(LedgerEntryKind.REALIZE, zero),
    )


def test_concurrent_commitments_that_together_do_not_fit_never_overdraw_the_line():
    # given a line of Rp12.000.000 and eight commitments of Rp5.000.000 each: any one fits,
    # only two together do
    line = BudgetLineFactory(document=BudgetDocumentFactory(status=DocumentStatus.APPROVED))

    # when they all arrive at the same moment
    outcomes = _race(lambda i: ledger_commit(line_id=line.pk, amount="5000000", reference=f"K{i}", actor=None))

    # then exactly the two that fit succeed, the rest are refused, nothing else goes wrong
    assert sorted(outcomes) == ["ok"] * 2 + ["refused"] * 6
    line.refresh_from_db()
    assert line.committed == Decimal("10000000") and line.available == Decimal("2000000")
    assert _ledger_sums(line) == (line.committed, line.realized)


def test_concurrent_commitments_and_payments_keep_line_and_ledger_in_step():
    # given the same line; half the racers commit Rp3.000.000, half pay Rp3.000.000 directly
    line = BudgetLineFactory(document=BudgetDocumentFactory(status=DocumentStatus.APPROVED))

    def work(i):
        if i % 2:
            ledger_commit(line_id=line.pk, amount="3000000", reference=f"K{i}", actor=None)
        else:
            ledger_realize(
                line_id=line.pk,
                amount="3000000",
                number=f"SP2D-{i}",
                date=datetime.date(2026, 5, 2),
                purpose="Honorarium",
                actor=None,
            )

    outcomes = _race(work)

    # then four fit (4 × 3.000.000 = 12.000.000), whichever kind, and the line is exactly spent
    assert sorted(outcomes) == ["ok"] * 4 + ["refused"] * 4
    line.refresh_from_db()
    assert line.available == 0
    assert _ledger_sums(line) == (line.committed, line.realized)

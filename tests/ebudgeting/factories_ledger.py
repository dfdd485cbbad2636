"""Rows for the ledger, realization and PDF tests, built on the shared E-Budgeting factories."""

import datetime
from decimal import Decimal

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import Realization
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory
from tests.factories import AgencyFactory


def approved_document(region, **kwargs):
    """An approved, current DPA of 2026 of a new agency in ``region``."""
    agency = kwargs.pop("agency", None) or AgencyFactory(region=region)
    return BudgetDocumentFactory(agency=agency, status=DocumentStatus.APPROVED, number="DPA/001/2026", **kwargs)


def paid(line, amount, month, number=None):
    """A realization written directly (the services' own tests go through the service)."""
    line.realized += Decimal(amount)
    line.save(update_fields=["realized"])
    return Realization.objects.create(
        line=line,
        number=number or f"SP2D-{line.pk}-{month}-{Realization.objects.count()}",
        date=datetime.date(2026, month, 15),
        amount=Decimal(amount),
        purpose="Pembayaran uji",
    )


def lines_with_payments(document, count):
    """``count`` lines, each paid Rp100.000 in March."""
    lines = [BudgetLineFactory(document=document) for _ in range(count)]
    for line in lines:
        paid(line, "100000", 3)
    return lines

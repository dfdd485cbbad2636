"""The budget documents' running totals (amount, committed, realized of their lines).

Line services recompute a document's totals from its lines while they hold the
document's row lock; ledger services add their change to the totals with an
UPDATE … SET total = total + delta, which PostgreSQL applies to the latest row version,
so concurrent payments on different lines of one DPA never lose each other's figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import BudgetDocument, BudgetLine

ZERO = Decimal("0")
_MONEY = DecimalField(max_digits=18, decimal_places=2)


def _line_sum(field: str):
    lines = BudgetLine.objects.filter(document=OuterRef("pk")).order_by().values("document")
    return Coalesce(Subquery(lines.annotate(total=Sum(field)).values("total")), Value(ZERO), output_field=_MONEY)


def refresh_document_totals(document_id: int) -> None:
    """Recompute from the lines. Call with the document row locked."""
    BudgetDocument.objects.filter(pk=document_id).update(
        total_amount=_line_sum("amount"),
        total_committed=_line_sum("committed"),
        total_realized=_line_sum("realized"),
    )


def add_to_document_totals(document_id: int, *, committed: Decimal = ZERO, realized: Decimal = ZERO) -> None:
    """Add a ledger movement of one of the document's lines to its totals."""
    BudgetDocument.objects.filter(pk=document_id).update(
        total_committed=F("total_committed") + committed, total_realized=F("total_realized") + realized
    )

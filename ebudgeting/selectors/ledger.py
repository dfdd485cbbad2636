"""Reads for the ledger and realization pages, the API and the cash-plan chart.

Monthly figures are grouped sums computed by the database: the plan-versus-realization
table costs two queries, whatever the number of lines and payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from portal.choices import Role

from ..choices import DocumentStatus
from ..models import BudgetDocument, BudgetLine, CashPlanMonth, LedgerEntry, Realization

ZERO = Decimal("0")
# Who may move money on a line of their agency: procurement (PPK), the budget office, the treasurer.
LEDGER_ROLES = (Role.BUDGET_OFFICER, Role.TREASURER, Role.PPK)
# Who records SP2D payments.
REALIZATION_ROLES = (Role.TREASURER,)


def _money_sum(path: str, **kwargs):
    return Coalesce(Sum(path, **kwargs), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2))


def ledger_entries(line: BudgetLine):
    return LedgerEntry.objects.filter(line=line).select_related("actor").order_by("created", "id")


def ledger_entries_visible(user, *, line_id=None):
    qs = LedgerEntry.objects.visible_to(user).select_related("actor")
    if line_id is not None:
        qs = qs.filter(line_id=line_id)
    return qs.order_by("line_id", "created", "id")


def realizations_visible(user, *, document_id=None, line_id=None):
    qs = Realization.objects.visible_to(user).select_related("created_by")
    if document_id is not None:
        qs = qs.filter(line__document_id=document_id)
    if line_id is not None:
        qs = qs.filter(line_id=line_id)
    return qs.order_by("-date", "-id")


def document_realizations(document: BudgetDocument):
    """The document's payments, newest first, each with its line's codes (one query)."""
    return (
        Realization.objects.filter(line__document=document)
        .select_related("line__account", "line__plan_item__sub_activity", "created_by")
        .order_by("-date", "-id")
    )


def line_realizations(line: BudgetLine):
    return Realization.objects.filter(line=line).select_related("created_by").order_by("-date", "-id")


def spendable_lines(document: BudgetDocument):
    """Lines to pick from when recording a payment, with what is left on each."""
    return (
        document.lines.select_related("plan_item__sub_activity", "account")
        .annotate(available_amount=F("amount") - F("committed") - F("realized"))
        .order_by("plan_item__sub_activity__code", "account__code", "pk")
    )


def realization_documents(user):
    """Approved documents ``user`` may read, with budget, committed and realized (one query)."""
    return (
        BudgetDocument.objects.visible_to(user)
        .filter(Q(status=DocumentStatus.APPROVED) | Q(status=DocumentStatus.SUPERSEDED))
        .select_related("agency__region", "fiscal_year")
        .annotate(
            total=_money_sum("lines__amount"),
            committed_total=_money_sum("lines__committed"),
            realized_total=_money_sum("lines__realized"),
            line_count=Count("lines"),
        )
        .order_by("-fiscal_year__year", "agency__region__code", "agency__name", "-version")
    )


# --- Plan against realization, per month -------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: int
    planned: Decimal
    realized: Decimal
    planned_cumulative: Decimal
    realized_cumulative: Decimal

    @property
    def percent_of_plan(self) -> Decimal | None:
        """Cumulative realization as a share of the cumulative plan."""
        if not self.planned_cumulative:
            return None
        return (self.realized_cumulative * 100 / self.planned_cumulative).quantize(Decimal("0.1"))


def cash_plan_vs_realization(*, document: BudgetDocument | None = None, line: BudgetLine | None = None):
    """Twelve months of planned (cash plan) and realized (SP2D) amounts, with running
    totals; for a whole document or one line. Two grouped queries."""
    if (document is None) == (line is None):
        raise ValueError("Give a document or a line.")
    where = {"line": line} if line is not None else {"line__document": document}
    planned = dict(
        CashPlanMonth.objects.filter(**where)
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    realized = dict(
        Realization.objects.filter(**where)
        .annotate(month=ExtractMonth("date"))
        .order_by()
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    rows, plan_run, real_run = [], ZERO, ZERO
    for month in range(1, 13):
        plan, real = planned.get(month) or ZERO, realized.get(month) or ZERO
        plan_run, real_run = plan_run + plan, real_run + real
        rows.append(MonthFigures(month, plan, real, plan_run, real_run))
    return rows

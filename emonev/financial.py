"""Money of a contract or a plan item, read from E-Budgeting: the one place where the
financial progress of a report comes from (never typed again)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine, Realization
from eplanning.models import PlanItem
from eprocurement.models import Contract, ContractPayment

ZERO = Decimal("0.00")


def realizations_of(subject) -> Q:
    """The realizations (SP2D) that count for ``subject``.

    For a contract: those recorded with the contract as their subject, and those linked
    to its payments (a realization in both counts once: it is one row). For a plan item:
    those on any of its budget lines (a budget revision moves them to the new lines).
    """
    if isinstance(subject, Contract):
        linked = ContractPayment.realizations.through.objects.filter(contractpayment__contract_id=subject.pk)
        return Q(subject_type=ContentType.objects.get_for_model(Contract), subject_id=str(subject.pk)) | Q(
            pk__in=linked.values("realization_id")
        )
    if isinstance(subject, PlanItem):
        return Q(line__plan_item_id=subject.pk)
    raise TypeError(f"not a monitored subject: {subject!r}")


def realized_up_to(subject, day: datetime.date) -> Decimal:
    """What was disbursed for ``subject`` with an SP2D dated on or before ``day``."""
    total = Realization.objects.filter(realizations_of(subject), date__lte=day).aggregate(total=Sum("amount"))
    return total["total"] or ZERO


def subject_total(subject) -> Decimal:
    """Where a financial curve must end: the contract's value, or a plan item's budget
    (its lines in the DPA in force)."""
    if isinstance(subject, Contract):
        return subject.value
    lines = BudgetLine.objects.filter(plan_item_id=subject.pk, document__status=DocumentStatus.APPROVED)
    return lines.aggregate(total=Sum("amount"))["total"] or ZERO

"""E-Budgeting's part of a plan item's outcome on the public Musrenbang page: what the
DPA in force budgets for it, and how much of that has been paid (SP2D).

Registered with ``eplanning.outcomes`` in ``EbudgetingConfig.ready()``; E-Planning
never imports this module.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from eplanning.outcomes import OutcomeFact

from .choices import DocumentStatus
from .models import BudgetLine


def _rupiah(amount) -> str:
    return "Rp" + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def budget_outcomes(plan_item_ids: list[int]) -> dict[int, list[OutcomeFact]]:
    """Budgeted and realized per plan item, over the lines of approved DPAs in force
    (a superseded version no longer counts): one aggregate query for all the ids."""
    rows = (
        BudgetLine.objects.filter(plan_item_id__in=plan_item_ids, document__status=DocumentStatus.APPROVED)
        .values("plan_item_id")
        .annotate(budgeted=Sum("amount"), realized=Sum("realized"))
        .order_by()
    )
    return {
        row["plan_item_id"]: [
            OutcomeFact(label=_("Budgeted (DPA)"), value=_rupiah(row["budgeted"])),
            OutcomeFact(label=_("Realized (SP2D)"), value=_rupiah(row["realized"])),
        ]
        for row in rows
    }

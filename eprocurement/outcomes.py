"""What procurement made of a plan item, for E-Planning's public Musrenbang page.

Registered with ``eplanning.outcomes`` in ``EprocurementConfig.ready()``: for each plan
item, the public tenders its budget lines fund (through the RUP items drawing on them),
with their status, and the contract value once signed. One query for a whole page.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from eplanning.outcomes import OutcomeFact

from .choices import PACKAGE_PUBLIC_STATES, PackageStatus
from .models import PackagePlanItem


def _rupiah(amount) -> str:
    return "Rp" + number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def procurement_outcomes(plan_item_ids: list[int]) -> dict[int, list[OutcomeFact]]:
    rows = (
        PackagePlanItem.objects.filter(
            plan_item__fundings__budget_line__plan_item_id__in=plan_item_ids,
            package__status__in=PACKAGE_PUBLIC_STATES,
        )
        .values(
            "plan_item__fundings__budget_line__plan_item_id",
            "package_id",
            "package__code",
            "package__status",
            "package__contract__number",
            "package__contract__value",
        )
        .distinct()
        .order_by("plan_item__fundings__budget_line__plan_item_id", "package_id")
    )
    facts: dict[int, list[OutcomeFact]] = {}
    for row in rows:
        items = facts.setdefault(row["plan_item__fundings__budget_line__plan_item_id"], [])
        status = PackageStatus(row["package__status"]).label
        url = reverse("eprocurement:tender_detail", args=[row["package_id"]])
        items.append(OutcomeFact(label=_("Tender"), value=f"{row['package__code']} · {status}", url=url))
        if row["package__contract__number"]:
            value = f"{row['package__contract__number']} · {_rupiah(row['package__contract__value'])}"
            items.append(OutcomeFact(label=_("Contract"), value=value, url=url))
    return facts

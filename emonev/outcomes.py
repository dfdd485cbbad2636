"""How far the work of a plan item has gone, for E-Planning's public Musrenbang page.

Registered with ``eplanning.outcomes`` in ``EmonevConfig.ready()``: the physical progress
of the latest accepted monthly report of each plan item (accepted reports only: a draft
or a report Bappeda has not checked is not public). One query for a whole page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eplanning.outcomes import OutcomeFact

from .choices import ReportStatus
from .models import ProgressReport


def progress_outcomes(plan_item_ids: list[int]) -> dict[int, list[OutcomeFact]]:
    rows = (
        ProgressReport.objects.filter(plan_item_id__in=plan_item_ids, status=ReportStatus.ACCEPTED)
        .order_by("plan_item_id", "-year", "-month")
        .values_list("plan_item_id", "year", "month", "physical_pct")
    )
    facts: dict[int, list[OutcomeFact]] = {}
    for plan_item_id, year, month, physical in rows:
        if plan_item_id in facts:
            continue  # an earlier month of an item already listed
        value = f"{physical}% ({month:02d}/{year})"
        facts[plan_item_id] = [OutcomeFact(label=_("Physical progress"), value=value)]
    return facts

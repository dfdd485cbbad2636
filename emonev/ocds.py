"""E-Monev's part of a contract's OCDS release: one ``implementation.milestones`` entry per
month of the contract's progress.

A month with an accepted report is ``met`` when the reported physical progress reached the
month's plan (``notMet`` when it fell short); a planned month not yet accepted is
``scheduled``. The due date is the month's end, the date the planned curve is read at.
Only accepted reports are published: a submitted or returned one is not yet the agency's
word. Registered with ``eprocurement.ocds.providers`` from ``EmonevConfig.ready()``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from eprocurement.ocds.builder import when

from .choices import ReportStatus
from .models import PlannedPoint, ProgressReport
from .rules import month_end


def contract_milestones(contract) -> dict:
    """``{"milestones": [...]}`` for ``contract``, month by month (two queries)."""
    accepted = {
        (r.year, r.month): r
        for r in ProgressReport.objects.filter(contract_id=contract.pk, status=ReportStatus.ACCEPTED)
    }
    planned = {(p.year, p.month): p.physical_pct for p in PlannedPoint.objects.filter(curve__contract_id=contract.pk)}
    months = sorted(set(accepted) | set(planned))
    return {"milestones": [_milestone(month, accepted.get(month), planned.get(month)) for month in months]}


def _milestone(month: tuple[int, int], report, planned_pct) -> dict:
    year, number = month
    due = month_end(year, number)
    milestone = {
        "id": f"progress-{year}-{number:02d}",
        "title": _("Physical progress %(month)02d/%(year)s") % {"month": number, "year": year},
        "type": "delivery",
        "dueDate": when(due),
    }
    if report is None:
        milestone["status"] = "scheduled"
        milestone["description"] = _("Planned physical progress: %(planned)s%%.") % {"planned": planned_pct}
        return milestone
    # The plan of the month as it stood when the report was submitted (kept on the report).
    plan = report.planned_physical_pct if report.planned_physical_pct is not None else planned_pct
    milestone["dateModified"] = when(report.decided_at)
    if plan is None:
        milestone["description"] = _("Actual physical progress: %(actual)s%% (no plan for this month).") % {
            "actual": report.physical_pct
        }
        return milestone
    met = report.physical_pct >= plan
    milestone["status"] = "met" if met else "notMet"
    if met:
        milestone["dateMet"] = when(due)
    milestone["description"] = _("Physical progress planned %(planned)s%%, actual %(actual)s%%.") % {
        "planned": plan,
        "actual": report.physical_pct,
    }
    return milestone

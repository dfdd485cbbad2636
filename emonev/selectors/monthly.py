"""Reads of the stored monthly reports: the list a person may download (one query) and
one report checked by scope."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.scoping import get_scoped_or_404

from ..models import MonthlyReport


def visible_monthly_reports(user, *, year: str = "") -> QuerySet:
    rows = MonthlyReport.objects.visible_to(user).select_related("region", "agency")
    if str(year).isdigit():
        rows = rows.filter(year=int(year))
    return rows.order_by("-year", "-month", "region__name", "agency__name", "id")


def get_monthly_report_for(user, pk) -> MonthlyReport:
    return get_scoped_or_404(MonthlyReport.objects.select_related("region", "agency"), user, pk)

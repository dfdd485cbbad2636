"""Reads for the procurement plan (RUP) pages and API."""

from __future__ import annotations

from django.db.models import Count, F, QuerySet

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine
from portal.models import Agency, FiscalYear
from portal.scoping import get_scoped_or_404

from ..choices import PlanItemStatus, ProcurementKind, ProcurementMethod
from ..models import ProcurementFunding, ProcurementPlanItem
from ..services.plans import PLAN_ROLES

PUBLIC_FIELDS = (
    "id",
    "rup_code",
    "name",
    "kind",
    "method",
    "value",
    "selection_start",
    "selection_end",
    "small_business_reserved",
    "fiscal_year__year",
    "agency__name",
    "agency__region__name",
)


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("agency__region", "fiscal_year")


def plan_items_visible(user, *, year="", kind="", method="", status="") -> QuerySet:
    """The items ``user`` may read, filtered; each row carries its number of fundings."""
    items = _with_relations(ProcurementPlanItem.objects.visible_to(user)).annotate(funding_count=Count("fundings"))
    if str(year).isdigit():
        items = items.filter(fiscal_year__year=int(year))
    if kind in ProcurementKind.values:
        items = items.filter(kind=kind)
    if method in ProcurementMethod.values:
        items = items.filter(method=method)
    if status in PlanItemStatus.values:
        items = items.filter(status=status)
    return items.order_by("-fiscal_year__year", "agency__name", "-id")


def get_plan_item_for(user, pk, *, write: bool = False) -> ProcurementPlanItem:
    """The item if ``user`` may read it (and, with ``write``, change it as PPK or budget officer)."""
    return get_scoped_or_404(
        _with_relations(ProcurementPlanItem.objects.all()), user, pk, write=write, roles=PLAN_ROLES
    )


def can_change(user, item: ProcurementPlanItem) -> bool:
    return ProcurementPlanItem.objects.editable_by(user, PLAN_ROLES).filter(pk=item.pk).exists()


def plan_agencies(user) -> QuerySet:
    """Agencies whose plan ``user`` may draft."""
    return Agency.objects.editable_by(user, PLAN_ROLES).filter(is_active=True).select_related("region")


def open_fiscal_years() -> QuerySet:
    return FiscalYear.objects.filter(is_open=True).order_by("year")


def item_fundings(item: ProcurementPlanItem) -> QuerySet:
    """The item's fundings with their lines' codes and what the lines have left."""
    return (
        ProcurementFunding.objects.filter(plan_item=item)
        .select_related("budget_line__account", "budget_line__plan_item__sub_activity")
        .annotate(line_available=F("budget_line__amount") - F("budget_line__committed") - F("budget_line__realized"))
        .order_by("budget_line_id")
    )


def fundable_lines(agency_id: int, fiscal_year_id: int) -> QuerySet:
    """The lines of the agency's approved DPA for the year, with what each has available."""
    return (
        BudgetLine.objects.filter(
            document__agency_id=agency_id,
            document__fiscal_year_id=fiscal_year_id,
            document__status=DocumentStatus.APPROVED,
        )
        .select_related("account", "plan_item__sub_activity")
        .annotate(line_available=F("amount") - F("committed") - F("realized"))
        .order_by("plan_item__sub_activity__code", "account__code", "id")
    )


def public_plan_items(*, year="", kind="", method="") -> QuerySet:
    """Announced items for the public list: only what the public page shows, as plain rows."""
    items = ProcurementPlanItem.objects.filter(status=PlanItemStatus.ANNOUNCED)
    if str(year).isdigit():
        items = items.filter(fiscal_year__year=int(year))
    if kind in ProcurementKind.values:
        items = items.filter(kind=kind)
    if method in ProcurementMethod.values:
        items = items.filter(method=method)
    return _with_relations(items).only(*PUBLIC_FIELDS).order_by("-fiscal_year__year", "selection_start", "id")

"""Reads for plan items, their tree, ceilings and the RPJMD pages: sums in SQL, no query per row."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.choices import Role
from portal.models import Agency, FiscalYear, Region
from portal.navigation import WorkItem
from portal.roles import has_role
from portal.scoping import get_scoped_or_404, reach_of
from portal.search import text_search

from ..choices import PLAN_EDITABLE, PlanStatus
from ..models import AgencyCeiling, PlanItem, RpjmdGoal, RpjmdIndicator, RpjmdObjective

COUNTED_STATUSES = (PlanStatus.SUBMITTED, PlanStatus.VERIFIED, PlanStatus.APPROVED)
PLAN_READER_ROLES = (
    Role.PLANNER,
    Role.PLAN_VERIFIER,
    Role.LEADER,
    Role.AUDITOR,
    Role.BUDGET_OFFICER,
    Role.BUDGET_VERIFIER,
)
MONEY = DecimalField(max_digits=18, decimal_places=2)


# --- Single records --------------------------------------------------------------------


def get_plan_item_for(user, pk, *, write: bool = False) -> PlanItem:
    """A plan item its reader may see; with ``write``, one a planner of its agency may change."""
    qs = PlanItem.objects.select_related("region", "agency", "fiscal_year", "sub_activity", "objective__goal")
    return get_scoped_or_404(qs, user, pk, write=write, roles=[Role.PLANNER] if write else None)


def get_agency_ceiling_for(user, pk, *, write: bool = False) -> AgencyCeiling:
    qs = AgencyCeiling.objects.select_related("agency__region", "fiscal_year")
    return get_scoped_or_404(qs, user, pk, write=write, roles=[Role.PLAN_VERIFIER] if write else None)


def get_rpjmd_goal_for(user, pk, *, write: bool = False) -> RpjmdGoal:
    qs = RpjmdGoal.objects.select_related("region")
    return get_scoped_or_404(qs, user, pk, write=write, roles=[Role.PLAN_VERIFIER] if write else None)


def get_rpjmd_objective_for(user, pk, *, write: bool = False) -> RpjmdObjective:
    qs = RpjmdObjective.objects.select_related("goal__region")
    return get_scoped_or_404(qs, user, pk, write=write, roles=[Role.PLAN_VERIFIER] if write else None)


def plan_item_detail(item: PlanItem) -> dict:
    """What the item's page shows beside the item itself."""
    return {
        "indicators": list(item.indicators.order_by("id")),
        "versions": list(item.versions.order_by("-revision")),
    }


def plan_item_actions(user, item: PlanItem) -> set[str]:
    """The workflow buttons this person may press on this item now."""
    if not user.is_authenticated:
        return set()
    actions = set()
    if PlanItem.objects.editable_by(user, [Role.PLANNER]).filter(pk=item.pk).exists():
        if item.status in PLAN_EDITABLE:
            actions |= {"edit", "submit"}
        if item.status == PlanStatus.APPROVED:
            actions.add("revise")
    if PlanItem.objects.editable_by(user, [Role.PLAN_VERIFIER]).filter(pk=item.pk).exists():
        actions |= {
            PlanStatus.SUBMITTED: {"verify", "return"},
            PlanStatus.VERIFIED: {"approve", "return"},
        }.get(item.status, set())
    return actions


# --- Lists -----------------------------------------------------------------------------


PLAN_SEARCH_FIELDS = ("title", "sub_activity__name")


def plan_items_visible(user, *, year=None, agency=None, status=None, search=None, region=None):
    """The plan items list (page, export, API), filtered."""
    qs = PlanItem.objects.visible_to(user).select_related("region", "agency", "fiscal_year", "sub_activity")
    if year:
        qs = qs.filter(fiscal_year__year=year)
    if agency:
        qs = qs.filter(agency_id=agency)
    if region:
        qs = qs.filter(region_id=region)
    if status:
        qs = qs.filter(status=status)
    if search:
        # A code is matched from its start; words in the title or sub-activity name by full text.
        qs = qs.filter(sub_activity__code__startswith=search.strip()) | text_search(qs, PLAN_SEARCH_FIELDS, search)
    return qs.order_by("-fiscal_year__year", "agency__name", "sub_activity__code", "id")


def plan_list_agencies(user):
    """The agency filter's choices: agencies with plan items this person may read, by region."""
    items = PlanItem.objects.visible_to(user).values("agency_id")
    return Agency.objects.filter(pk__in=items).select_related("region").order_by("region__code", "name")


def regions_for_planning(user):
    """Regions whose plans this person may read (a province coordinator: the province and its regencies)."""
    reach = reach_of(user)
    if reach.everything:
        return Region.objects.order_by("code")
    return Region.objects.filter(pk__in=reach.member_region_ids | reach.child_region_ids).order_by("code")


def open_fiscal_years():
    return FiscalYear.objects.filter(is_open=True).order_by("-year")


# --- The plan tree ------------------------------------------------------------------


def plan_tree(user, *, region_id: int, year: int) -> dict:
    """Program → activity → sub-activity of a region's year, with item counts and total
    indicative ceilings: one grouped query, the sums of the upper levels added up here."""
    rows = (
        PlanItem.objects.visible_to(user)
        .filter(region_id=region_id, fiscal_year__year=year)
        .values(
            "sub_activity__parent__parent__code",
            "sub_activity__parent__parent__name",
            "sub_activity__parent__code",
            "sub_activity__parent__name",
            "sub_activity__code",
            "sub_activity__name",
        )
        .annotate(items=Count("id"), total=Sum("indicative_ceiling"))
        .order_by("sub_activity__code")
    )
    programs: dict[str, dict] = {}
    grand = {"items": 0, "total": Decimal("0")}
    for row in rows:
        program = _node(programs, row["sub_activity__parent__parent__code"], row["sub_activity__parent__parent__name"])
        activity = _node(program["children"], row["sub_activity__parent__code"], row["sub_activity__parent__name"])
        leaf = _node(activity["children"], row["sub_activity__code"], row["sub_activity__name"])
        for node in (program, activity, leaf, grand):
            node["items"] += row["items"]
            node["total"] += row["total"]
    return {"programs": [_listed(p) for p in programs.values()], **grand}


def _node(siblings: dict, code, name) -> dict:
    return siblings.setdefault(
        code or "", {"code": code or "", "name": name or "", "items": 0, "total": Decimal(0), "children": {}}
    )


def _listed(node: dict) -> dict:
    return {**node, "children": [_listed(c) for c in node["children"].values()]}


# --- Ceilings ------------------------------------------------------------------------


def ceilings_visible(user, *, year=None, region=None):
    """Agencies' ceilings with what their submitted, verified and approved items use."""
    used = (
        PlanItem.objects.filter(
            agency_id=OuterRef("agency_id"), fiscal_year_id=OuterRef("fiscal_year_id"), status__in=COUNTED_STATUSES
        )
        .order_by()
        .values("agency_id")
        .annotate(total=Sum("indicative_ceiling"))
        .values("total")
    )
    qs = AgencyCeiling.objects.visible_to(user).select_related("agency__region", "fiscal_year")
    if year:
        qs = qs.filter(fiscal_year__year=year)
    if region:
        qs = qs.filter(agency__region_id=region)
    qs = qs.annotate(used=Coalesce(Subquery(used, output_field=MONEY), Value(Decimal("0"), output_field=MONEY)))
    qs = qs.annotate(remaining=ExpressionWrapper(F("amount") - F("used"), output_field=MONEY))
    return qs.order_by("-fiscal_year__year", "agency__region__code", "agency__name")


def can_set_ceilings(user) -> bool:
    reach = reach_of(user, [Role.PLAN_VERIFIER])
    return bool(reach.everything or reach.region_ids)


def ceiling_agencies(user):
    return (
        Agency.objects.editable_by(user, [Role.PLAN_VERIFIER]).filter(is_active=True).order_by("region__code", "name")
    )


# --- RPJMD ---------------------------------------------------------------------------


def rpjmd_for_region(user, *, region_id: int):
    """A region's goals with objectives, indicators and targets: four queries in all."""
    indicators = RpjmdIndicator.objects.prefetch_related("targets")
    objectives = RpjmdObjective.objects.prefetch_related(Prefetch("indicators", queryset=indicators))
    return (
        RpjmdGoal.objects.visible_to(user)
        .filter(region_id=region_id)
        .prefetch_related(Prefetch("objectives", queryset=objectives))
        .order_by("-period_start", "code")
    )


def objectives_for_region(region_id: int):
    return (
        RpjmdObjective.objects.filter(goal__region_id=region_id).select_related("goal").order_by("goal__code", "code")
    )


# --- Home page -----------------------------------------------------------------------


def work_counts(user) -> dict:
    """Submitted items waiting for this verifier, and returned items for this planner:
    at most two count queries, whatever the number of items."""
    counts = {"to_verify": 0, "returned": 0}
    if has_role(user, Role.PLAN_VERIFIER):
        waiting = PlanItem.objects.editable_by(user, [Role.PLAN_VERIFIER]).filter(status=PlanStatus.SUBMITTED)
        counts["to_verify"] = waiting.count()
    if has_role(user, Role.PLANNER):
        returned = PlanItem.objects.editable_by(user, [Role.PLANNER]).filter(status=PlanStatus.RETURNED)
        counts["returned"] = returned.count()
    return counts


def can_create_plan_items(user) -> bool:
    return Agency.objects.editable_by(user, [Role.PLANNER]).exists()


def can_keep_rpjmd(user, region) -> bool:
    reach = reach_of(user, [Role.PLAN_VERIFIER])
    return reach.everything or region.pk in reach.region_ids


def plan_work(user) -> list:
    """The home page's lines: submitted items waiting for Bappeda, returned items for planners."""
    counts = work_counts(user)
    url = reverse("eplanning:plan_list")
    items = []
    if counts["to_verify"]:
        items.append(WorkItem(_("Plan items waiting for verification"), counts["to_verify"], f"{url}?status=submitted"))
    if counts["returned"]:
        items.append(WorkItem(_("Plan items returned for correction"), counts["returned"], f"{url}?status=returned"))
    return items

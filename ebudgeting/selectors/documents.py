"""Reads for the budget document pages, the API and the summaries.

Totals are computed by the database (grouped sums); a page runs the same number of
queries whatever the number of lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from portal.choices import Role
from portal.models import Agency, Region
from portal.scoping import get_scoped_or_404

from ..choices import DocumentStatus
from ..models import BudgetDocument, BudgetLine

ZERO = Decimal("0")
BUDGET_ROLES = (Role.BUDGET_OFFICER, Role.BUDGET_VERIFIER)
# Paths from a line to the groups of the document page.
SUB_ACTIVITY = "plan_item__sub_activity"
ACTIVITY = "plan_item__sub_activity__parent"
PROGRAM = "plan_item__sub_activity__parent__parent"


def _money_sum(path: str, **kwargs):
    return Coalesce(Sum(path, **kwargs), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2))


# --- Single records ---------------------------------------------------------------------


def get_document_for(user, pk, *, write: bool = False, roles=None) -> BudgetDocument:
    queryset = BudgetDocument.objects.select_related("agency__region", "fiscal_year", "previous")
    return get_scoped_or_404(queryset, user, pk, write=write, roles=roles)


def get_line_for(user, pk, *, write: bool = False, roles=None) -> BudgetLine:
    queryset = BudgetLine.objects.select_related(
        "document__agency__region", "document__fiscal_year", "plan_item__sub_activity", "account", "funding_source"
    ).prefetch_related("cash_plan")
    return get_scoped_or_404(queryset, user, pk, write=write, roles=roles)


# --- Lists ----------------------------------------------------------------------------


def documents_for(user):
    """The documents ``user`` may read, with their totals (one query)."""
    return (
        BudgetDocument.objects.visible_to(user)
        .select_related("agency__region", "fiscal_year")
        .annotate(total=_money_sum("lines__amount"), line_count=Count("lines"))
        .order_by("-fiscal_year__year", "agency__region__code", "agency__name", "-version")
    )


def document_versions(document: BudgetDocument):
    return BudgetDocument.objects.filter(agency_id=document.agency_id, fiscal_year_id=document.fiscal_year_id).order_by(
        "-version"
    )


def document_lines(document: BudgetDocument):
    """The lines in page order, each with its available balance."""
    return (
        document.lines.select_related(f"{SUB_ACTIVITY}__parent__parent", "plan_item", "account", "funding_source")
        .annotate(available_amount=F("amount") - F("committed") - F("realized"))
        .order_by(f"{PROGRAM}__code", f"{ACTIVITY}__code", f"{SUB_ACTIVITY}__code", "account__code", "pk")
    )


# --- The document page: lines grouped with subtotals --------------------------------------


@dataclass
class Group:
    level: str  # "program", "activity" or "sub_activity"
    code: str
    name: str
    amount: Decimal = ZERO
    committed: Decimal = ZERO
    realized: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.amount - self.committed - self.realized


@dataclass
class DocumentTree:
    """Rows to render in order: a Group opens each program, activity and sub-activity;
    the lines follow their sub-activity."""

    rows: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    page: Page | None = None


def _group_totals(document: BudgetDocument, path: str) -> dict:
    rows = (
        document.lines.order_by()
        .values(f"{path}__id")
        .annotate(amount=_money_sum("amount"), committed=_money_sum("committed"), realized=_money_sum("realized"))
    )
    return {row[f"{path}__id"]: row for row in rows}


def document_tree(document: BudgetDocument, *, per_page: int | None = None, page_number=None) -> DocumentTree:
    """The lines with subtotals per program, activity and sub-activity: four queries
    (three grouped sums and the lines), whatever the number of lines.

    With ``per_page`` only that page's lines are listed (a page repeats the headings of
    the groups it continues) and one count query is added; subtotals and totals are
    always the whole document's. A DPA has thousands of lines: the page stays light.
    """
    totals = {level: _group_totals(document, path) for level, path in _LEVELS}
    tree = DocumentTree()
    lines = document_lines(document)
    if per_page:
        tree.page = Paginator(lines, per_page).get_page(page_number)
        lines = tree.page.object_list
    open_ids = {}
    for line in lines:
        for level, _path in _LEVELS:
            node = _node(line, level)
            if open_ids.get(level) != node.pk:
                open_ids[level] = node.pk
                _reset_below(open_ids, level)
                tree.rows.append(_group(level, node, totals[level].get(node.pk, {})))
        tree.rows.append(line)
    tree.totals = document.lines.aggregate(
        amount=_money_sum("amount"), committed=_money_sum("committed"), realized=_money_sum("realized")
    )
    tree.totals["available"] = tree.totals["amount"] - tree.totals["committed"] - tree.totals["realized"]
    return tree


_LEVELS = (("program", PROGRAM), ("activity", ACTIVITY), ("sub_activity", SUB_ACTIVITY))


def _node(line: BudgetLine, level: str):
    sub_activity = line.plan_item.sub_activity
    if level == "sub_activity":
        return sub_activity
    if level == "activity":
        return sub_activity.parent
    return sub_activity.parent.parent


def _reset_below(open_ids: dict, level: str) -> None:
    names = [name for name, _path in _LEVELS]
    for lower in names[names.index(level) + 1 :]:
        open_ids.pop(lower, None)


def _group(level: str, node, sums: dict) -> Group:
    return Group(
        level=level,
        code=node.code,
        name=node.name,
        amount=sums.get("amount", ZERO),
        committed=sums.get("committed", ZERO),
        realized=sums.get("realized", ZERO),
    )


# --- Differences between two versions ----------------------------------------------------


@dataclass
class LineChange:
    kind: str  # "added", "removed" or "changed"
    old: BudgetLine | None
    new: BudgetLine | None

    @property
    def difference(self) -> Decimal:
        return (self.new.amount if self.new else ZERO) - (self.old.amount if self.old else ZERO)


_COMPARED = ("plan_item_id", "account_id", "funding_source_id", "description", "volume", "unit", "unit_price", "amount")


def document_diff(old: BudgetDocument, new: BudgetDocument) -> list[LineChange]:
    """Line by line, matched by origin: what the newer version added, removed or changed
    (two queries)."""

    def keyed(document):
        lines = document.lines.select_related("plan_item__sub_activity", "account").order_by("pk")
        return {line.origin_id or line.pk: line for line in lines}

    before, after = keyed(old), keyed(new)
    changes = []
    for origin, line in after.items():
        previous = before.get(origin)
        if previous is None:
            changes.append(LineChange("added", None, line))
        elif any(getattr(previous, name) != getattr(line, name) for name in _COMPARED):
            changes.append(LineChange("changed", previous, line))
    changes.extend(LineChange("removed", line, None) for origin, line in before.items() if origin not in after)
    return changes


# --- Summaries ------------------------------------------------------------------------


@dataclass
class SummaryRow:
    subject: object
    budget: Decimal = ZERO
    committed: Decimal = ZERO
    realized: Decimal = ZERO

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed - self.realized


def _rows(subjects, sums: dict) -> list[SummaryRow]:
    rows = []
    for subject in subjects:
        row = sums.get(subject.pk, {})
        rows.append(SummaryRow(subject, row.get("budget", ZERO), row.get("committed", ZERO), row.get("realized", ZERO)))
    return rows


def region_summary(user, region: Region, fiscal_year) -> list[SummaryRow]:
    """Per agency of ``region``: budget, committed, realized, available (two queries)."""
    agencies = Agency.objects.visible_to(user).filter(region=region, parent__isnull=True).order_by("name")
    documents = _in_force_documents(fiscal_year).visible_to(user).filter(agency__region=region)
    return _rows(agencies, _document_sums(documents, "agency_id"))


def province_summary(user, province: Region, fiscal_year) -> list[SummaryRow]:
    """Per region (the province itself and each regency/city): two queries, reading each
    DPA's running totals rather than its lines."""
    regions = Region.objects.filter(Q(pk=province.pk) | Q(parent=province)).order_by("code")
    documents = (
        _in_force_documents(fiscal_year)
        .visible_to(user)
        .filter(Q(agency__region=province) | Q(agency__region__parent=province))
    )
    return _rows(regions, _document_sums(documents, "agency__region_id"))


def _in_force_documents(fiscal_year):
    return BudgetDocument.objects.filter(status=DocumentStatus.APPROVED, fiscal_year=fiscal_year)


def _document_sums(queryset, key: str) -> dict:
    rows = (
        queryset.order_by()
        .values(key)
        .annotate(
            budget=_money_sum("total_amount"),
            committed=_money_sum("total_committed"),
            realized=_money_sum("total_realized"),
        )
    )
    return {row[key]: row for row in rows}


def summary_regions_for(user):
    """Regions whose summary ``user`` may open: where they work, and below a province."""
    from portal.scoping import reach_of

    reach = reach_of(user)
    regions = Region.objects.order_by("code")
    if reach.everything:
        return regions
    return regions.filter(pk__in=reach.member_region_ids | reach.child_region_ids)


def summary_totals(rows: list[SummaryRow]) -> SummaryRow:
    """The sum of a summary's rows (already aggregated by the database)."""
    total = SummaryRow(subject=None)
    for row in rows:
        total.budget += row.budget
        total.committed += row.committed
        total.realized += row.realized
    return total


def documents_work_for(user) -> list:
    """The home page's lines: submitted documents waiting for a budget verifier, returned
    ones waiting for their budget officer (one query per role held, none otherwise)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from portal.navigation import WorkItem
    from portal.roles import has_role

    items = []
    wanted = (
        (Role.BUDGET_VERIFIER, DocumentStatus.SUBMITTED, _("Budget documents waiting for verification")),
        (Role.BUDGET_OFFICER, DocumentStatus.RETURNED, _("Budget documents returned for correction")),
    )
    for role, status, label in wanted:
        if not has_role(user, role):
            continue
        count = BudgetDocument.objects.editable_by(user, [role]).filter(status=status, is_current=True).count()
        if count:
            items.append(WorkItem(label=label, count=count, url=reverse("ebudgeting:document-list")))
    return items

"""The performance evaluation page: approved plan items of a year with their indicators'
quarterly achievement, the semester I and year evaluation, and the means per program
and agency (emonev.performance). Three queries however many rows: plan items with
their agency and program, their indicators, and the achievements recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from eplanning.choices import NomenclatureLevel, PlanStatus
from eplanning.models import PlanIndicator, PlanItem
from portal.scoping import get_scoped_or_404

from ..models import AchievementStatus, IndicatorAchievement
from ..performance import QUARTERS, achievement, band, mean, quarter_target


@dataclass
class Measure:
    pct: Decimal | None

    @property
    def band(self) -> str:
        return band(self.pct)


@dataclass
class QuarterCell:
    quarter: int
    target: Decimal
    record: IndicatorAchievement | None
    pct: Decimal | None

    @property
    def band(self) -> str:
        return band(self.pct)

    @property
    def verified(self) -> bool:
        return self.record is not None and self.record.status == AchievementStatus.VERIFIED


@dataclass
class IndicatorRow:
    indicator: PlanIndicator
    quarters: list[QuarterCell]
    semester1: Measure
    semester2: Measure
    year: Measure


@dataclass
class ItemRow:
    plan_item: PlanItem
    indicators: list[IndicatorRow]
    semester1: Measure
    semester2: Measure
    year: Measure


@dataclass
class Group:
    key: int | None
    code: str
    name: str
    items: list = field(default_factory=list)
    semester1: Measure | None = None
    semester2: Measure | None = None
    year: Measure | None = None
    region_id: int | None = None


def program_of(plan_item: PlanItem):
    node = plan_item.sub_activity
    while node is not None and node.level != NomenclatureLevel.PROGRAM:
        node = node.parent
    return node


def _indicator_row(indicator: PlanIndicator, records: dict) -> IndicatorRow:
    cells = []
    for quarter in QUARTERS:
        record = records.get((indicator.pk, quarter))
        target = quarter_target(indicator, quarter)
        cells.append(QuarterCell(quarter, target, record, achievement(record.actual if record else None, target)))
    return IndicatorRow(indicator, cells, Measure(cells[1].pct), Measure(_second_half(cells)), Measure(cells[3].pct))


def _second_half(cells: list[QuarterCell]) -> Decimal | None:
    """Semester II on its own: what was done from Q2's end to Q4's against what was planned."""
    q2, q4 = cells[1], cells[3]
    if q2.record is None or q4.record is None:
        return None
    return achievement(q4.record.actual - q2.record.actual, q4.target - q2.target)


def _means(rows) -> tuple[Measure, Measure, Measure]:
    return tuple(Measure(mean(getattr(r, name).pct for r in rows)) for name in ("semester1", "semester2", "year"))


def plan_items_for_evaluation(user, *, year: int, agency_id: int | None = None):
    rows = PlanItem.objects.visible_to(user).filter(status=PlanStatus.APPROVED, fiscal_year__year=year)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    return (
        rows.select_related("agency", "sub_activity__parent__parent")
        .prefetch_related(Prefetch("indicators", queryset=PlanIndicator.objects.order_by("id")))
        .order_by("agency__name", "sub_activity__code", "id")
    )


def performance_evaluation(user, *, year: int, agency_id: int | None = None) -> list[Group]:
    """Agencies, each with its programs, each with its plan items and their indicators."""
    items = list(plan_items_for_evaluation(user, year=year, agency_id=agency_id))
    records = {
        (a.indicator_id, a.quarter): a
        for a in IndicatorAchievement.objects.filter(plan_item_id__in=[i.pk for i in items])
    }
    agencies: dict[int, Group] = {}
    for item in items:
        indicator_rows = [_indicator_row(indicator, records) for indicator in item.indicators.all()]
        row = ItemRow(item, indicator_rows, *_means(indicator_rows))
        agency = agencies.setdefault(
            item.agency_id, Group(item.agency_id, item.agency.code, item.agency.name, region_id=item.agency.region_id)
        )
        program = program_of(item)
        key = program.pk if program is not None else None
        group = next((g for g in agency.items if g.key == key), None)
        if group is None:
            group = Group(key, program.code if program else "", program.name if program else "")
            agency.items.append(group)
        group.items.append(row)
    for agency in agencies.values():
        for program in agency.items:
            program.semester1, program.semester2, program.year = _means(program.items)
        agency.semester1, agency.semester2, agency.year = _means([r for p in agency.items for r in p.items])
    return list(agencies.values())


def get_indicator_for(user, pk) -> PlanIndicator:
    """An indicator of a plan item ``user`` may see (404 otherwise)."""
    indicator = PlanIndicator.objects.select_related("plan_item").filter(pk=pk).first() if str(pk).isdigit() else None
    if indicator is None:
        from django.http import Http404

        raise Http404
    get_scoped_or_404(PlanItem.objects.all(), user, indicator.plan_item_id)
    return indicator


def get_achievement_for(user, pk) -> IndicatorAchievement:
    return get_scoped_or_404(IndicatorAchievement.objects.select_related("indicator", "plan_item"), user, pk)


def achievements_work(user) -> list:
    """The home page's line for a monev verifier: achievements waiting for verification in
    the regions they reach (one query when they hold the role, none otherwise)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from portal.navigation import WorkItem
    from portal.roles import has_role

    from ..services.common import VERIFIER_ROLES

    if not has_role(user, *VERIFIER_ROLES):
        return []
    count = (
        IndicatorAchievement.objects.editable_by(user, VERIFIER_ROLES).filter(status=AchievementStatus.RECORDED).count()
    )
    if not count:
        return []
    return [WorkItem(label=_("Indicator achievements to verify"), count=count, url=reverse("emonev:performance"))]

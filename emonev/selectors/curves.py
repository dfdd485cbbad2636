"""Reads of planned curves: the months a subject is planned over, and its plan at a month."""

from __future__ import annotations

from decimal import Decimal

from eprocurement.models import Contract

from ..models import PlannedCurve, PlannedPoint
from ..rules import months_between

ZERO_PCT = Decimal("0.00")


def curve_months(subject) -> list[tuple[int, int]]:
    """A contract is planned over its calendar months, a plan item over its fiscal year."""
    if isinstance(subject, Contract):
        return months_between(subject.starts_on, subject.ends_on)
    year = subject.fiscal_year.year
    return [(year, month) for month in range(1, 13)]


def curve_of(subject) -> PlannedCurve | None:
    field = "contract_id" if isinstance(subject, Contract) else "plan_item_id"
    return PlannedCurve.objects.filter(**{field: subject.pk}).first()


def curve_points(curve: PlannedCurve | None) -> list[PlannedPoint]:
    return list(curve.points.order_by("year", "month")) if curve is not None else []


def planned_at(subject, year: int, month: int) -> tuple[Decimal, Decimal] | None:
    """(physical %, financial Rp) planned by the end of (year, month), or None without a
    curve. Before the first planned month nothing is planned; after the last, everything."""
    curve = curve_of(subject)
    if curve is None:
        return None
    points = curve_points(curve)
    if not points:
        return None
    reached = [p for p in points if (p.year, p.month) <= (year, month)]
    if not reached:
        return ZERO_PCT, Decimal("0.00")
    return reached[-1].physical_pct, reached[-1].financial

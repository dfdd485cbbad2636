"""The rules of monitoring as plain functions of numbers: months of a period, the due
date of a month's report, the proposed S-curve, the deviation colour and the critical
contract rule. No database here; the services and selectors call these."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from .choices import DeviationLevel

HUNDRED = Decimal("100")
CENT = Decimal("0.01")

# --- Months ---------------------------------------------------------------------------------


def months_between(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    """(year, month) of every calendar month from ``start``'s to ``end``'s, both included."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def due_date(year: int, month: int) -> datetime.date:
    """The report of (year, month) is due on MONEV_REPORT_DUE_DAY of the next month
    (the month's last day when the setting is larger than the month)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(int(settings.MONEV_REPORT_DUE_DAY), calendar.monthrange(next_year, next_month)[1])
    return datetime.date(next_year, next_month, day)


def previous_month(today: datetime.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


# --- The proposed S-curve -----------------------------------------------------------------------


def s_curve(months: int) -> list[Decimal]:
    """A proposed cumulative physical % for works over ``months`` months.

    The smoothstep S(t) = 3t² − 2t³ at t = k/n for k = 1..n: slow mobilisation, the bulk
    of the work in the middle months, slow finishing; symmetric, S(½) = 50 %, ends at
    exactly 100 %. Rounded to two decimals, never decreasing.
    """
    if months < 1:
        return []
    values = []
    for k in range(1, months + 1):
        t = Decimal(k) / Decimal(months)
        values.append((HUNDRED * (3 * t * t - 2 * t * t * t)).quantize(CENT, rounding=ROUND_HALF_UP))
    values[-1] = HUNDRED.quantize(CENT)
    return values


def linear_curve(months: int) -> list[Decimal]:
    """An even cumulative physical % (goods, services, plan items): k/n × 100."""
    if months < 1:
        return []
    values = [(HUNDRED * k / months).quantize(CENT, rounding=ROUND_HALF_UP) for k in range(1, months + 1)]
    values[-1] = HUNDRED.quantize(CENT)
    return values


def financial_from_physical(physical: list[Decimal], total: Decimal) -> list[Decimal]:
    """Planned money following the physical curve: total × physical / 100, the last month
    exactly the total."""
    amounts = [(total * pct / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP) for pct in physical]
    if amounts:
        amounts[-1] = total
    return amounts


# --- Deviation and the critical rule -------------------------------------------------------------


def deviation_level(deviation: Decimal | None) -> str:
    """The colour of a physical deviation (actual − plan, percentage points) by
    MONEV_DEVIATION_THRESHOLDS: at or above "behind" on track; below it behind; below
    "far_behind" far behind."""
    if deviation is None:
        return DeviationLevel.NO_PLAN
    thresholds = settings.MONEV_DEVIATION_THRESHOLDS
    if deviation < Decimal(str(thresholds["far_behind"])):
        return DeviationLevel.FAR_BEHIND
    if deviation < Decimal(str(thresholds["behind"])):
        return DeviationLevel.BEHIND
    return DeviationLevel.ON_TRACK


# The first period of a contract runs while the plan is at most this far; in it a contract
# is critical when it lags by more than the first tolerance, after it by more than the second.
FIRST_PERIOD_UP_TO = Decimal("70")
FIRST_PERIOD_TOLERANCE = Decimal("10")
SECOND_PERIOD_TOLERANCE = Decimal("5")


def is_critical(planned: Decimal, actual: Decimal) -> bool:
    """The critical-contract rule of DESIGN.md (kontrak kritis, as LKPP states it):

    - while the plan is 0–70 % (70 included), critical when actual lags the plan by
      MORE than 10 points (a lag of exactly 10 is not critical);
    - while the plan is above 70 % up to 100 %, critical when it lags by MORE than 5.

    A plan of exactly 70 belongs to the first period, so 70 planned / 60 actual is not
    critical and 70 / 59.99 is; 70.01 planned uses the second tolerance.
    """
    lag = Decimal(planned) - Decimal(actual)
    tolerance = FIRST_PERIOD_TOLERANCE if Decimal(planned) <= FIRST_PERIOD_UP_TO else SECOND_PERIOD_TOLERANCE
    return lag > tolerance

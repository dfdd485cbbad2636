"""Performance evaluation as plain functions of numbers (Permendagri 86/2017).

Achievement (capaian) of an indicator = actual ÷ target × 100, both cumulative: the
plan's quarter targets are cumulative (eplanning checks they never fall and that Q4 is
the year's target), and so is the actual the monev officer records for a quarter.
The result is rounded half up to two decimals; a target of zero has no achievement.

The evaluation of the annual plan reads:
- semester I: the cumulative actual at the end of Q2 against the Q2 target;
- semester II on its own: what was done from Q2's end to Q4's (actual Q4 − actual Q2)
  against what was planned for it (year's target − Q2 target); none without both figures
  or when nothing was planned for the second half;
- the year: the actual at Q4 against the year's target.
A plan item's achievement is the mean of its indicators', a program's the mean of its
plan items', an agency's the mean of its plan items' (indicators without a figure or a
target are left out; a mean over nothing is none). Achievements above 100 % are kept as
they are, not capped, as the regulation's tables do.

Bands (Permendagri 86/2017, table of achievement levels): ≥ 91 very high, 76–90 high,
66–75 medium, 51–65 low, ≤ 50 very low. The regulation speaks in whole numbers; between
them each band starts at its lower whole number and runs up to the next band's: 90.99 is
high, 91.00 very high; 75.99 medium; 65.50 low; 50.99 very low, 51.00 low.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
QUARTERS = (1, 2, 3, 4)


class Band(models.TextChoices):
    VERY_HIGH = "very_high", _("Very high")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")


# (lower bound included, band), highest first.
BAND_FLOORS = (
    (Decimal("91"), Band.VERY_HIGH),
    (Decimal("76"), Band.HIGH),
    (Decimal("66"), Band.MEDIUM),
    (Decimal("51"), Band.LOW),
)


def quarter_target(indicator, quarter: int) -> Decimal:
    """The cumulative target of ``quarter`` (Q4 is the year's target)."""
    if quarter not in QUARTERS:
        raise ValueError(f"no quarter {quarter!r}")
    return indicator.target_year if quarter == 4 else getattr(indicator, f"target_q{quarter}")


def achievement(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Actual ÷ target × 100, two decimals half up; None without an actual or a target."""
    if actual is None or target is None or target <= 0:
        return None
    return (Decimal(actual) * HUNDRED / Decimal(target)).quantize(CENT, rounding=ROUND_HALF_UP)


def band(pct: Decimal | None) -> str:
    """The achievement band of ``pct`` ("" without one)."""
    if pct is None:
        return ""
    pct = Decimal(pct)
    for floor, value in BAND_FLOORS:
        if pct >= floor:
            return value
    return Band.VERY_LOW


def mean(values) -> Decimal | None:
    """The mean of the values that exist, two decimals half up."""
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    return (sum(present) / len(present)).quantize(CENT, rounding=ROUND_HALF_UP)

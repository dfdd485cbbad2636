"""The pure rules: the critical-contract rule at each threshold and just beside it, the
deviation colours, the proposed S-curve and the due date."""

import datetime
from decimal import Decimal as D

import pytest

from emonev.choices import DeviationLevel
from emonev.rules import deviation_level, due_date, is_critical, months_between, s_curve


@pytest.mark.parametrize(
    ("planned", "actual", "critical"),
    [
        # Plan 0–70 %: more than 10 points behind is critical, exactly 10 is not.
        ("50", "40", False),
        ("50", "39.99", True),
        ("50", "40.01", False),
        ("10", "0", False),
        ("10.01", "0", True),
        # A plan of exactly 70 is still the first period (tolerance 10).
        ("70", "60", False),
        ("70", "59.99", True),
        # Just above 70 the tolerance is 5.
        ("70.01", "65.01", False),
        ("70.01", "65", True),
        ("80", "75", False),
        ("80", "74.99", True),
        ("100", "95", False),
        ("100", "94.99", True),
        # Ahead of plan is never critical.
        ("30", "45", False),
    ],
)
def test_critical_rule_at_and_beside_each_threshold(planned, actual, critical):
    assert is_critical(D(planned), D(actual)) is critical


@pytest.mark.parametrize(
    ("deviation", "level"),
    [
        (None, DeviationLevel.NO_PLAN),
        ("3", DeviationLevel.ON_TRACK),
        ("-5", DeviationLevel.ON_TRACK),
        ("-5.01", DeviationLevel.BEHIND),
        ("-10", DeviationLevel.BEHIND),
        ("-10.01", DeviationLevel.FAR_BEHIND),
    ],
)
def test_deviation_colour_follows_the_thresholds_in_settings(deviation, level):
    assert deviation_level(None if deviation is None else D(deviation)) == level


def test_deviation_thresholds_are_configuration(settings):
    settings.MONEV_DEVIATION_THRESHOLDS = {"behind": -2, "far_behind": -4}
    assert deviation_level(D("-3")) == DeviationLevel.BEHIND
    assert deviation_level(D("-4.5")) == DeviationLevel.FAR_BEHIND


def test_s_curve_is_cumulative_symmetric_and_ends_at_100():
    curve = s_curve(10)
    assert len(curve) == 10
    assert curve == sorted(curve)
    assert curve[4] == D("50.00")  # S(1/2)
    assert curve[0] == D("2.80")  # 3(0.1)² − 2(0.1)³ = 0.028
    assert curve[-1] == D("100.00")
    # Slow start and finish: the middle months carry more than the first and last.
    assert curve[5] - curve[4] > curve[1] - curve[0]


def test_due_date_is_the_setting_day_of_the_next_month(settings):
    settings.MONEV_REPORT_DUE_DAY = 10
    assert due_date(2026, 5) == datetime.date(2026, 6, 10)
    assert due_date(2026, 12) == datetime.date(2027, 1, 10)
    settings.MONEV_REPORT_DUE_DAY = 31
    assert due_date(2026, 1) == datetime.date(2026, 2, 28)


def test_months_between_spans_calendar_months():
    assert months_between(datetime.date(2026, 11, 20), datetime.date(2027, 2, 1)) == [
        (2026, 11),
        (2026, 12),
        (2027, 1),
        (2027, 2),
    ]

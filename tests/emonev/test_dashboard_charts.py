"""The charts' geometry: values land where they should, missing months leave gaps in the
line rather than zeros, and bars carry their values."""

from decimal import Decimal as D
from types import SimpleNamespace

from emonev import charts


def test_s_curve_places_points_on_the_percent_scale():
    chart = charts.s_curve(
        [
            {"label": "Jan", "planned": D("0"), "actual": None},
            {"label": "Feb", "planned": D("50"), "actual": D("40")},
            {"label": "Mar", "planned": D("100"), "actual": None},
        ]
    )
    plot_h = chart["height"] - chart["top"] - chart["bottom"]
    ys = [p["y"] for p in chart["planned"]]
    assert ys == [chart["base"], round(chart["base"] - plot_h / 2, 1), chart["top"]]
    assert len(chart["actual"]) == 1 and chart["actual"][0]["value"] == D("40")  # no invented zeros
    assert chart["planned_path"].count(",") == 3 and not chart["empty"]


def test_s_curve_without_data_is_empty():
    chart = charts.s_curve([{"label": "Jan", "planned": None, "actual": None}])
    assert chart["empty"] and chart["planned_path"] == ""


def test_month_points_name_the_months():
    points = charts.month_points([{"month": m, "planned": None, "actual": None} for m in range(1, 13)])
    assert [p["label"] for p in points][:2] == ["Jan", "Feb"] and len(points) == 12


def test_progress_bars_scale_and_mark_the_plan():
    rows = [
        SimpleNamespace(label="Dinas A", physical=D("50"), planned=D("100")),
        SimpleNamespace(label="Dinas B", physical=None, planned=None),
    ]
    chart = charts.progress_bars(rows)
    plot_w = chart["plot_right"] - chart["left"]
    first, second = chart["bars"]
    assert first["width"] == round(plot_w / 2, 1) and first["plan_x"] == chart["plot_right"]
    assert second["width"] == 0 and second["plan_x"] is None and second["actual"] is None
    assert chart["height"] == chart["top"] * 2 + chart["row"] * 2

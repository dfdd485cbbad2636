"""Geometry of the monitoring charts, drawn as inline SVG by the templates
(``templates/emonev/dashboard_chart_*.html``): no script, a few hundred bytes each.

Every chart is readable without colour: the planned series is dashed with round markers,
the actual one solid with square markers, values are written next to the bars, and the
template gives a ``<title>``, a ``<desc>`` and a data table with every figure. The
realization-by-month chart is ebudgeting's own (``ebudgeting.views.ledger.month_chart``),
reused as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.dates import MONTHS_3

CURVE = {"width": 640, "height": 240, "left": 44, "right": 12, "top": 12, "bottom": 28}
BARS = {"width": 640, "left": 230, "right": 56, "row": 22, "top": 8}


def s_curve(points: list[dict]) -> dict:
    """Planned against actual cumulative physical progress (0–100 %).

    ``points``: ``{"label", "planned", "actual"}`` in order, a value None where there is
    none (the line skips it)."""
    plot_w = CURVE["width"] - CURVE["left"] - CURVE["right"]
    plot_h = CURVE["height"] - CURVE["top"] - CURVE["bottom"]
    base = CURVE["top"] + plot_h
    slot = plot_w / max(len(points), 1)

    def xy(index, value):
        return round(CURVE["left"] + slot * index + slot / 2, 1), round(base - float(value) / 100 * plot_h, 1)

    series = {"planned": [], "actual": []}
    labels = []
    for index, point in enumerate(points):
        labels.append({"x": round(CURVE["left"] + slot * index + slot / 2, 1), "text": point["label"]})
        for name in series:
            if point.get(name) is not None:
                x, y = xy(index, point[name])
                # (mx, my): the top-left corner of a 7 × 7 square marker centred on the point.
                series[name].append(
                    {"x": x, "y": y, "mx": round(x - 3.5, 1), "my": round(y - 3.5, 1), "value": point[name]}
                )
    return {
        **CURVE,
        "base": base,
        "plot_right": CURVE["left"] + plot_w,
        "ticks": [{"y": round(base - plot_h * pct / 100, 1), "label": pct} for pct in (0, 25, 50, 75, 100)],
        "labels": labels,
        "planned": series["planned"],
        "actual": series["actual"],
        "planned_path": " ".join(f"{p['x']},{p['y']}" for p in series["planned"]),
        "actual_path": " ".join(f"{p['x']},{p['y']}" for p in series["actual"]),
        "points": points,
        "empty": not series["planned"] and not series["actual"],
    }


def month_points(curve: list[dict]) -> list[dict]:
    """The dashboard's twelve months as points of :func:`s_curve`."""
    return [{"label": str(MONTHS_3[p["month"]]).capitalize(), **p} for p in curve]


def progress_bars(rows) -> dict:
    """Physical progress per row (region, agency or program): a solid bar for the actual
    percent with its value written after it, a dashed mark where the plan is."""
    plot_w = BARS["width"] - BARS["left"] - BARS["right"]
    bars = []
    for index, row in enumerate(rows):
        y = BARS["top"] + index * BARS["row"]
        actual, planned = row.physical, row.planned
        bars.append(
            {
                "label": row.label,
                "y": y,
                "text_y": y + 14,
                "width": round(float(actual or Decimal(0)) / 100 * plot_w, 1),
                "value_x": round(BARS["left"] + float(actual or Decimal(0)) / 100 * plot_w + 4, 1),
                "actual": actual,
                "planned": planned,
                "plan_x": round(BARS["left"] + float(planned) / 100 * plot_w, 1) if planned is not None else None,
            }
        )
    return {
        **BARS,
        "height": BARS["top"] * 2 + BARS["row"] * max(len(bars), 1),
        "plot_right": BARS["left"] + plot_w,
        "bars": bars,
    }

"""How the benchmarking page and the board pack lay out DfE's figures: a chart and, beside it,
the table it is drawn from. The numbers themselves are benchmarking's; this only arranges them."""

from __future__ import annotations

from everychild.core import charts
from everychild.performance.benchmarking import Benchmarks, IndicatorBenchmark, Point
from everychild.performance.dataset import PLACEMENT_GROUPS, PLACEMENT_SHORT
from everychild.performance.measures.base import format_value
from everychild.performance.suppression import WITHHELD

SERIES_STYLE = {"la": "area", "region": "region", "england": "england", "neighbours": "neighbours"}
FLAG_TEXT = {
    "x": "not available (x)",
    "z": "not applicable (z)",
    "missing": "no figure",
}


def cell(point: Point, unit: str) -> dict:
    if point.withheld:
        return {"text": WITHHELD, "note": ""}
    if point.value is None:
        return {"text": FLAG_TEXT.get(point.flag or "x", "not available"), "note": ""}
    text = format_value(point.value, unit)
    return {"text": text, "note": "derived" if point.derived else ""}


def _short(label: str) -> str:
    """A live period's label short enough for a chart's axis: "2026 to 29 November" -> "2026
    so far"; "29 Nov 2026" -> "Today"."""
    if " to " in label:
        return label.split(" to ")[0] + " so far"
    if label[:1].isdigit() and not label.isdigit():
        return "Today"
    return label


def indexed(values: list[float | None], base: float | None) -> list[float | None]:
    """Counts as an index of `base` = 100 (to one decimal place)."""
    if not base:
        return [None for _ in values]
    return [None if v is None else round(100 * v / base, 1) for v in values]


def first_value(points: list[Point]) -> float | None:
    return next((p.value for p in points if p.value), None)


def index_base_label(item: IndicatorBenchmark) -> str:
    """The period every series of a count is indexed to: the first DfE published for the
    area (each other series is indexed to its own figure for that period, or its first)."""
    la = item.series_by_role("la")
    if la is None:
        return ""
    return next((p.label for p in la.points if p.value), "")


def _index_points(series_points: list[Point], base_key: str) -> float | None:
    base = next((p.value for p in series_points if p.key == base_key and p.value), None)
    return base if base is not None else first_value(series_points)


def _chart(item: IndicatorBenchmark, result: Benchmarks) -> str:
    """A count (requests, plans) is drawn as an index, each area's count in the same first
    year = 100: areas differ tenfold in size, and a line of counts says only which is bigger.
    DfE's statistics carry no population, so rates per 10,000 children and young people are
    not possible here (decision 0208); the table beside the chart gives the counts."""
    labels = [label for _, label in item.periods] + [_short(p.label) for p in item.live]
    published = len(item.periods)
    count = item.indicator.unit == "count"
    la = item.series_by_role("la")
    base_key = next((p.key for p in la.points if p.value), "") if (count and la) else ""
    lines = []
    for series in item.series:
        style = SERIES_STYLE.get(series.role)
        if style is None:
            continue
        values = [p.value for p in series.points]
        if count:
            values = indexed(values, _index_points(series.points, base_key))
        lines.append(
            charts.Line(series.name, values + [None] * len(item.live), style, markers=True)
        )
    if item.live:
        live = [p.value for p in item.live]
        if count:
            live = indexed(live, _index_points(la.points, base_key) if la else None)
        lines.append(
            charts.Line(
                f"{result.la_name}: EveryChild's live figure",
                [None] * published + live,
                "live",
                markers=True,
            )
        )
    title = item.indicator.title
    if count:
        title += f" (index: {index_base_label(item)} = 100)"
    return charts.line_chart(
        charts.LineChart(
            title=title,
            x_labels=labels,
            lines=lines,
            unit="percent" if item.indicator.unit == "percent" else "",
        )
    )


def indicator_views(result: Benchmarks) -> list[dict]:
    """One entry per indicator (the placement shares grouped into one), each with its chart and
    the rows of its table."""
    views = []
    placement = [i for i in result.indicators if i.indicator.group == "placement_mix"]
    for item in result.indicators:
        if item.indicator.group == "placement_mix":
            continue
        unit = item.indicator.unit
        rows = []
        for series in item.series:
            rows.append(
                {
                    "name": series.name,
                    "code": series.code,
                    "role": series.role,
                    "cells": [cell(p, unit) for p in series.points],
                    "live": [{"text": ""} for _ in item.live],
                }
            )
        if item.live and rows:
            rows[0]["live"] = [cell(p, unit) for p in item.live]
        index_rows = []
        if unit == "count":
            # The chart's own figures: each series as an index of the same first year.
            la = item.series_by_role("la")
            base_key = next((p.key for p in la.points if p.value), "") if la else ""
            for series in item.series:
                if SERIES_STYLE.get(series.role) is None:
                    continue
                values = indexed(
                    [p.value for p in series.points], _index_points(series.points, base_key)
                )
                index_rows.append(
                    {
                        "name": series.name,
                        "cells": ["–" if v is None else f"{v:.1f}" for v in values],
                    }
                )
        views.append(
            {
                "item": item,
                "indicator": item.indicator,
                "chart": _chart(item, result),
                "headers": [label for _, label in item.periods],
                "live_headers": [p.label for p in item.live],
                "rows": rows,
                "has_derived": any(c["note"] for r in rows for c in r["cells"]),
                "index_base": index_base_label(item) if unit == "count" else "",
                "index_rows": index_rows,
            }
        )
    if placement:
        views.insert(min(len(views), 6), placement_view(placement, result))
    return views


def placement_view(items: list[IndicatorBenchmark], result: Benchmarks) -> dict:
    """The placement mix in the latest January DfE published, beside the area's live shares."""
    latest_label = items[0].periods[-1][1] if items[0].periods else ""
    categories = [PLACEMENT_GROUPS[i.indicator.category] for i in items]
    short = [PLACEMENT_SHORT[i.indicator.category] for i in items]
    columns = []
    for role in ("la", "region", "england", "neighbours"):
        series = [i.series_by_role(role) for i in items]
        if any(s is None for s in series):
            continue
        columns.append(
            {
                "name": series[0].name,
                "style": SERIES_STYLE[role],
                "points": [
                    s.points[-1] if s.points else Point("", "", None, "missing") for s in series
                ],
            }
        )
    live_label = items[0].live[-1].label if items[0].live else ""
    if live_label:
        columns.append(
            {
                "name": f"{result.la_name}: EveryChild today",
                "style": "live",
                "points": [i.live[-1] for i in items],
            }
        )
    chart = charts.bar_chart(
        charts.BarChart(
            title=f"Placement mix: share of EHC plans, {latest_label}",
            categories=short,
            groups=[
                charts.Bars(c["name"], [p.value for p in c["points"]], c["style"]) for c in columns
            ],
        )
    )
    rows = [
        {
            "name": category,
            "cells": [cell(c["points"][index], "percent") for c in columns],
        }
        for index, category in enumerate(categories)
    ]
    return {
        "placement": True,
        "title": f"Placement mix, {latest_label}",
        "chart": chart,
        "columns": [c["name"] for c in columns],
        "rows": rows,
        "live_label": live_label,
    }

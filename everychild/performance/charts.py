"""Charts drawn on the server as SVG: no JavaScript, no inline style (the CSP forbids style
attributes; SVG presentation attributes such as fill= are not styles), and the same markup in
the browser and in the board pack PDF. Every chart is an image with a title and a description,
and every page shows its data table beside it: the table, not the picture, is the record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours, chosen to be told apart without colour too (dashes, markers).
COLOURS = {
    "area": "#1d70b8",  # blue
    "england": "#0b0c0c",  # black
    "region": "#d4351c",  # red
    "neighbours": "#505a5f",  # dark grey
    "target": "#00703c",  # green
    "live": "#f47738",  # orange
    "extra": "#4c2c92",  # purple
}
DASHES = {"england": "6 3", "region": "2 3", "neighbours": "8 3 2 3", "target": "4 4"}
FONT = "arial, sans-serif"
_ids = count(1)


@dataclass
class Line:
    label: str
    values: list[float | None]
    style: str = "area"
    markers: bool = False


@dataclass
class LineChart:
    title: str
    x_labels: list[str]
    lines: list[Line]
    unit: str = ""  # "percent" keeps the axis at 0-100
    description: str = ""
    # Which x labels to print (indexes); every one if None.
    ticks: list[int] | None = None
    width: int = 640
    height: int = 300
    extra_legend: list[tuple[str, str]] = field(default_factory=list)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    base = 10**exponent
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{text}%" if unit == "percent" else text


def _attrs(**attrs) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())


def line_chart(chart: LineChart) -> SafeString:
    uid = f"chart-{next(_ids)}"
    width, height = chart.width, chart.height
    left, right, top = 60, 16, 16
    legend_rows = (len(chart.lines) + len(chart.extra_legend) + 1) // 2
    bottom = 40 + 20 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for line in chart.lines for v in line.values if v is not None]
    top_value = 100.0 if chart.unit == "percent" else _nice_max(max(values, default=0) * 1.05)
    n = max(1, len(chart.x_labels))

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v / top_value if top_value else 0)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="everychild-chart" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{uid}-title">{escape(chart.title)}</title>',
        f'<desc id="{uid}-desc">{escape(chart.description or _describe(chart))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for step in range(5):
        value = top_value * step / 4
        py = y(value)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{py + 4:.1f}" text-anchor="end" fill="#0b0c0c">'
            f"{escape(_fmt(value, chart.unit))}</text>"
        )
    ticks = chart.ticks if chart.ticks is not None else range(len(chart.x_labels))
    for i in ticks:
        px = x(i)
        parts.append(
            f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 5}" '
            'stroke="#0b0c0c"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="#0b0c0c">'
            f"{escape(chart.x_labels[i])}</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#0b0c0c"/>'
    )
    for line in chart.lines:
        colour = COLOURS.get(line.style, COLOURS["extra"])
        dash = DASHES.get(line.style)
        segment: list[str] = []
        segments = []
        for i, value in enumerate(line.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(value):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) == 1:
                cx, cy = points[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
                continue
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                f'stroke-width="{3 if line.style == "area" else 2}"{extra}/>'
            )
        if line.markers:
            for i, value in enumerate(line.values):
                if value is not None:
                    parts.append(
                        f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}"/>'
                    )
    legend = [(line.label, line.style) for line in chart.lines] + chart.extra_legend
    for index, (label, style) in enumerate(legend):
        colour = COLOURS.get(style, COLOURS["extra"])
        lx = left + (index % 2) * (plot_w / 2)
        ly = top + plot_h + 38 + 20 * (index // 2)
        dash = DASHES.get(style)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx:.1f}" x2="{lx + 28:.1f}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="3"{extra}/>'
        )
        parts.append(f'<text x="{lx + 34:.1f}" y="{ly}" fill="#0b0c0c">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _describe(chart: LineChart) -> str:
    if not chart.x_labels:
        return "No data."
    pieces = []
    for line in chart.lines:
        known = [(chart.x_labels[i], v) for i, v in enumerate(line.values) if v is not None]
        if known:
            first, last = known[0], known[-1]
            pieces.append(
                f"{line.label}: {_fmt(first[1], chart.unit)} in {first[0]}, "
                f"{_fmt(last[1], chart.unit)} in {last[0]}"
            )
    span = f"{chart.x_labels[0]} to {chart.x_labels[-1]}"
    return f"Line chart, {span}. " + "; ".join(pieces) + ". The table beside it gives every value."


@dataclass
class Bars:
    label: str
    values: list[float | None]
    style: str = "area"


@dataclass
class BarChart:
    title: str
    categories: list[str]
    groups: list[Bars]
    unit: str = "percent"
    description: str = ""
    width: int = 640


def bar_chart(chart: BarChart) -> SafeString:
    """Horizontal grouped bars: one group per category, one bar per series."""
    uid = f"chart-{next(_ids)}"
    label_w, right, top = 230, 56, 8
    bar_h, gap = 12, 10
    group_h = bar_h * len(chart.groups) + gap
    legend_rows = (len(chart.groups) + 1) // 2
    height = top + group_h * len(chart.categories) + 16 + 20 * legend_rows
    width = chart.width
    plot_w = width - label_w - right
    values = [v for g in chart.groups for v in g.values if v is not None]
    top_value = 100.0 if chart.unit == "percent" else _nice_max(max(values, default=0))
    if chart.unit == "percent" and values and max(values) <= 60:
        top_value = _nice_max(max(values))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="everychild-chart" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{uid}-title">{escape(chart.title)}</title>',
        f'<desc id="{uid}-desc">{escape(chart.description or _describe_bars(chart))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for c, category in enumerate(chart.categories):
        gy = top + c * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{gy + group_h / 2:.1f}" text-anchor="end" '
            f'fill="#0b0c0c">{escape(_short(category))}</text>'
        )
        for g, group in enumerate(chart.groups):
            value = group.values[c]
            by = gy + g * bar_h
            if value is None:
                parts.append(
                    f'<text x="{label_w + 4}" y="{by + bar_h - 2}" fill="#505a5f">'
                    "not available</text>"
                )
                continue
            w = plot_w * (value / top_value) if top_value else 0
            colour = COLOURS.get(group.style, COLOURS["extra"])
            parts.append(
                f'<rect x="{label_w}" y="{by}" width="{max(w, 1):.1f}" height="{bar_h - 2}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{label_w + w + 4:.1f}" y="{by + bar_h - 2}" fill="#0b0c0c">'
                f"{escape(_fmt(value, chart.unit))}</text>"
            )
    ly0 = top + group_h * len(chart.categories) + 12
    for index, group in enumerate(chart.groups):
        colour = COLOURS.get(group.style, COLOURS["extra"])
        lx = label_w + (index % 2) * (plot_w / 2)
        ly = ly0 + 20 * (index // 2)
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 10}" width="14" height="10" fill="{colour}"/>')
        parts.append(
            f'<text x="{lx + 20:.1f}" y="{ly}" fill="#0b0c0c">{escape(group.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe_bars(chart: BarChart) -> str:
    pieces = []
    for group in chart.groups:
        known = [
            f"{c} {_fmt(v, chart.unit)}"
            for c, v in zip(chart.categories, group.values, strict=True)
            if v is not None
        ]
        pieces.append(f"{group.label}: " + ", ".join(known))
    return "Bar chart. " + "; ".join(pieces) + ". The table beside it gives every value."

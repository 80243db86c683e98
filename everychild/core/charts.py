"""The one chart kit: charts drawn on the server as SVG, with no JavaScript and no inline
style (the CSP forbids style attributes; SVG presentation attributes such as fill= are not
styles), so the same markup works in the browser and in a PDF. Every chart is an image with a
title and a description for assistive technology, and every page shows its data table beside
it: the table, not the picture, is the record.

Two families of picture:
- line_chart and bar_chart (performance measures, the board pack): coloured by presentation
  attributes from the GOV.UK palette, told apart by dashes too, so they print without CSS;
- band_chart and signed_bar_chart (finance and advice forecasts): coloured by classes from
  everychild.css (finance-chart__…), a line chart with a range band and markers, and
  horizontal bars either side of zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One counter for every chart, so two charts on one page never share an id.
_ids = count(1)

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


# --- Band charts and signed bars (classes from everychild.css) ----------------------------

BAND_WIDTH, BAND_HEIGHT = 720, 360
BAND_LEFT, BAND_RIGHT, BAND_TOP, BAND_BOTTOM = 84, 24, 20, 64


@dataclass
class Series:
    name: str
    values: list[float | None]
    css: str  # a modifier: central, observed, income, target, scenario-1 ...
    dashed: bool = False


@dataclass
class Band:
    name: str
    low: list[float | None]
    high: list[float | None]


@dataclass
class Marker:
    """A vertical line between two x positions (at index + offset), e.g. the end of the
    statutory override."""

    index: float
    label: str


@dataclass
class BandChart:
    title: str
    description: str
    x_labels: list[str]
    series: list[Series]
    band: Band | None = None
    markers: list[Marker] = field(default_factory=list)
    money: bool = False  # label the axis in £m
    zero_line: bool = True


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _axis_label(value: float, money: bool) -> str:
    if money:
        return f"£{value / 1e6:,.0f}m"
    return f"{value:,.0f}"


def _range(chart: BandChart) -> tuple[float, float]:
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.band:
        values += [v for v in chart.band.low + chart.band.high if v is not None]
    low, high = min(values, default=0.0), max(values, default=1.0)
    if chart.zero_line:
        low = min(low, 0.0)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def band_chart(chart: BandChart) -> SafeString:
    n = len(chart.x_labels)
    low, high = _range(chart)
    plot_w, plot_h = BAND_WIDTH - BAND_LEFT - BAND_RIGHT, BAND_HEIGHT - BAND_TOP - BAND_BOTTOM

    def x(i: float) -> float:
        return BAND_LEFT + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return BAND_TOP + plot_h * (1 - (v - low) / (high - low))

    uid = next(_ids)
    parts = [
        f'<svg class="finance-chart" viewBox="0 0 {BAND_WIDTH} {BAND_HEIGHT}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" focusable="false">',
        f'<title id="chart-{uid}-title">{escape(chart.title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(chart.description)}</desc>',
    ]
    step = _nice_step(high - low)
    tick = low
    while tick <= high + step / 2:
        parts.append(
            f'<line class="finance-chart__grid{" finance-chart__grid--zero" if tick == 0 else ""}"'
            f' x1="{BAND_LEFT}" x2="{BAND_WIDTH - BAND_RIGHT}"'
            f' y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
        parts.append(
            f'<text class="finance-chart__tick" x="{BAND_LEFT - 8}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{escape(_axis_label(tick, chart.money))}</text>'
        )
        tick += step
    every = max(1, math.ceil(n / 10))
    for i, label in enumerate(chart.x_labels):
        # Counted back from the last label, so the last is always shown and never crowded.
        if (n - 1 - i) % every == 0:
            # The last label ends at its point, so it stays inside the picture.
            anchor = "end" if i == n - 1 and n > 1 else "middle"
            parts.append(
                f'<text class="finance-chart__tick" x="{x(i) + (6 if anchor == "end" else 0):.1f}"'
                f' y="{BAND_HEIGHT - BAND_BOTTOM + 18}" text-anchor="{anchor}">'
                f"{escape(label)}</text>"
            )
    if chart.band:
        points = [(i, v) for i, v in enumerate(chart.band.high) if v is not None]
        points_low = [(i, v) for i, v in enumerate(chart.band.low) if v is not None]
        if points and points_low:
            outline = [f"{x(i):.1f},{y(v):.1f}" for i, v in points] + [
                f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(points_low)
            ]
            parts.append(f'<polygon class="finance-chart__band" points="{" ".join(outline)}"/>')
    for marker in chart.markers:
        mx = x(marker.index)
        parts.append(
            f'<line class="finance-chart__marker" x1="{mx:.1f}" x2="{mx:.1f}" y1="{BAND_TOP}" '
            f'y2="{BAND_HEIGHT - BAND_BOTTOM}"/>'
        )
        parts.append(
            f'<text class="finance-chart__marker-label" x="{mx + 4:.1f}" y="{BAND_TOP + 12}">'
            f"{escape(marker.label)}</text>"
        )
    for s in chart.series:
        segments, current = [], []
        for i, v in enumerate(s.values):
            if v is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(i):.1f},{y(v):.1f}")
        if current:
            segments.append(current)
        css = f"finance-chart__line finance-chart__line--{s.css}"
        if s.dashed:
            css += " finance-chart__line--dashed"
        for segment in segments:
            if len(segment) == 1:
                cx, cy = segment[0].split(",")
                parts.append(f'<circle class="{css}" cx="{cx}" cy="{cy}" r="3"/>')
            else:
                parts.append(f'<polyline class="{css}" points="{" ".join(segment)}"/>')
    # Legend along the bottom, wrapping onto further rows (the picture grows to fit).
    legend = [
        (s.name, f"finance-chart__line finance-chart__line--{s.css}", s.dashed)
        for s in chart.series
        if any(v is not None for v in s.values)
    ]
    if chart.band:
        legend.append((chart.band.name, "finance-chart__band", False))
    lx, ly = BAND_LEFT, BAND_HEIGHT - 18
    for name, css, dashed in legend:
        width = 40 + 7 * len(name)
        if lx > BAND_LEFT and lx + width > BAND_WIDTH - BAND_RIGHT:
            lx, ly = BAND_LEFT, ly + 20
        if css == "finance-chart__band":
            parts.append(f'<rect class="{css}" x="{lx}" y="{ly - 9}" width="22" height="10"/>')
        else:
            extra = " finance-chart__line--dashed" if dashed else ""
            parts.append(
                f'<line class="{css}{extra}" x1="{lx}" x2="{lx + 22}" y1="{ly - 4}" y2="{ly - 4}"/>'
            )
        parts.append(
            f'<text class="finance-chart__legend" x="{lx + 28}" y="{ly}">{escape(name)}</text>'
        )
        lx += width
    height = ly + 12
    parts[0] = parts[0].replace(
        f"0 0 {BAND_WIDTH} {BAND_HEIGHT}", f"0 0 {BAND_WIDTH} {max(BAND_HEIGHT, height)}"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


@dataclass
class Bar:
    label: str
    value: float


def signed_bar_chart(
    title: str, description: str, bars: list[Bar], *, money: bool = True
) -> SafeString:
    """Horizontal bars from a zero line (negative to the left)."""
    row_h, label_w = 34, 220
    height = BAND_TOP + row_h * len(bars) + 40
    values = [b.value for b in bars] + [0.0]
    low, high = min(values), max(values)
    if high == low:
        high = low + 1
    plot_w = BAND_WIDTH - label_w - BAND_RIGHT - 70

    def x(v: float) -> float:
        return label_w + plot_w * (v - low) / (high - low)

    uid = next(_ids)
    parts = [
        f'<svg class="finance-chart finance-chart--bars" viewBox="0 0 {BAND_WIDTH} {height}" '
        f'role="img" aria-labelledby="chart-{uid}-title chart-{uid}-desc" focusable="false">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>',
    ]
    zero = x(0.0)
    for i, bar in enumerate(bars):
        top = BAND_TOP + i * row_h
        left, right = sorted((zero, x(bar.value)))
        css = "finance-chart__bar" + (" finance-chart__bar--negative" if bar.value < 0 else "")
        parts.append(
            f'<text class="finance-chart__legend" x="{label_w - 10}" y="{top + 20}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="{css}" x="{left:.1f}" y="{top + 6}" width="{max(1.0, right - left):.1f}"'
            f' height="{row_h - 12}"/>'
        )
        text = f"£{abs(bar.value) / 1e6:,.1f}m" if money else f"{abs(bar.value):,.0f}"
        if bar.value < 0:
            text = "\u2212" + text
        parts.append(
            f'<text class="finance-chart__tick" x="{right + 6:.1f}" y="{top + 21}">'
            f"{escape(text)}</text>"
        )
    parts.append(
        f'<line class="finance-chart__grid finance-chart__grid--zero" x1="{zero:.1f}" '
        f'x2="{zero:.1f}" y1="{BAND_TOP}" y2="{BAND_TOP + row_h * len(bars)}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped

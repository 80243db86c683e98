"""Server-rendered SVG charts: no JavaScript, no inline style (classes from everychild.css), a
title and description for assistive technology, and always a data table beside them in the
page (the chart is a picture of the table, not a replacement for it)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 20, 64
_ids = count(1)


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
class LineChart:
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


def _range(chart: LineChart) -> tuple[float, float]:
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


def line_chart(chart: LineChart) -> SafeString:
    n = len(chart.x_labels)
    low, high = _range(chart)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: float) -> float:
        return LEFT + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    uid = next(_ids)
    parts = [
        f'<svg class="finance-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" focusable="false">',
        f'<title id="chart-{uid}-title">{escape(chart.title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(chart.description)}</desc>',
    ]
    step = _nice_step(high - low)
    tick = low
    while tick <= high + step / 2:
        parts.append(
            f'<line class="finance-chart__grid{" finance-chart__grid--zero" if tick == 0 else ""}"'
            f' x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
        )
        parts.append(
            f'<text class="finance-chart__tick" x="{LEFT - 8}" y="{y(tick) + 4:.1f}" '
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
                f' y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}">{escape(label)}</text>'
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
            f'<line class="finance-chart__marker" x1="{mx:.1f}" x2="{mx:.1f}" y1="{TOP}" '
            f'y2="{HEIGHT - BOTTOM}"/>'
        )
        parts.append(
            f'<text class="finance-chart__marker-label" x="{mx + 4:.1f}" y="{TOP + 12}">'
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
    lx, ly = LEFT, HEIGHT - 18
    for name, css, dashed in legend:
        width = 40 + 7 * len(name)
        if lx > LEFT and lx + width > WIDTH - RIGHT:
            lx, ly = LEFT, ly + 20
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
    parts[0] = parts[0].replace(f"0 0 {WIDTH} {HEIGHT}", f"0 0 {WIDTH} {max(HEIGHT, height)}")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


@dataclass
class Bar:
    label: str
    value: float


def bar_chart(title: str, description: str, bars: list[Bar], *, money: bool = True) -> SafeString:
    """Horizontal bars from a zero line (negative to the left)."""
    row_h, label_w = 34, 220
    height = TOP + row_h * len(bars) + 40
    values = [b.value for b in bars] + [0.0]
    low, high = min(values), max(values)
    if high == low:
        high = low + 1
    plot_w = WIDTH - label_w - RIGHT - 70

    def x(v: float) -> float:
        return label_w + plot_w * (v - low) / (high - low)

    uid = next(_ids)
    parts = [
        f'<svg class="finance-chart finance-chart--bars" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="chart-{uid}-title chart-{uid}-desc" focusable="false">',
        f'<title id="chart-{uid}-title">{escape(title)}</title>',
        f'<desc id="chart-{uid}-desc">{escape(description)}</desc>',
    ]
    zero = x(0.0)
    for i, bar in enumerate(bars):
        top = TOP + i * row_h
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
        f'x2="{zero:.1f}" y1="{TOP}" y2="{TOP + row_h * len(bars)}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped

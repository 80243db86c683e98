"""The SEND Board pack: the partnership's measures with their charts and tables, the benchmarks
against England, the region and similar areas, the improvement actions due and overdue, and
the risks, as an accessible PDF (tagged PDF/UA-1: headings, reading order, document language,
tables with header cells, every chart with a text alternative and its data table).

The board sees aggregates only, so the pack always withholds small numbers; it shows the whole
improvement plan, as the board does. WeasyPrint is imported only when a pack is made (it loads
Pango), so the rest of the service starts without it."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from everychild.areas.models import Area
from everychild.improvement import selectors as improvement
from everychild.performance import benchmarking, dataset, measures, periods, selectors
from everychild.performance.presenters import indicator_views

# The trend in the pack: the last two years, month by month (seven years do not fit a page).
TREND_MONTHS = 24
BENCHMARK_INDICATORS = (
    "timeliness_excluding_exceptions",
    "timeliness_including_exceptions",
    "requests",
    "refusal_rate",
    "plans_issued",
    "caseload",
    "review_decisions_within_4_weeks",
)


# Told how far the making has got: (per cent done, what is happening now).
Progress = Callable[[int, str], None]


def _silent(percent: int, step: str) -> None:
    return None


@dataclass
class BoardPack:
    pdf: bytes
    seconds: float
    pages: int


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def context(area: Area, on: date, progress: Progress = _silent) -> dict:
    progress(5, "Reading the casework records")
    data = dataset.load(area, on)
    progress(20, "Working out the improvement plan's measures")
    # The 3 months to the day (decision 0207), as the action pages judge success criteria.
    period = periods.last_months(on, improvement.CRITERION_MONTHS)
    targets = improvement.trajectories(area)
    first = date(on.year - TREND_MONTHS // 12, on.month, 1)
    months = periods.months(first, on)
    headline = []
    for measure_id in measures.HEADLINE:
        measure = measures.get(measure_id)
        view = selectors.measure_view(
            measure,
            data,
            period,
            suppress=True,
            trend="monthly",
            trajectory=targets.get(measure_id),
            with_chart=False,
        )
        view.trend = [row for row in view.trend if row.start >= months[0].start]
        chart = selectors.trend_chart(view, "monthly") if not measure.today_only else ""
        headline.append(
            {
                "view": view,
                "chart_uri": _svg_data_uri(chart) if chart else "",
                "chart_alt": _alt(view),
                "table": view.trend[-12:],
            }
        )
    progress(40, "Working out every other measure")
    others = []
    for measure in measures.MEASURES.values():
        if measure.id in measures.HEADLINE:
            continue
        view = selectors.measure_view(
            measure,
            data,
            period,
            suppress=True,
            trend="weekly",
            trajectory=targets.get(measure.id),
            with_chart=False,
        )
        others.append(view)
    progress(55, "Comparing with England, the region and similar areas")
    bench = None
    if benchmarking.latest_release() is not None:
        try:
            result = benchmarking.benchmarks(area.la_code, live_data=data, suppress=True)
        except benchmarking.UnknownLocalAuthority:
            result = None
        if result is not None:
            views = [
                v
                for v in indicator_views(result)
                if v.get("placement") or v["indicator"].id in BENCHMARK_INDICATORS
            ]
            for v in views:
                v["chart_uri"] = _svg_data_uri(v["chart"])
            bench = {"result": result, "views": views}
    progress(65, "Gathering the improvement actions and risks")
    overdue = improvement.board_overdue(area, on)
    due_soon = improvement.board_due_soon(area, on)
    completed = improvement.board_completed(area, data)
    red_actions = [a for a in improvement.board_actions(area) if a.rag == "red"]
    behind = [h["view"] for h in headline if h["view"].rag == "red"]
    return {
        "area": area,
        "on": on,
        "period": period,
        "headline": headline,
        "others": others,
        "bench": bench,
        "overdue": overdue,
        "due_soon": due_soon,
        "completed": completed,
        "red_actions": red_actions,
        "behind": behind,
        "made_at": timezone.localtime(),
    }


def _alt(view) -> str:
    rows = [r for r in view.trend if r.value is not None]
    if not rows:
        return f"{view.measure.title}: no figures in the last {TREND_MONTHS} months."
    first, last = rows[0], rows[-1]
    return (
        f"Line chart of {view.measure.title.lower()}, {first.label} to {last.label}: "
        f"{first.text} in {first.label}, {last.text} in {last.label}. The table that follows "
        "gives the monthly figures."
    )


def render_html(area: Area, on: date, progress: Progress = _silent) -> str:
    return render_to_string("improvement/board_pack.html", context(area, on, progress))


def render_board_pack(area: Area, *, on: date | None = None) -> bytes:
    return make_board_pack(area, on=on).pdf


def make_board_pack(
    area: Area, *, on: date | None = None, progress: Progress = _silent
) -> BoardPack:
    from weasyprint import HTML  # Pango is loaded only when a pack is made

    started = time.perf_counter()
    html = render_html(area, on or timezone.localdate(), progress)
    progress(75, "Laying out the pages")
    document = HTML(string=html).render()
    progress(90, "Writing the accessible PDF")
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return BoardPack(pdf=pdf, seconds=time.perf_counter() - started, pages=len(document.pages))

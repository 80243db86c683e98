"""The partnership's performance pages: the dashboard, a page per measure with its definition,
the records behind a figure (staff only), the benchmarking page and CSV downloads of every
table (the board pack's pages are improvement's). Thin: the figures come from selectors,
measures and benchmarking."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from everychild.access.policy import Capability, requires, work_area
from everychild.core import spreadsheets
from everychild.core.dates import today
from everychild.improvement import selectors as improvement
from everychild.performance import benchmarking, measures, selectors
from everychild.performance.forms import FilterForm
from everychild.performance.presenters import indicator_views
from everychild.performance.suppression import WITHHELD, WITHHELD_SHORT, shown


def _area_or_403(request):
    return work_area(request.user, refusal="Your account is not linked to a local area.")


def _measure_or_404(measure_id: str):
    try:
        return measures.get(measure_id)
    except KeyError:
        raise Http404("No such measure") from None


def _form(request, area):
    return FilterForm(request.GET or None, area=area, today=today())


@requires(Capability.SEE_AGGREGATES)
def dashboard(request):
    area = _area_or_403(request)
    form = _form(request, area)
    period, trend = form.chosen_period(), form.chosen_trend()
    data = selectors.load(area, form.filters())
    targets = improvement.trajectories(area)

    def figures():
        headline = [
            selectors.measure_view(
                measures.get(measure_id),
                data,
                period,
                suppress=selectors.suppressed_for(request.user, area, measures.get(measure_id)),
                trend=trend,
                trajectory=targets.get(measure_id),
            )
            for measure_id in measures.HEADLINE
        ]
        others = []
        for measure in measures.MEASURES.values():
            if measure.id in measures.HEADLINE:
                continue
            figure = measure.cached_figure(data, period)
            seen = shown(
                figure,
                measure.unit,
                measure.aggregate,
                suppress=selectors.suppressed_for(request.user, area, measure),
            )
            others.append(
                {"measure": measure, "seen": seen, "text": selectors.figure_text(measure, seen)}
            )
        return headline, others

    # Made by one process at a time and shared with the others (decision 0270).
    headline, others = selectors.made_once(data, figures)
    return render(
        request,
        "performance/dashboard.html",
        {
            "area": area,
            "form": form,
            "period": period,
            "trend": trend,
            "query": form.query(),
            "headline": headline,
            "others": others,
            "today": data.today,
        },
    )


@requires(Capability.SEE_AGGREGATES)
def measure_detail(request, measure_id: str):
    area = _area_or_403(request)
    measure = _measure_or_404(measure_id)
    form = _form(request, area)
    period, trend = form.chosen_period(), form.chosen_trend()
    data = selectors.load(area, form.filters())
    suppress = selectors.suppressed_for(request.user, area, measure)
    view = selectors.measure_view(
        measure,
        data,
        period,
        suppress=suppress,
        trend=trend,
        trajectory=improvement.trajectory(area, measure.id),
    )
    parts = []
    if not suppress:
        keys = ("all", "met", "not_met") if measure.aggregate == "percent" else ("all",)
        for key in keys:
            ids = selectors.record_ids(measure, view.figure, key)
            parts.append({"key": key, "label": selectors.PARTS[key], "count": len(ids)})
    return render(
        request,
        "performance/measure.html",
        {
            "area": area,
            "measure": measure,
            "view": view,
            "form": form,
            "query": form.query(),
            "parts": parts,
            "today": data.today,
            "sen_in_england": selectors.sen_in_england_for(area, measure),
        },
    )


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = spreadsheets.csv_writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return response


def _cell(value, withheld: bool = False):
    if withheld:
        return WITHHELD_SHORT
    return "" if value is None else value


@requires(Capability.SEE_AGGREGATES)
def measure_csv(request, measure_id: str):
    """The measure's trend table (the data beside its chart) as CSV."""
    area = _area_or_403(request)
    measure = _measure_or_404(measure_id)
    form = _form(request, area)
    data = selectors.load(area, form.filters())
    view = selectors.measure_view(
        measure,
        data,
        form.chosen_period(),
        suppress=selectors.suppressed_for(request.user, area, measure),
        trend=form.chosen_trend(),
        trajectory=improvement.trajectory(area, measure.id),
        with_chart=False,
    )
    if request.GET.get("table") == "breakdown":
        return _csv_response(
            f"{measure.id}-breakdown-{view.period.end}.csv",
            ["category", "plans", "share_percent"],
            (
                [row["label"], _cell(row["count"], row["count"] is None), _cell(row["share"])]
                for row in view.breakdown
            ),
        )
    return _csv_response(
        f"{measure.id}-{form.chosen_trend()}-{data.today}.csv",
        ["period", "from", "to", "value", "unit", "numerator", "denominator", "target"],
        (
            [
                row.label,
                row.start.isoformat(),
                row.end.isoformat(),
                _cell(row.value, row.text == WITHHELD),
                measure.unit,
                _cell(row.numerator),
                _cell(row.denominator),
                _cell(row.target),
            ]
            for row in view.trend
        ),
    )


@requires(Capability.SEE_AGGREGATES)
def dashboard_csv(request):
    """Every measure's figure for the chosen period, as CSV (the dashboard's table)."""
    area = _area_or_403(request)
    form = _form(request, area)
    period = form.chosen_period()
    data = selectors.load(area, form.filters())
    targets = improvement.trajectories(area)
    rows = []
    for measure in measures.MEASURES.values():
        view = selectors.measure_view(
            measure,
            data,
            period,
            suppress=selectors.suppressed_for(request.user, area, measure),
            trend="weekly",
            trajectory=targets.get(measure.id),
            with_chart=False,
        )
        rows.append(
            [
                measure.id,
                measure.title,
                period.start.isoformat(),
                period.end.isoformat(),
                _cell(view.seen.value, view.seen.withheld),
                measure.unit,
                _cell(view.seen.numerator),
                _cell(view.seen.denominator),
                _cell(view.target),
                view.rag,
            ]
        )
    return _csv_response(
        f"performance-{period.start}-{period.end}.csv",
        [
            "measure",
            "title",
            "from",
            "to",
            "value",
            "unit",
            "numerator",
            "denominator",
            "target",
            "rag",
        ],
        rows,
    )


@requires(Capability.SEE_AGGREGATES)
def records(request, measure_id: str):
    """The records behind a figure: for staff who may open them; each record shown is
    audited. Board and forum members are refused: they see aggregates only."""
    area = _area_or_403(request)
    measure = _measure_or_404(measure_id)
    if not selectors.sees_records(request.user, area, measure):
        raise PermissionDenied("Your role shows figures only, never the records behind them.")
    form = _form(request, area)
    period = form.chosen_period()
    part = request.GET.get("part", "all")
    if part not in selectors.PARTS:
        part = "all"
    data = selectors.load(area, form.filters(), read_rows=True)
    figure = measure.cached_figure(data, period)
    ids = selectors.record_ids(measure, figure, part)
    page = Paginator(selectors.records_behind(request.user, measure, ids), 25).get_page(
        request.GET.get("page")
    )
    selectors.audit_shown_records(
        request.user,
        measure,
        page.object_list,
        request=request,
        detail={"period": [period.start.isoformat(), period.end.isoformat()], "part": part},
    )
    return render(
        request,
        "performance/records.html",
        {
            "area": area,
            "measure": measure,
            "period": period,
            "part": part,
            "part_label": selectors.PARTS[part],
            "page": page,
            "query": form.query(),
            "today": data.today,
        },
    )


def _benchmarks_for(request):
    area = _area_or_403(request)
    la_code = (request.GET.get("la") or area.la_code).strip().upper()
    live = None
    suppress = True
    if la_code == area.la_code:
        live = selectors.load(area)
        suppress = selectors.suppressed_for(request.user, area, measures.get("plans_issued"))
    return area, la_code, live, suppress


@requires(Capability.SEE_AGGREGATES)
def benchmarks_page(request):
    area, la_code, live, suppress = _benchmarks_for(request)
    try:
        result = benchmarking.benchmarks(la_code, live_data=live, suppress=suppress)
    except benchmarking.UnknownLocalAuthority:
        raise Http404("DfE publishes no figures for that local authority code.") from None
    return render(
        request,
        "performance/benchmarks.html",
        {
            "area": area,
            "result": result,
            "indicators": indicator_views(result),
            "la_code": la_code,
            "local_authorities": benchmarking.local_authorities(result.release),
        },
    )


@requires(Capability.SEE_AGGREGATES)
def benchmarks_csv(request):
    area, la_code, live, suppress = _benchmarks_for(request)
    try:
        result = benchmarking.benchmarks(la_code, live_data=live, suppress=suppress)
    except benchmarking.UnknownLocalAuthority:
        raise Http404("DfE publishes no figures for that local authority code.") from None
    rows = []
    for item in result.indicators:
        for series in item.series:
            for point in series.points:
                rows.append(
                    [
                        item.indicator.id,
                        item.indicator.title,
                        series.role,
                        series.code,
                        series.name,
                        point.key,
                        point.label,
                        _cell(point.value),
                        item.indicator.unit,
                        point.flag or "",
                        "derived from DfE counts" if point.derived else "DfE published",
                    ]
                )
        for point in item.live:
            rows.append(
                [
                    item.indicator.id,
                    item.indicator.title,
                    "live",
                    result.la_code,
                    f"{result.la_name} (EveryChild records)",
                    point.key,
                    point.label,
                    _cell(point.value, point.withheld),
                    item.indicator.unit,
                    "",
                    "EveryChild live figure",
                ]
            )
    return _csv_response(
        f"benchmarks-{slugify(la_code)}.csv",
        [
            "indicator",
            "title",
            "geography",
            "code",
            "name",
            "period",
            "period_label",
            "value",
            "unit",
            "flag",
            "source",
        ],
        rows,
    )

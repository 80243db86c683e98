"""Reads for the performance pages, the API and the board pack. Figures come from the measure
modules; who may see them whole, and the records behind them, from the access policy.

A person who may open the records behind a figure (the area's casework staff; for EP advice,
the EP service's managers too) sees it whole and can drill down to those records, each shown
record audited. Everyone else with SEE_AGGREGATES sees figures with small numbers withheld
(everychild.performance.suppression) and never a record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, has_capability, la_area_ids, work_areas
from everychild.areas.models import Area
from everychild.casework.policy import visible_advice_requests, visible_assessment_requests
from everychild.children.policy import visible_children
from everychild.core import charts
from everychild.core.dates import today
from everychild.performance import dataset, periods, sen_in_england
from everychild.performance.filters import Filters
from everychild.performance.measures.base import Figure, Measure, RecordKind, format_value
from everychild.performance.models import (
    DfEStatistic,
    GeographicLevel,
    SENInEnglandLoad,
    SENPupils,
)
from everychild.performance.suppression import WITHHELD, Shown, breakdown, shown
from everychild.plans.models import Disagreement
from everychild.plans.policy import visible_plans
from everychild.support.policy import visible_support_plans

# Within this distance of the trajectory a figure is amber rather than red: 5 percentage
# points for a percentage, 10% of the target for a count or a wait.
AMBER_PERCENTAGE_POINTS = 5.0
AMBER_SHARE = 0.10


def published_local_authority(old_la_code: str) -> dict | None:
    """A local authority's ONS code, name and region as DfE's latest statistics loaded here
    name it (by its 3-digit LA number), or None when none are loaded for it."""
    row = (
        DfEStatistic.objects.filter(
            geographic_level=GeographicLevel.LOCAL_AUTHORITY, old_la_code=old_la_code
        )
        .exclude(la_code="")
        .order_by("-dataset__release__reporting_year", "-time_period")
        .values("la_code", "la_name", "region_code", "region_name")
        .first()
    )
    if row is None:
        return None
    return {
        "la_code": row["la_code"],
        "name": row["la_name"],
        "region_code": row["region_code"],
        "region_name": row["region_name"],
    }


def load(area: Area, filters: Filters | None = None, *, on: date | None = None, read_rows=False):
    """The area's data (dataset.load), limited by the filters. `read_rows` for the records
    behind a figure: the rows read on every request."""
    data = dataset.load(area, on or today(), read_rows=read_rows)
    return data.filtered(filters)


def made_once(data: dataset.AreaData, make):
    """A page's figures (`make()`), made by one process at a time from the area's whole data
    and shared with the others through the cache, so that N web workers do not each spend
    seconds making the same figures after a change (dataset.figures_made_once)."""
    return dataset.figures_made_once(data, make)


def sees_records(user, area: Area, measure: Measure) -> bool:
    """Whether the user may open the records behind this measure's figures (and so sees them
    without small numbers withheld)."""
    if area.pk in la_area_ids(user):
        return True
    if measure.record_kind == RecordKind.ADVICE:
        # An agency's managers see the advice records of their own area.
        return area in work_areas(user, Capability.MANAGE_ADVICE)
    return False


def suppressed_for(user, area: Area, measure: Measure) -> bool:
    return not sees_records(user, area, measure)


# --- targets and RAG ------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetPoint:
    on: date
    value: float
    label: str = ""


def target_on(trajectory: list[TargetPoint], day: date) -> float | None:
    """The trajectory's value on a day: straight lines between the improvement plan's targets;
    the last target after its date; none before the first."""
    if not trajectory or day < trajectory[0].on:
        return None
    for earlier, later in zip(trajectory, trajectory[1:], strict=False):
        if earlier.on <= day <= later.on:
            span = (later.on - earlier.on).days
            if not span:
                return later.value
            share = (day - earlier.on).days / span
            return round(earlier.value + (later.value - earlier.value) * share, 1)
    return trajectory[-1].value


def rag(measure: Measure, value: float | None, target: float | None) -> str:
    """ "green" on or better than the trajectory, "amber" close to it, "red" behind it; ""
    when there is no figure or no target."""
    if value is None or target is None:
        return ""
    gap = (value - target) if measure.higher_is_better else (target - value)
    if gap >= 0:
        return "green"
    tolerance = (
        AMBER_PERCENTAGE_POINTS
        if measure.unit == "percent"
        else max(1.0, abs(target) * AMBER_SHARE)
    )
    return "amber" if -gap <= tolerance else "red"


RAG_LABELS = {"green": "On track", "amber": "Close to target", "red": "Behind target"}


# --- a measure as a page shows it --------------------------------------------------------------


@dataclass
class TrendRow:
    label: str
    start: date
    end: date
    value: float | None
    text: str
    numerator: int | None
    denominator: int | None
    target: float | None


@dataclass
class MeasureView:
    measure: Measure
    period: periods.Period
    figure: Figure
    seen: Shown
    text: str
    suppressed: bool
    trend: list[TrendRow] = field(default_factory=list)
    chart: str = ""
    target: float | None = None
    target_text: str = ""
    rag: str = ""
    trajectory: list[TargetPoint] = field(default_factory=list)
    breakdown: list[dict] = field(default_factory=list)
    breakdown_chart: str = ""
    extra_text: str = ""
    table: str = ""

    @property
    def rag_label(self) -> str:
        return RAG_LABELS.get(self.rag, "No target")


def figure_text(measure: Measure, seen: Shown) -> str:
    if seen.withheld:
        return WITHHELD
    return format_value(seen.value, measure.unit)


def trend_periods(kind: str, on: date) -> list[periods.Period]:
    if kind == "weekly":
        return periods.weeks(on, 52)
    return periods.months(date(periods.FIRST_YEAR, 1, 1), on)


def measure_view(
    measure: Measure,
    data: dataset.AreaData,
    period: periods.Period,
    *,
    suppress: bool,
    trend: str = "monthly",
    trajectory: list[TargetPoint] | None = None,
    with_chart: bool = True,
) -> MeasureView:
    figure = measure.cached_figure(data, period)
    seen = shown(figure, measure.unit, measure.aggregate, suppress=suppress)
    trajectory = trajectory or []
    view = MeasureView(
        measure=measure,
        period=period,
        figure=figure,
        seen=seen,
        text=figure_text(measure, seen),
        suppressed=suppress,
        trajectory=trajectory,
    )
    target_day = period.state_day(data.today) if measure.kind == "stock" else period.end
    view.target = target_on(trajectory, min(target_day, data.today))
    view.target_text = format_value(view.target, measure.unit) if view.target is not None else ""
    # Rated on the true figure: a rating says only whether the target is met, never the number.
    view.rag = rag(measure, figure.value, view.target)
    if figure.not_counted:
        view.text = "Not counted"
        view.extra_text = figure.not_counted
    if measure.aggregate == "median" and not seen.withheld and figure.extra.get("p90") is not None:
        view.extra_text = f"90th percentile {format_value(figure.extra['p90'], measure.unit)}"
    if measure.aggregate == "growth" and not seen.withheld and figure.extra:
        view.extra_text = (
            f"{figure.extra['now']:,} plans now, {figure.extra['before']:,} a year before"
        )
    trend_list = trend_periods(trend, data.today)
    for p, f in zip(trend_list, measure.cached_series(data, trend_list), strict=True):
        s = shown(f, measure.unit, measure.aggregate, suppress=suppress)
        day = p.state_day(data.today) if measure.kind == "stock" else p.end
        view.trend.append(
            TrendRow(
                label=p.label,
                start=p.start,
                end=p.end,
                value=s.value,
                text=figure_text(measure, s) if (f.value is not None or s.withheld) else "No data",
                numerator=s.numerator,
                denominator=s.denominator,
                target=target_on(trajectory, min(day, data.today)),
            )
        )
    if figure.breakdown or getattr(measure, "categories", None):
        _breakdown(view, measure, figure, suppress=suppress)
    if with_chart:
        view.chart = trend_chart(view, trend)
        view.table = trend_table(view, trend)
    return view


def _breakdown(view: MeasureView, measure, figure: Figure, *, suppress: bool) -> None:
    labels = getattr(measure, "categories", {}) or {}
    short = getattr(measure, "short_categories", {}) or {}
    counts = breakdown(figure.breakdown, suppress=suppress)
    total = figure.value or 0
    keys = list(labels) + [k for k in counts if k not in labels]
    for key in keys:
        count = counts.get(key, 0)
        view.breakdown.append(
            {
                "key": key,
                "label": labels.get(key, key or "Not recorded"),
                "count": count,
                "count_text": WITHHELD if count is None else f"{count:,}",
                "share": round(100 * count / total, 1)
                if count and total
                else (0.0 if count == 0 else None),
            }
        )
    view.breakdown_chart = charts.bar_chart(
        charts.BarChart(
            title=f"{measure.title}, {view.period.name}",
            categories=[short.get(row["key"], row["label"]) for row in view.breakdown],
            groups=[charts.Bars("Share of plans", [row["share"] for row in view.breakdown])],
        )
    )


def trend_table(view: MeasureView, trend: str) -> str:
    """The table beside a trend chart: every figure the chart draws. Built here rather than in
    a template because a dashboard holds some 600 rows of them, and Django's template engine
    spends a quarter of the page's time on that many small nodes."""
    measure = view.measure
    with_parts = measure.unit == "percent" and measure.kind == "flow"
    with_target = bool(view.trajectory)
    unit = "%" if measure.unit == "percent" else ""
    every = "weekly" if trend == "weekly" else "monthly"
    first = "Week" if trend == "weekly" else "Month"
    value_head = "On the last day" if measure.kind == "stock" else "Figure"
    numeric = "govuk-table__header govuk-table__header--numeric"
    out = [
        '<table class="govuk-table everychild-data-table">',
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        f"{escape(measure.title)}: {every} figures</caption>",
        '<thead class="govuk-table__head"><tr class="govuk-table__row">',
        f'<th scope="col" class="govuk-table__header">{first}</th>',
        f'<th scope="col" class="{numeric}">{value_head}</th>',
    ]
    if with_parts:
        out.append(f'<th scope="col" class="{numeric}">Met</th>')
        out.append(f'<th scope="col" class="{numeric}">Counted</th>')
    if with_target:
        out.append(f'<th scope="col" class="{numeric}">Trajectory</th>')
    out.append('</tr></thead><tbody class="govuk-table__body">')
    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    for row in view.trend:
        out.append('<tr class="govuk-table__row">')
        out.append(f'<th scope="row" class="govuk-table__header">{escape(row.label)}</th>')
        out.append(f"{cell}{escape(row.text)}</td>")
        if with_parts:
            for part in (row.numerator, row.denominator):
                out.append(f"{cell}{'–' if part is None else part}</td>")
        if with_target:
            target = "–" if row.target is None else f"{row.target}{unit}"
            out.append(f"{cell}{target}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


def trend_chart(view: MeasureView, trend: str) -> str:
    rows = view.trend
    labels = [r.label for r in rows]
    if trend == "weekly":
        ticks = [i for i, r in enumerate(rows) if i % 8 == 0]
    else:
        ticks = [i for i, r in enumerate(rows) if r.start.month == 1]
        labels = [r.label if r.start.month != 1 else str(r.start.year) for r in rows]
    lines = [charts.Line(view.measure.short_title or view.measure.title, [r.value for r in rows])]
    if any(r.target is not None for r in rows):
        lines.append(charts.Line("Improvement plan trajectory", [r.target for r in rows], "target"))
    return charts.line_chart(
        charts.LineChart(
            title=f"{view.measure.title}: {'weekly' if trend == 'weekly' else 'monthly'} trend",
            x_labels=labels,
            lines=lines,
            unit="percent" if view.measure.unit == "percent" else "",
            ticks=ticks,
        )
    )


# --- the records behind a figure -------------------------------------------------------------

PARTS = {
    "all": "All the records counted",
    "met": "Those meeting the measure",
    "not_met": "Those not meeting the measure",
}


def record_ids(measure: Measure, figure: Figure, part: str) -> list[int]:
    counted = figure.denominator_ids or figure.numerator_ids
    if part == "met":
        return figure.numerator_ids
    if part == "not_met":
        hits = set(figure.numerator_ids)
        return [i for i in figure.denominator_ids if i not in hits]
    return counted


def _among(visible, ids: list[int]):
    """The records among `ids` that the access selector `visible` lets the user see. The ids
    lead and the selector is a subquery. For advice, whose selector joins the case for its
    area, one filter had SQLite's planner walk every case in the area and probe each against
    the id list (1.9 s for 840 EP advice requests, issue 21); this way each id is looked up by
    its key. The other kinds' selectors filter their own table, and one filter is quicker for
    them on both databases (4,432 plans: 14 against 18 ms on SQLite, 43 against 67 ms on
    PostgreSQL)."""
    return visible.model.objects.filter(pk__among=ids).filter(pk__in=visible.values("pk"))


def records_behind(user, measure: Measure, ids: list[int]):
    """The records the user may see among `ids`, through the access policy's selectors."""
    if measure.record_kind == RecordKind.CASE:
        return (
            visible_assessment_requests(user)
            .filter(pk__among=ids)
            .select_related("child", "caseworker")
            .order_by("received_on", "pk")
        )
    if measure.record_kind == RecordKind.PLAN:
        return (
            visible_plans(user)
            .filter(pk__among=ids)
            .select_related("child", "setting")
            .order_by("issued_on", "pk")
        )
    if measure.record_kind == RecordKind.SUPPORT:
        return (
            visible_support_plans(user)
            .filter(pk__among=ids)
            .select_related("child", "child__current_setting")
            .order_by("started_on", "pk")
        )
    if measure.record_kind == RecordKind.DISAGREEMENT:
        return (
            Disagreement.objects.filter(pk__among=ids, child__in=visible_children(user))
            .select_related("child")
            .order_by("decision_letter_on", "pk")
        )
    return (
        _among(visible_advice_requests(user), ids)
        .select_related("assessment_request__child", "organisation", "assigned_to")
        .order_by("received_by_body_on", "pk")
    )


def child_id_of(record) -> int:
    child_id = getattr(record, "child_id", None)
    if child_id is None:
        child_id = record.assessment_request.child_id
    return child_id


def audit_shown_records(user, measure: Measure, records, *, request=None, detail=None) -> None:
    """One audit entry per record shown in a drill-down: whose record, seen by whom, why."""
    audit.record_shown(
        user,
        ((child_id_of(record), record._meta.label, str(record.pk)) for record in records),
        action=AuditAction.SEARCH,
        request=request,
        reason=f"performance drill-down: {measure.id}",
        detail=detail,
    )


def may_see_aggregates(user) -> bool:
    return has_capability(user, Capability.SEE_AGGREGATES)


# The measures of children on SEN support that DfE's "Special educational needs in England"
# table is shown beside (issue 22). Its table is by phase and type of school only.
SEN_IN_ENGLAND_MEASURES = ("sen_support_by_phase", "sen_support_by_need", "sen_support_by_age")


@dataclass
class PublishedShare:
    label: str
    england: str
    local_authority: str


@dataclass
class SENInEngland:
    """DfE's share of pupils on SEN support beside a measure: `loaded` False when the table
    has not been loaded; otherwise the year, the source and a row per phase shown."""

    loaded: bool
    title: str = ""
    year: str = ""
    source: str = ""
    la_name: str = ""
    la_published: bool = False
    rows: list[PublishedShare] = field(default_factory=list)
    by_phase: bool = False


def _share_text(row: dict | None) -> str:
    if row is None:
        return "not published"
    if row["sen_support_percent"] is None:
        flag = row["flags"].get("sen_support_percent", "")
        return f"not given ({sen_in_england.NOT_GIVEN.get(flag, flag)})"
    return f"{row['sen_support_percent']:.1f}%"


def sen_in_england_for(area: Area, measure: Measure) -> SENInEngland | None:
    """England's and the area's local authority's published share of pupils on SEN support
    (the January census of the latest year loaded), for a measure of children on SEN support;
    None for any other measure. The local authority is found by the area's LA code, as the EHC
    plan statistics are."""
    if measure.id not in SEN_IN_ENGLAND_MEASURES:
        return None
    load = SENInEnglandLoad.objects.first()
    if load is None:
        return SENInEngland(loaded=False)
    by_phase = measure.id == "sen_support_by_phase"
    rows = SENPupils.objects.filter(
        load=load,
        time_period=load.latest_period,
        type_of_establishment="Total",
    ).filter(
        Q(geographic_level=GeographicLevel.NATIONAL)
        | Q(geographic_level=GeographicLevel.LOCAL_AUTHORITY, la_code=area.la_code)
    )
    if not by_phase:
        rows = rows.filter(phase_type_grouping="Total")
    # For each place and phase: the row of every kind of school, hospital schools included
    # ("Total") where DfE gives it, otherwise the one row it gives.
    chosen: dict[tuple[str, str], dict] = {}
    order: list[str] = []
    for row in rows.order_by("id").values(
        "geographic_level",
        "la_name",
        "phase_type_grouping",
        "hospital_school",
        "sen_support_percent",
        "flags",
    ):
        phase = row["phase_type_grouping"]
        if phase not in order:
            order.append(phase)
        key = (row["geographic_level"], phase)
        if key not in chosen or row["hospital_school"] == "Total":
            chosen[key] = row
    if "Total" in order:  # all phases first
        order.remove("Total")
        order.insert(0, "Total")
    la_rows = [r for (level, _), r in chosen.items() if level == GeographicLevel.LOCAL_AUTHORITY]
    return SENInEngland(
        loaded=True,
        title=load.title,
        year=sen_in_england.academic_year(load.latest_period),
        source=sen_in_england.PUBLISHER,
        la_name=la_rows[0]["la_name"] if la_rows else area.name,
        la_published=bool(la_rows),
        by_phase=by_phase,
        rows=[
            PublishedShare(
                "All pupils" if phase == "Total" else phase,
                _share_text(chosen.get((GeographicLevel.NATIONAL, phase))),
                _share_text(chosen.get((GeographicLevel.LOCAL_AUTHORITY, phase))),
            )
            for phase in order
        ],
    )

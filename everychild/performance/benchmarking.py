"""The area beside England, its region and its statistical neighbours, from DfE's published
statistics (loaded by import_dfe_statistics), with the area's own live figures for the years
DfE has not published yet.

Published figures are shown exactly as DfE gives them (to one decimal place for percentages).
Where DfE gives a count but not its percentage (the refusal rate before 2023) the percentage
is worked out from DfE's counts and marked "derived". The live figures come from the same
measure modules as the dashboard.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from everychild.areas.models import Area
from everychild.performance import measures
from everychild.performance.dataset import PLACEMENT_GROUPS, AreaData
from everychild.performance.models import DfERelease, DfEStatistic, GeographicLevel
from everychild.performance.periods import FIRST_YEAR, Period, calendar_year
from everychild.performance.suppression import shown


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    unit: str  # "percent" | "count"
    dataset: str
    columns: tuple[str, ...]  # the DfE columns it is read from
    read: Callable[[dict], tuple[float | None, str | None, bool]]
    measure: str = ""  # the live measure's id
    category: str = ""  # for the placement mix: the measure's category
    live_note: str = ""  # why there is no live figure
    january: bool = False  # a caseload count at January (academic-year files)
    group: str = ""
    description: str = ""


def _column(name: str):
    def read(row: dict):
        value, flag = row.get(name, (None, "missing"))
        return value, flag, False

    return read


def _refusal_rate(row: dict):
    value, flag = row.get("request_not_assess_pc", (None, None))
    if value is not None:
        return value, None, False
    refused, _ = row.get("requests_decided_not_to_assess", (None, None))
    received, _ = row.get("requests_received_in_year", (None, None))
    if refused is None or not received:
        return None, flag or "x", False
    return round(100 * refused / received, 1), None, True


PLACEMENT_COLUMNS = {
    "mainstream": "mainstream_total_pc",
    "special": "special_total_pc",
    "ap": "AP_PRU_total_pc",
    "post16": "fe_total_pc",
    "early_years": "nm_early_years_pc",
    "elsewhere": "ed_elsewhere_pc",
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "timeliness_excluding_exceptions",
        "New EHC plans issued within 20 weeks, excluding exceptions",
        "percent",
        "timeliness_20_week",
        ("PC_plans_issued_20_weeks_ex",),
        _column("PC_plans_issued_20_weeks_ex"),
        measure="plans_within_20_weeks_excluding_exceptions",
        description="The figure the statutory direction judges the area on.",
    ),
    Indicator(
        "timeliness_including_exceptions",
        "New EHC plans issued within 20 weeks, including exceptions",
        "percent",
        "timeliness_20_week",
        ("pc_plans_issued_within_20_weeks",),
        _column("pc_plans_issued_within_20_weeks"),
        measure="plans_within_20_weeks",
    ),
    Indicator(
        "plans_issued_20_to_52_weeks",
        "New EHC plans issued between 20 and 52 weeks, including exceptions",
        "percent",
        "timeliness_20_week",
        ("pc_plans_issued_gt20weeks_ltYear",),
        _column("pc_plans_issued_gt20weeks_ltYear"),
        measure="plans_issued_20_to_52_weeks",
    ),
    Indicator(
        "plans_issued_over_52_weeks",
        "New EHC plans issued after 52 weeks, including exceptions",
        "percent",
        "timeliness_20_week",
        ("pc_plans_issued_gt_1_year",),
        _column("pc_plans_issued_gt_1_year"),
        measure="plans_issued_over_52_weeks",
        description="Published from 2023.",
    ),
    Indicator(
        "decisions_within_6_weeks",
        "Requests decided within 6 weeks",
        "percent",
        "requests",
        ("request_outcome_six_weeks_pc",),
        _column("request_outcome_six_weeks_pc"),
        measure="decisions_within_6_weeks",
        description="DfE's cohort: initial requests received in the year, undecided ones past "
        "6 weeks counted as over, withdrawn ones left out. Published from 2023.",
    ),
    Indicator(
        "requests",
        "Requests for an EHC needs assessment",
        "count",
        "requests",
        ("requests_received_in_year",),
        _column("requests_received_in_year"),
        measure="requests_received",
    ),
    Indicator(
        "refusal_rate",
        "Requests refused an assessment",
        "percent",
        "requests",
        ("request_not_assess_pc", "requests_decided_not_to_assess", "requests_received_in_year"),
        _refusal_rate,
        measure="requests_refused",
        description="Before 2023 DfE published the counts only: the percentage is worked out "
        "from them (marked derived).",
    ),
    Indicator(
        "plans_issued",
        "New EHC plans issued",
        "count",
        "newplans",
        ("new_ehc_plans",),
        _column("new_ehc_plans"),
        measure="plans_issued",
    ),
    Indicator(
        "caseload",
        "EHC plans in force in January",
        "count",
        "caseload",
        ("ehcplans",),
        _column("ehcplans"),
        measure="active_plans",
        january=True,
    ),
    Indicator(
        "caseload_growth",
        "Growth in EHC plans on the January before",
        "percent",
        "caseload",
        ("ehcplans",),
        _column("ehcplans"),  # replaced by the year-on-year change (see _growth)
        measure="caseload_growth",
        january=True,
        description="Worked out from DfE's January counts (marked derived).",
    ),
    *(
        Indicator(
            f"placement_{key}",
            f"Share of plans: {label}",
            "percent",
            "caseload",
            (column,),
            _column(column),
            measure="placement_mix",
            category=key,
            january=True,
            group="placement_mix",
        )
        for key, column in PLACEMENT_COLUMNS.items()
        for label in (PLACEMENT_GROUPS[key],)
    ),
    Indicator(
        "review_decisions_within_4_weeks",
        "Annual review decisions made within 4 weeks of the meeting",
        "percent",
        "annual_reviews",
        ("pc_decsion_4weeks",),
        _column("pc_decsion_4weeks"),
        measure="review_decisions_within_4_weeks",
        description="Published for 2024 only (reg 20(10): the decision within 4 weeks).",
    ),
)
INDICATOR_IDS = {i.id: i for i in INDICATORS}


@dataclass
class Point:
    key: str  # e.g. "2024" or "202425"
    label: str  # e.g. "2024" or "Jan 2025"
    value: float | None
    flag: str | None = None  # "x", "z", or "missing" when there is no row
    derived: bool = False
    withheld: bool = False


@dataclass
class Series:
    role: str  # "la" | "region" | "england" | "neighbours" | "neighbour"
    code: str
    name: str
    points: list[Point]


@dataclass
class IndicatorBenchmark:
    indicator: Indicator
    periods: list[tuple[str, str]]  # (key, label)
    series: list[Series]
    live: list[Point] = field(default_factory=list)

    def series_by_role(self, role: str) -> Series | None:
        return next((s for s in self.series if s.role == role), None)


@dataclass
class Benchmarks:
    release: DfERelease | None
    la_code: str
    la_name: str
    region_code: str
    region_name: str
    neighbours: list[tuple[str, str]]  # (code, name)
    indicators: list[IndicatorBenchmark]
    live_area: Area | None = None
    today: date | None = None


class UnknownLocalAuthority(LookupError):
    pass


def _period_label(time_period: int, january: bool) -> str:
    return f"Jan {2000 + time_period % 100}" if january else str(time_period)


def latest_release() -> DfERelease | None:
    return DfERelease.objects.order_by("-reporting_year").first()


def local_authorities(release: DfERelease | None = None) -> list[tuple[str, str]]:
    """Every local authority DfE's latest release names, as (new LA code, name) in order of
    name: the comparator is chosen by name, not by typing a code (issue 20)."""
    release = release or latest_release()
    if release is None:
        return []
    found = dict(
        DfEStatistic.objects.filter(
            dataset__release=release, geographic_level=GeographicLevel.LOCAL_AUTHORITY
        )
        .exclude(la_code="")
        .values_list("la_code", "la_name")
        .distinct()
    )
    return sorted(found.items(), key=lambda pair: (pair[1].lower(), pair[0]))


def benchmarks(
    la_code: str,
    *,
    live_data: AreaData | None = None,
    suppress: bool = True,
    release: DfERelease | None = None,
) -> Benchmarks:
    """Every indicator for LA `la_code` beside England, its region and (for an area of this
    service) its statistical neighbours; with `live_data` (the area's own records) the live
    figures for the years DfE has not yet published."""
    release = release or latest_release()
    area = Area.objects.filter(la_code=la_code).first()
    neighbour_codes = list(area.statistical_neighbours) if area is not None else []
    if release is None:
        return Benchmarks(
            None,
            la_code,
            area.name if area else la_code,
            area.region_code if area else "",
            area.region_name if area else "",
            [(c, c) for c in neighbour_codes],
            [],
            live_area=area,
        )
    datasets = {d.name: d for d in release.datasets.all()}
    la_rows = list(
        DfEStatistic.objects.filter(
            dataset__release=release,
            is_total=True,
            geographic_level=GeographicLevel.LOCAL_AUTHORITY,
            la_code=la_code,
        ).values_list("la_name", "region_code", "region_name")[:1]
    )
    if not la_rows:
        raise UnknownLocalAuthority(la_code)
    la_name, region_code, region_name = la_rows[0]
    wanted = {i.dataset for i in INDICATORS}
    rows = DfEStatistic.objects.filter(
        dataset__release=release, dataset__name__in=wanted, is_total=True
    ).filter(
        Q(geographic_level=GeographicLevel.NATIONAL)
        | Q(geographic_level=GeographicLevel.REGIONAL, region_code=region_code)
        | Q(
            geographic_level=GeographicLevel.LOCAL_AUTHORITY,
            la_code__in=[la_code, *neighbour_codes],
        )
    )
    # (dataset, geography code) -> {time period: {column: (value, flag)}}
    table: dict[tuple[str, str], dict[int, dict]] = {}
    names: dict[str, str] = {}
    dataset_names = {d.pk: d.name for d in datasets.values()}
    for row in rows.values_list(
        "dataset_id",
        "geographic_level",
        "region_code",
        "la_code",
        "la_name",
        "time_period",
        "values",
        "flags",
    ):
        dataset_id, level, region, code, name, period, values, flags = row
        dataset_name = dataset_names[dataset_id]
        if level == GeographicLevel.NATIONAL:
            geo = "england"
        elif level == GeographicLevel.REGIONAL:
            geo = "region"
        else:
            geo = code
            names[code] = name
        columns = datasets[dataset_name].columns
        by_column = {c: (v, flags.get(c)) for c, v in zip(columns, values, strict=True)}
        table.setdefault((dataset_name, geo), {}).setdefault(period, by_column)

    result = Benchmarks(
        release=release,
        la_code=la_code,
        la_name=la_name,
        region_code=region_code,
        region_name=region_name,
        neighbours=[(c, names.get(c, c)) for c in neighbour_codes],
        indicators=[],
        live_area=area if live_data is not None else None,
        today=live_data.today if live_data is not None else None,
    )
    for indicator in INDICATORS:
        result.indicators.append(_indicator(indicator, table, result, live_data, suppress=suppress))
    return result


def _indicator(indicator, table, result: Benchmarks, live_data, *, suppress) -> IndicatorBenchmark:
    periods = sorted(
        {
            p
            for (name, _), by_period in table.items()
            if name == indicator.dataset
            for p in by_period
        }
    )
    periods = [p for p in periods if _year_of(p, indicator.january) >= FIRST_YEAR]
    keys = [(str(p), _period_label(p, indicator.january)) for p in periods]

    def points(geo: str) -> list[Point]:
        by_period = table.get((indicator.dataset, geo), {})
        out = []
        for p, (key, label) in zip(periods, keys, strict=True):
            row = by_period.get(p)
            if row is None:
                out.append(Point(key, label, None, "missing"))
                continue
            value, flag, derived = indicator.read(row)
            out.append(Point(key, label, value, flag, derived))
        if indicator.id == "caseload_growth":
            out = _growth(out)
        return out

    series = [
        Series("la", result.la_code, result.la_name, points(result.la_code)),
        Series("region", result.region_code, result.region_name, points("region")),
        Series("england", "E92000001", "England", points("england")),
    ]
    neighbour_series = [
        Series("neighbour", code, name, points(code)) for code, name in result.neighbours
    ]
    if neighbour_series:
        medians = []
        for index, (key, label) in enumerate(keys):
            known = [s.points[index].value for s in neighbour_series]
            known = [v for v in known if v is not None]
            medians.append(Point(key, label, round(statistics.median(known), 1) if known else None))
        series.append(Series("neighbours", "", "Statistical neighbours (median)", medians))
        series.extend(neighbour_series)
    benchmark = IndicatorBenchmark(indicator, keys, series)
    if live_data is not None and indicator.measure:
        benchmark.live = _live(indicator, periods, live_data, suppress=suppress)
    return benchmark


def _year_of(time_period: int, january: bool) -> int:
    return 2000 + time_period % 100 if january else time_period


def _growth(points: list[Point]) -> list[Point]:
    out = []
    previous = None
    for point in points:
        value = None
        if previous is not None and previous.value and point.value is not None:
            value = round(100 * (point.value - previous.value) / previous.value, 1)
        out.append(Point(point.key, point.label, value, None if value is not None else "x", True))
        previous = point
    return out


def live_periods(indicator: Indicator, published: list[int], today: date) -> list[Period]:
    """The periods after DfE's latest for which the area's own figure is shown: each calendar
    year (this one so far); for a January count, mid-January of each later year, and today."""
    if indicator.january:
        last = max((2000 + p % 100 for p in published), default=today.year - 1)
        out = []
        for year in range(last + 1, today.year + 1):
            census = date(year, 1, 15)  # SEN2's census day is in mid-January
            if census <= today:
                out.append(Period(census, census, f"Jan {year}"))
        out.append(Period(today, today, f"{today:%-d %b %Y}"))
        return out
    last = max(published, default=today.year - 1)
    return [calendar_year(year, today) for year in range(last + 1, today.year + 1)]


def _live(indicator: Indicator, published: list[int], data: AreaData, *, suppress) -> list[Point]:
    measure = measures.get(indicator.measure)
    out = []
    for period in live_periods(indicator, published, data.today):
        figure = measure.figure(data, period)
        if indicator.category:
            total = figure.value or 0
            count = figure.breakdown.get(indicator.category, 0)
            value = round(100 * count / total, 1) if total else None
            withheld = suppress and 0 < count < 5
            out.append(
                Point(
                    period.label or str(period.end.year),
                    period.label,
                    None if withheld else value,
                    withheld=withheld,
                )
            )
            continue
        seen = shown(figure, measure.unit, measure.aggregate, suppress=suppress)
        out.append(
            Point(
                period.label or str(period.end.year),
                period.label,
                seen.value,
                withheld=seen.withheld,
            )
        )
    return out

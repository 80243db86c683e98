"""What every measure is: an id, a title, a written definition and one implementation.

Two shapes cover DOMAIN.md section 5:

* a **flow** measure counts what happened on the days of a period (plans issued, decisions
  made, advice given). Its module yields one `Event` per record: the day it counts on, whether
  it is in the denominator and the numerator, and (for a median) an amount;
* a **stock** measure is a state on one day (open cases, active plans, the advice backlog). Its
  module yields one `Span` per record: the first day the record is counted and the first day it
  no longer is. It is read on the period's last day (or today).

Series (a figure for each month or week) come from the same events and spans, bucketed once,
so a trend over seven years costs one pass over the records, not one per month.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.utils import timezone

from everychild.performance.dataset import AreaData, shared_figures
from everychild.performance.periods import Period


class Unit(enum.StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    WEEKS = "weeks"


class RecordKind(enum.StrEnum):
    """What the records behind a figure are, for the drill-down."""

    CASE = "case"  # a request for assessment (casework.AssessmentRequest)
    PLAN = "plan"  # an EHC plan (plans.EHCPlan)
    ADVICE = "advice"  # a request for EP advice (casework.AdviceRequest)
    DISAGREEMENT = "disagreement"  # mediation or an appeal (plans.Disagreement)
    SUPPORT = "support"  # a SEN support plan (support.SupportPlan)


@dataclass(frozen=True)
class Definition:
    numerator: str
    denominator: str
    period: str
    exclusions: str
    dfe: str = ""  # the DfE figure it matches, if any


class Event(NamedTuple):
    """(A NamedTuple: tens of thousands are made for a page, and tuples are quick to make.)"""

    on: date
    record_id: int
    counted: bool = True  # in the denominator
    hit: bool = True  # in the numerator
    amount: float | None = None  # for medians


class Span(NamedTuple):
    record_id: int
    starts: date  # first day counted
    ends: date | None  # first day no longer counted (None: still counted)
    category: str = ""


@dataclass
class Figure:
    """A measure's figure for one period. `numerator_ids` / `denominator_ids` are the records
    behind it (for the drill-down); `breakdown` counts by category for mix measures."""

    period: Period
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    extra: dict = field(default_factory=dict)
    breakdown: dict[str, int] = field(default_factory=dict)
    numerator_ids: list[int] = field(default_factory=list)
    denominator_ids: list[int] = field(default_factory=list)
    # Why there is no figure, when it cannot be counted at all (NOT_COUNTED_FOR_A_PAST_DAY).
    not_counted: str = ""


# A today-only measure asked for a past day (a board pack as at the end of last month): its
# past cannot be rebuilt, and today's figure would read as that day's, so there is none.
NOT_COUNTED_FOR_A_PAST_DAY = "Only today's figure can be counted: see it on the measure page."


def counted_today(data: AreaData) -> bool:
    """Whether the data is the records as they stand today, the only day a today-only measure
    can be counted on (not as at a past day)."""
    return data.today >= timezone.localdate()


def percent(hits: int, counted: int) -> float | None:
    return round(100.0 * hits / counted, 1) if counted else None


def quantile(values: list[float], fraction: float) -> float | None:
    """The nearest-rank quantile (the median for 0.5), as the wait figures are usually quoted."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceiling, at least the first
    return ordered[int(rank) - 1]


class Measure(ABC):
    id: str = ""
    title: str = ""
    short_title: str = ""
    definition: Definition
    unit: Unit = Unit.COUNT
    record_kind: RecordKind = RecordKind.CASE
    higher_is_better: bool = True
    # A measure whose past cannot be rebuilt from the records (only the latest review meeting
    # is kept) reports only today: asked as at a past day, it gives no figure and says why
    # (StockMeasure.figure, NOT_COUNTED_FOR_A_PAST_DAY), never today's as that day's.
    today_only: bool = False
    kind: str = ""  # "flow" or "stock"
    # How the figure is made: "percent", "count", "median" or "growth" (for suppression).
    aggregate: str = "count"
    # The live figure's counterpart on the benchmarking page, if any.
    benchmark: str = ""

    @abstractmethod
    def figure(self, data: AreaData, period: Period) -> Figure: ...

    @abstractmethod
    def series(self, data: AreaData, periods: list[Period]) -> list[Figure]: ...

    # The pages' figures and trends, kept in the data's memo: the unfiltered data and its memo
    # live until a watched record changes (dataset.load), so a dashboard viewed again reads
    # them rather than computing them afresh. The Figure is shared: never change it.
    # Figures another process made from the same data are taken from the cache
    # (dataset.shared_figures) rather than made again.
    def cached_figure(self, data: AreaData, period: Period) -> Figure:
        key = ("figure", self.id, period, self.memo_version(data))
        found = data.memo.get(key)
        if found is None:
            found = shared_figures(data).get(key)
            if found is None:
                found = self.figure(data, period)
            data.memo[key] = found
        return found

    def cached_series(self, data: AreaData, periods: list[Period]) -> list[Figure]:
        key = ("series", self.id, tuple(periods), self.memo_version(data))
        found = data.memo.get(key)
        if found is None:
            found = shared_figures(data).get(key)
            if found is None:
                found = self.series(data, periods)
            data.memo[key] = found
        return found

    def memo_version(self, data: AreaData):
        """What, beyond the casework data, the figures are made from (support_data.FromSupport:
        the support records' state)."""
        return None

    def format(self, value: float | None) -> str:
        return format_value(value, self.unit)


def format_value(value: float | None, unit: Unit | str) -> str:
    if value is None:
        return "No data"
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.WEEKS:
        return f"{value:.1f} weeks"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


class FlowMeasure(Measure):
    """Events on the days of the period: a percentage (numerator over denominator), a count
    (the numerator), or a median of amounts."""

    kind = "flow"
    aggregate = "percent"  # "percent" | "count" | "median"

    @abstractmethod
    def events(self, data: AreaData) -> Iterable[Event]: ...

    def _figure(self, period: Period, events: list[Event]) -> Figure:
        counted = [e for e in events if e.counted]
        hits = [e for e in counted if e.hit]
        figure = Figure(
            period=period,
            value=None,
            numerator=len(hits),
            denominator=len(counted),
            numerator_ids=[e.record_id for e in hits],
            denominator_ids=[e.record_id for e in counted],
        )
        if self.aggregate == "percent":
            figure.value = percent(len(hits), len(counted))
        elif self.aggregate == "count":
            figure.value = len(hits)
            figure.denominator = None
        else:
            amounts = [e.amount for e in hits if e.amount is not None]
            median = quantile(amounts, 0.5)
            p90 = quantile(amounts, 0.9)
            figure.value = round(median, 1) if median is not None else None
            figure.extra["p90"] = round(p90, 1) if p90 is not None else None
            figure.denominator = None
        return figure

    def all_events(self, data: AreaData) -> list[Event]:
        """The measure's events, made once per loaded data (a page asks for several periods)."""
        key = ("events", self.id)
        cached = data.memo.get(key)
        if cached is None:
            cached = data.memo[key] = list(self.events(data))
        return cached

    def figure(self, data: AreaData, period: Period) -> Figure:
        start, end = period.start, period.end
        return self._figure(period, [e for e in self.all_events(data) if start <= e.on <= end])

    def series(self, data: AreaData, periods: list[Period]) -> list[Figure]:
        """One pass over the events, each dropped into its period (periods are consecutive)."""
        buckets: list[list[Event]] = [[] for _ in periods]
        starts = [p.start for p in periods]
        if periods:
            last = periods[-1].end
            for event in self.all_events(data):
                if event.on > last:
                    continue
                index = bisect_right(starts, event.on) - 1
                if index >= 0 and event.on <= periods[index].end:
                    buckets[index].append(event)
        return [self._figure(p, b) for p, b in zip(periods, buckets, strict=True)]


class StockMeasure(Measure):
    """Records in a state on the period's last day (or today): a count, or a count by
    category (a mix)."""

    kind = "stock"

    @abstractmethod
    def spans(self, data: AreaData) -> Iterable[Span]: ...

    def counted_spans(self, data: AreaData) -> list[Span]:
        """The spans that are counted on at least one day (a case closed before it passed 20
        weeks never enters the count), made once per loaded data."""
        key = ("spans", self.id)
        cached = data.memo.get(key)
        if cached is None:
            cached = data.memo[key] = [
                s for s in self.spans(data) if s.ends is None or s.ends > s.starts
            ]
        return cached

    def _at(self, spans: list[Span], day: date, period: Period) -> Figure:
        inside = [s for s in spans if s.starts <= day and (s.ends is None or s.ends > day)]
        figure = Figure(
            period=period,
            value=len(inside),
            numerator=len(inside),
            numerator_ids=[s.record_id for s in inside],
        )
        if any(s.category for s in inside):
            breakdown: dict[str, int] = {}
            for s in inside:
                breakdown[s.category] = breakdown.get(s.category, 0) + 1
            figure.breakdown = breakdown
        return figure

    def figure(self, data: AreaData, period: Period) -> Figure:
        if self.today_only:
            if not counted_today(data):
                return Figure(period=period, value=None, not_counted=NOT_COUNTED_FOR_A_PAST_DAY)
            return self._at(self.counted_spans(data), data.today, period)
        return self._at(self.counted_spans(data), period.state_day(data.today), period)

    def memo_version(self, data: AreaData):
        # Kept apart: a figure counted while the data's day was today, and none after it.
        return counted_today(data) if self.today_only else super().memo_version(data)

    def counts_at(self, spans: list[Span], days: list[date]) -> list[int]:
        """How many spans hold on each day: sorted starts and ends, two binary searches."""
        starts = sorted(s.starts for s in spans)
        ends = sorted(s.ends for s in spans if s.ends is not None)
        return [bisect_right(starts, d) - bisect_right(ends, d) for d in days]

    def series(self, data: AreaData, periods: list[Period]) -> list[Figure]:
        if self.today_only:
            return [
                self.figure(data, p) if p.end >= data.today else Figure(period=p, value=None)
                for p in periods
            ]
        spans = self.counted_spans(data)
        days = [p.state_day(data.today) for p in periods]
        counts = self.counts_at(spans, days)
        return [
            Figure(period=p, value=n, numerator=n) for p, n in zip(periods, counts, strict=True)
        ]

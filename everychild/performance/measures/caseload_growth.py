"""Caseload growth: the change in EHC plans in force over the 12 months to the day."""

from everychild.performance.measures.active_plans import plan_spans
from everychild.performance.measures.base import (
    Definition,
    Figure,
    RecordKind,
    StockMeasure,
    Unit,
    percent,
)
from everychild.performance.periods import years_before


class CaseloadGrowth(StockMeasure):
    id = "caseload_growth"
    title = "Growth in EHC plans over 12 months"
    short_title = "Caseload growth"
    unit = Unit.PERCENT
    record_kind = RecordKind.PLAN
    benchmark = "caseload_growth"
    aggregate = "growth"
    definition = Definition(
        numerator="Plans in force on the day, less plans in force on the same day a year before.",
        denominator="Plans in force on the same day a year before.",
        period="Read on the last day of the period (today for the current period).",
        exclusions="None.",
        dfe="caseload.csv: ehcplans, January on January",
    )

    def spans(self, data):
        return plan_spans(data)

    def _growth(self, now: int, before: int) -> float | None:
        if not before:
            return None
        return round(percent(now - before, before), 1)

    def figure(self, data, period):
        spans = self.counted_spans(data)
        day = period.state_day(data.today)
        now, before = self.counts_at(spans, [day, years_before(day, 1)])
        return Figure(
            period=period,
            value=self._growth(now, before),
            numerator=now - before,
            denominator=before,
            extra={"now": now, "before": before},
            numerator_ids=[
                s.record_id for s in spans if s.starts <= day and (s.ends is None or s.ends > day)
            ],
        )

    def series(self, data, periods):
        spans = self.counted_spans(data)
        days = [p.state_day(data.today) for p in periods]
        now = self.counts_at(spans, days)
        before = self.counts_at(spans, [years_before(d, 1) for d in days])
        return [
            Figure(period=p, value=self._growth(n, b), numerator=n - b, denominator=b)
            for p, n, b in zip(periods, now, before, strict=True)
        ]


MEASURE = CaseloadGrowth()

"""Assessments still open more than 30 weeks after the request: the long tail BCP's
improvement plan tracks ("cases over 30 weeks")."""

from everychild.performance.measures.base import Definition, RecordKind, StockMeasure, Unit
from everychild.performance.measures.open_past_20_weeks import open_spans

WEEKS = 30


class OpenPast30Weeks(StockMeasure):
    id = "open_past_30_weeks"
    title = "Assessments open more than 30 weeks after the request"
    short_title = "Open over 30 weeks"
    unit = Unit.COUNT
    record_kind = RecordKind.CASE
    higher_is_better = False
    definition = Definition(
        numerator="Requests whose assessment was still open on the day - no decision not to "
        "assess, no final plan, no decision not to issue, not withdrawn - more than 30 weeks "
        "(210 days) after the request was received.",
        denominator="None: a count.",
        period="Counted on the last day of the period (today for the current period).",
        exclusions="Cases closed on or before the day, however they closed.",
    )

    def spans(self, data):
        return open_spans(data, WEEKS)


MEASURE = OpenPast30Weeks()

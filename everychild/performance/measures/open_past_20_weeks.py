"""Assessments still open more than 20 weeks after the request (reg 13(2): the final plan was
due at received + 140 days)."""

from datetime import timedelta

from everychild.performance.measures.base import Definition, RecordKind, Span, StockMeasure, Unit

WEEKS = 20


def open_spans(data, weeks: int):
    """Each case from the first day it is more than `weeks` weeks old until it closes."""
    past = timedelta(days=7 * weeks + 1)
    for case in data.cases:
        yield Span(case.id, case.received_on + past, case.closed_on)


class OpenPast20Weeks(StockMeasure):
    id = "open_past_20_weeks"
    title = "Assessments open more than 20 weeks after the request"
    short_title = "Open over 20 weeks"
    unit = Unit.COUNT
    record_kind = RecordKind.CASE
    higher_is_better = False
    definition = Definition(
        numerator="Requests whose assessment was still open on the day - no decision not to "
        "assess, no final plan, no decision not to issue, not withdrawn - more than 20 weeks "
        "(140 days) after the request was received.",
        denominator="None: a count.",
        period="Counted on the last day of the period (today for the current period).",
        exclusions="Cases closed on or before the day, however they closed.",
    )

    def spans(self, data):
        return open_spans(data, WEEKS)


MEASURE = OpenPast20Weeks()

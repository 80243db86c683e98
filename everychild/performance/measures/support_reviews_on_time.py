"""Support plan reviews held on time: the share of assess-plan-do-review cycles whose review
was held by the date it was due (at least termly: Code 6.65). Issue 22, decision 0221."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.performance.support_data import FromSupport, support_of


class SupportReviewsOnTime(FromSupport, FlowMeasure):
    id = "support_reviews_on_time"
    title = "Support plan reviews held on time"
    short_title = "Support reviews on time"
    unit = Unit.PERCENT
    record_kind = RecordKind.SUPPORT
    definition = Definition(
        numerator="Of those cycles, the ones whose review was held on or before the day it was "
        "due.",
        denominator="Cycles of a support plan whose review fell due in the period, up to today "
        "(a review due and not yet held is late).",
        period="The day the review was due falls in the period.",
        exclusions="Cycles of a support plan that ended before the review fell due; reviews "
        "due after today.",
    )

    def events(self, data):
        today = data.today
        for cycle in support_of(data).cycles:
            due = cycle.review_due
            if due > today:
                continue
            ended_first = cycle.plan_ended_on is not None and cycle.plan_ended_on < due
            if ended_first and cycle.reviewed_on is None:
                continue
            on_time = cycle.reviewed_on is not None and cycle.reviewed_on <= due
            yield Event(due, cycle.plan_id, True, on_time)


MEASURE = SupportReviewsOnTime()

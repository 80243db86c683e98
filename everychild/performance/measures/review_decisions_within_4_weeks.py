"""Annual review decisions made within 4 weeks of the review meeting.

SEND Regulations 2014 reg 20(10): within 4 weeks of the review meeting the local authority
decides whether to keep the plan as it is, amend it or cease to maintain it, and tells the
child's parent or the young person. DfE publishes the same figure for each calendar year."""

from datetime import timedelta

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit

FOUR_WEEKS = timedelta(days=28)


class ReviewDecisionsWithin4Weeks(FlowMeasure):
    id = "review_decisions_within_4_weeks"
    title = "Annual review decisions made within 4 weeks of the meeting"
    short_title = "Review decisions within 4 weeks"
    unit = Unit.PERCENT
    record_kind = RecordKind.PLAN
    benchmark = "review_decisions_within_4_weeks"
    definition = Definition(
        numerator="Decisions made on or before the meeting's date + 28 days (reg 20(10)).",
        denominator="Annual reviews whose decision (keep, amend or cease) was made in the "
        "period, after a recorded meeting.",
        period="The day of the decision falls in the period.",
        exclusions="Reviews with no meeting recorded, and reviews still waiting for a decision "
        "(they appear in the annual review backlog instead).",
        dfe="annual reviews: decisions made within 4 weeks of the review meeting",
    )

    def events(self, data):
        for review in data.reviews:
            if review.decision_on is not None and review.meeting_on is not None:
                yield Event(
                    review.decision_on,
                    review.plan_id,
                    True,
                    review.decision_on <= review.meeting_on + FOUR_WEEKS,
                )


MEASURE = ReviewDecisionsWithin4Weeks()

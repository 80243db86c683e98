"""The annual review backlog: active plans with no review meeting in the last 12 months.

Children and Families Act 2014 s.44: a plan is reviewed at least every 12 months from the date
it was issued, then from the previous review. EveryChild keeps each plan's latest review
meeting only, so the backlog can be counted for today but not rebuilt for past days."""

from everychild.performance.measures.base import Definition, RecordKind, Span, StockMeasure, Unit
from everychild.statutory import deadlines


class AnnualReviewBacklog(StockMeasure):
    id = "annual_review_backlog"
    title = "Plans with no annual review meeting in the last 12 months"
    short_title = "Annual review backlog"
    unit = Unit.COUNT
    record_kind = RecordKind.PLAN
    higher_is_better = False
    today_only = True
    definition = Definition(
        numerator="Active EHC plans whose annual review was due before today: 12 months from "
        "the latest review meeting, or from the plan's issue if it has had none (CFA 2014 "
        "s.44), with no meeting since.",
        denominator="None: a count.",
        period="Today only: only each plan's latest review meeting is recorded, so past "
        "backlogs cannot be rebuilt.",
        exclusions="Ceased plans; plans issued less than 12 months ago.",
    )

    def spans(self, data):
        today = data.today
        day_one = data.area.count_start_as_day_one
        for plan in data.plans:
            if plan.ceased_on is not None and plan.ceased_on <= today:
                continue
            counted_from = plan.last_review_meeting_on or plan.issued_on
            due = deadlines.annual_review_due(counted_from, count_start_as_day_one=day_one)
            if due < today:
                yield Span(plan.id, today, None)


MEASURE = AnnualReviewBacklog()

"""The annual review backlog: active plans with no review meeting in the last 12 months.

Children and Families Act 2014 s.44: a plan is reviewed at least every 12 months from the date
it was issued, then from the previous review; a plan transferred in from another council and
not reviewed here since is due by the later of that and 3 months from the transfer (SEND
Regulations 2014 reg 15), judged by the same function as the plan's page. EveryChild keeps each
plan's latest review meeting only, so the backlog can be counted for today but not rebuilt for
past days."""

from everychild.performance.measures.base import Definition, RecordKind, Span, StockMeasure, Unit
from everychild.plans.clock import review_due


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
        "s.44) or, for a plan transferred in and not reviewed here since, 3 months from the "
        "transfer if later (reg 15), with no meeting since.",
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
            due = review_due(
                issued_on=plan.issued_on,
                last_meeting_on=plan.last_review_meeting_on,
                born=plan.born,
                six_monthly_under_5=False,  # the backlog counts the s.44 duty, not the Code's
                count_start_as_day_one=day_one,
                transferred_on=plan.transferred_on,
            )
            if due < today:
                yield Span(plan.id, today, None)


MEASURE = AnnualReviewBacklog()

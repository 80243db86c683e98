"""New EHC plans issued after 20 weeks but within 52 weeks of the request (DfE's middle band).

DfE: timeliness_20_week.csv, pc_plans_issued_gt20weeks_ltYear (plans_issued_gt20weeks_ltYear /
plans_issued_den), including exceptions. DfE's fixed counting: day 0 is the day of receipt."""

from datetime import timedelta

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit

TWENTY_WEEKS = timedelta(days=140)
FIFTY_TWO_WEEKS = timedelta(days=364)


def new_plans(data):
    """The cases whose final plan is a new plan (not after a re-assessment)."""
    return (c for c in data.cases if c.final_on is not None and not c.reassessment)


class PlansIssued20To52Weeks(FlowMeasure):
    id = "plans_issued_20_to_52_weeks"
    title = "New EHC plans issued between 20 and 52 weeks after the request"
    short_title = "Plans in 20 to 52 weeks"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    higher_is_better = False
    benchmark = "plans_issued_20_to_52_weeks"
    definition = Definition(
        numerator="Final plans issued more than 140 days and no more than 364 days after the "
        "request was received.",
        denominator="Every new final EHC plan issued in the period after a request.",
        period="The day the final plan was issued falls in the period.",
        exclusions="Re-assessments (not new plans). Cases where an exception applies are included.",
        dfe="timeliness_20_week.csv: pc_plans_issued_gt20weeks_ltYear",
    )

    def events(self, data):
        for case in new_plans(data):
            days = case.final_on - case.received_on
            yield Event(case.final_on, case.id, True, TWENTY_WEEKS < days <= FIFTY_TWO_WEEKS)


MEASURE = PlansIssued20To52Weeks()

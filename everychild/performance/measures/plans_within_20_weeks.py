"""New EHC plans issued within 20 weeks, including cases where exceptions apply.

SEND Regulations 2014 reg 13(2): the final plan within 20 weeks of the request (received + 140
days, the day of receipt being day 0). DfE: timeliness_20_week.csv, pc_plans_issued_within_20
_weeks."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit

MET = "met"


class PlansWithin20Weeks(FlowMeasure):
    id = "plans_within_20_weeks"
    title = "New EHC plans issued within 20 weeks (including exceptions)"
    short_title = "Plans within 20 weeks (incl. exceptions)"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    benchmark = "timeliness_including_exceptions"
    definition = Definition(
        numerator="Final plans issued in the period on or before the 20-week due date (the "
        "request's receipt + 140 days, reg 13(2)), as the statutory engine judges it.",
        denominator="Every final EHC plan issued in the period after a request for an EHC "
        "needs assessment.",
        period="The day the final plan was issued falls in the period.",
        exclusions="Re-assessments (reg 24-27: 15 days and 14 weeks; a re-assessment's plan "
        "is not a new plan). Cases where an exception applies (reg 13(3), 10(4)) are included "
        "and count as late if the plan came after 20 weeks. Plans made before the area's "
        "records began have no request and are not new plans.",
        dfe="timeliness_20_week.csv: pc_plans_issued_within_20_weeks "
        "(plans_issued_within_20_weeks / plans_issued_den)",
    )

    def events(self, data):
        for case in data.cases:
            if case.final_on is not None and not case.reassessment:
                yield Event(case.final_on, case.id, True, case.final_status == MET)


MEASURE = PlansWithin20Weeks()

"""New EHC plans issued within 20 weeks, excluding cases where exceptions apply: the figure
DfE and the statutory direction judge an area on (BCP 2022: 7.3 %; 2024: 77.6 %).

A case "has exceptions" (SEN2 Week20 = 1) when the statutory engine finds an exception that
lifts the 20-week limit: reg 13(3) applying reg 10(4)(a)-(d) - a school or early years
closure, exceptional personal circumstances, or absence from the area for 4 weeks or more -
or, for clocks that ran during it, the 2020 coronavirus easement."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit

MET = "met"


class PlansWithin20WeeksExcludingExceptions(FlowMeasure):
    id = "plans_within_20_weeks_excluding_exceptions"
    title = "New EHC plans issued within 20 weeks (excluding exceptions)"
    short_title = "Plans within 20 weeks (excl. exceptions)"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    benchmark = "timeliness_excluding_exceptions"
    definition = Definition(
        numerator="Of the denominator, plans issued on or before the 20-week due date (the "
        "request's receipt + 140 days, reg 13(2)).",
        denominator="Final EHC plans issued in the period after a request, leaving out every "
        "case where an exception to the 20 weeks applies, whether or not the plan was late.",
        period="The day the final plan was issued falls in the period.",
        exclusions="Re-assessments (reg 24-27: not new plans). Cases where the statutory "
        "engine finds an exception lifting the 20-week "
        "limit (reg 13(3) applying reg 10(4)(a)-(d), or the 2020 coronavirus easement), judged "
        "as if the plan had not been issued by its due day (SEN2 Week20 = 1).",
        dfe="timeliness_20_week.csv: PC_plans_issued_20_weeks_ex "
        "(plans_issued_20_weeks_ex / plans_issued_den_ex)",
    )

    def events(self, data):
        for case in data.cases:
            if case.final_on is not None and not case.reassessment:
                yield Event(
                    case.final_on, case.id, not case.exceptions_apply, case.final_status == MET
                )


MEASURE = PlansWithin20WeeksExcludingExceptions()

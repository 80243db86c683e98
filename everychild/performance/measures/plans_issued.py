"""New EHC plans issued (reg 13(2)): the number of final plans."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit


class PlansIssued(FlowMeasure):
    id = "plans_issued"
    title = "New EHC plans issued"
    short_title = "Plans issued"
    unit = Unit.COUNT
    record_kind = RecordKind.CASE
    aggregate = "count"
    benchmark = "plans_issued"
    definition = Definition(
        numerator="Final EHC plans issued in the period after a request for an assessment.",
        denominator="None: a count.",
        period="The day the final plan was issued falls in the period.",
        exclusions="Plans made before the area's records began; plans after a "
        "re-assessment (reg 24-27), which replace a plan rather than add a new one.",
        dfe="newplans.csv: new_ehc_plans",
    )

    def events(self, data):
        for case in data.cases:
            if case.final_on is not None and not case.reassessment:
                yield Event(case.final_on, case.id)


MEASURE = PlansIssued()

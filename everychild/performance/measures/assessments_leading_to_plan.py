"""The share of completed EHC needs assessments that led to a plan (reg 10, 13)."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit


class AssessmentsLeadingToPlan(FlowMeasure):
    id = "assessments_leading_to_plan"
    title = "Assessments leading to an EHC plan"
    short_title = "Assessments leading to a plan"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    definition = Definition(
        numerator="Of those assessments, the ones where a final EHC plan was issued.",
        denominator="Assessments whose outcome - a final plan, or a decision not to issue one "
        "(reg 10) - came in the period.",
        period="The day of the outcome falls in the period.",
        exclusions="Assessments still in progress, and requests withdrawn.",
        dfe="assessments.csv: assess_issued_pc (assess_issued over assessments with an outcome)",
    )

    def events(self, data):
        for case in data.cases:
            if case.final_on is not None:
                yield Event(case.final_on, case.id, True, True)
            elif case.not_issued_on is not None:
                yield Event(case.not_issued_on, case.id, True, False)


MEASURE = AssessmentsLeadingToPlan()

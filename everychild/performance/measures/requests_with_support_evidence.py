"""Requests for an EHC needs assessment that arrived with evidence of the graduated approach
(Code 9.14): a school's assess-plan-do-review steps, or made from a support plan. Issue 22,
decision 0221."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.performance.support_data import FromSupport, support_of


class RequestsWithSupportEvidence(FromSupport, FlowMeasure):
    id = "requests_with_support_evidence"
    title = "Requests with evidence of the graduated approach"
    short_title = "Requests with evidence"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    definition = Definition(
        numerator="Of those requests, the ones that arrived with evidence of the graduated "
        "approach: at least one step (assess, plan, do, review or advice sought) sent by the "
        "school or setting, or made from the child's support plan.",
        denominator="Requests for an EHC needs assessment received in the period.",
        period="The day the request was received falls in the period.",
        exclusions="Re-assessments of a child with a plan (reg 24-27).",
    )

    def events(self, data):
        evidenced = support_of(data).evidenced_case_ids
        for case in data.cases:
            if not case.reassessment:
                yield Event(case.received_on, case.id, True, case.id in evidenced)


MEASURE = RequestsWithSupportEvidence()

"""The share of requests refused an assessment among those that arrived with evidence of the
graduated approach (compare refused_without_support_evidence). Issue 22, decision 0221."""

from everychild.casework.models import Decision
from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.performance.support_data import FromSupport, support_of

WITH = True


def refusal_events(data, *, evidenced_wanted: bool):
    evidenced = support_of(data).evidenced_case_ids
    for case in data.cases:
        if case.reassessment or (case.id in evidenced) != evidenced_wanted:
            continue
        yield Event(case.received_on, case.id, True, case.decision == Decision.NOT_ASSESS)


class RefusedWithSupportEvidence(FromSupport, FlowMeasure):
    id = "refused_with_support_evidence"
    title = "Requests refused, with evidence of the graduated approach"
    short_title = "Refused, with evidence"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    higher_is_better = False
    definition = Definition(
        numerator="Of those requests, the ones the local authority decided not to assess.",
        denominator="Requests received in the period that arrived with evidence of the "
        "graduated approach (steps sent by the school or setting, or made from a support "
        "plan).",
        period="The day the request was received falls in the period, whenever the decision "
        "was made (as requests_refused counts).",
        exclusions="Re-assessments. Requests awaiting a decision or withdrawn stay in the "
        "denominator, so the latest months rise as decisions are made.",
    )

    def events(self, data):
        return refusal_events(data, evidenced_wanted=WITH)


MEASURE = RefusedWithSupportEvidence()

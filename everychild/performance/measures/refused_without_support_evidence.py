"""The share of requests refused an assessment among those that arrived without evidence of
the graduated approach (compare refused_with_support_evidence). Issue 22, decision 0221."""

from everychild.performance.measures.base import Definition, FlowMeasure, RecordKind, Unit
from everychild.performance.measures.refused_with_support_evidence import refusal_events
from everychild.performance.support_data import FromSupport


class RefusedWithoutSupportEvidence(FromSupport, FlowMeasure):
    id = "refused_without_support_evidence"
    title = "Requests refused, without evidence of the graduated approach"
    short_title = "Refused, without evidence"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    higher_is_better = False
    definition = Definition(
        numerator="Of those requests, the ones the local authority decided not to assess.",
        denominator="Requests received in the period with no evidence of the graduated "
        "approach in the service: no step sent by a school or setting and not made from a "
        "support plan (requests from families and others, and evidence sent on paper, are "
        "here).",
        period="The day the request was received falls in the period, whenever the decision "
        "was made (as requests_refused counts).",
        exclusions="Re-assessments. Requests awaiting a decision or withdrawn stay in the "
        "denominator.",
    )

    def events(self, data):
        return refusal_events(data, evidenced_wanted=False)


MEASURE = RefusedWithoutSupportEvidence()

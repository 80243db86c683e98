"""The share of requests the local authority decided not to assess (reg 4(1), 5(1))."""

from everychild.casework.models import Decision
from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit


class RequestsRefused(FlowMeasure):
    id = "requests_refused"
    title = "Requests refused an assessment"
    short_title = "Refusal rate"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    higher_is_better = False
    benchmark = "refusal_rate"
    definition = Definition(
        numerator="Of those requests, the ones the local authority decided not to assess.",
        denominator="Requests for an EHC needs assessment received in the period.",
        period="The day the request was received falls in the period (as DfE counts it), "
        "whenever the decision was made.",
        exclusions="None: requests still awaiting a decision or withdrawn stay in the "
        "denominator, as in DfE's figures, so the latest months rise as decisions are made.",
        dfe="requests.csv: request_not_assess_pc (requests_decided_not_to_assess / "
        "requests_received_in_year)",
    )

    def events(self, data):
        for case in data.cases:
            yield Event(case.received_on, case.id, True, case.decision == Decision.NOT_ASSESS)


MEASURE = RequestsRefused()

"""Requests for an EHC needs assessment received (CFA 2014 s.36(1))."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit


class RequestsReceived(FlowMeasure):
    id = "requests_received"
    title = "Requests for an EHC needs assessment received"
    short_title = "Requests received"
    unit = Unit.COUNT
    record_kind = RecordKind.CASE
    aggregate = "count"
    benchmark = "requests"
    definition = Definition(
        numerator="Requests for an EHC needs assessment received in the period (including "
        "those later withdrawn).",
        denominator="None: a count.",
        period="The day the request was received falls in the period.",
        exclusions="None.",
        dfe="requests.csv: requests_received_in_year",
    )

    def events(self, data):
        for case in data.cases:
            yield Event(case.received_on, case.id)


MEASURE = RequestsReceived()

"""How long children were on SEN support before a request for an EHC needs assessment: the
median weeks from the start of their first support plan to the request. Issue 22, decision
0221."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.performance.support_data import FromSupport, support_of


class SupportToRequestWeeks(FromSupport, FlowMeasure):
    id = "support_to_request_weeks"
    title = "Median time from SEN support to a request (weeks)"
    short_title = "SEN support to request"
    unit = Unit.WEEKS
    record_kind = RecordKind.CASE
    aggregate = "median"
    higher_is_better = False
    definition = Definition(
        numerator="The median (and 90th percentile) of the weeks from the day the child's "
        "first support plan started to the day the request was received (nearest rank).",
        denominator="Requests received in the period for a child whose SEN support began on "
        "or before the request.",
        period="The day the request was received falls in the period.",
        exclusions="Requests for children with no support plan in the service, or whose "
        "support began after the request; re-assessments.",
    )

    def events(self, data):
        began = support_of(data).support_began
        for case in data.cases:
            start = began.get(case.child_id)
            if case.reassessment or start is None or start > case.received_on:
                continue
            weeks = (case.received_on - start).days / 7
            yield Event(case.received_on, case.id, True, True, weeks)


MEASURE = SupportToRequestWeeks()

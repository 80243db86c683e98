"""Decisions whether to assess made within 6 weeks of the request.

SEND Regulations 2014 reg 4(1), 5(1): the LA decides (and notifies) within 6 weeks of
receiving the request (received + 42 days). DfE: requests.csv, request_outcome_six_weeks_pc."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit


class DecisionsWithin6Weeks(FlowMeasure):
    id = "decisions_within_6_weeks"
    title = "Decisions whether to assess made within 6 weeks"
    short_title = "Decisions within 6 weeks"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    benchmark = ""
    definition = Definition(
        numerator="Decisions made on or before the 6-week due date (the request's receipt + 42 "
        "days, reg 4(1) and 5(1)).",
        denominator="Requests whose decision to assess or not to assess was made in the period.",
        period="The day of the decision falls in the period.",
        exclusions="Requests to re-assess (reg 24-25: 15 days, not 6 weeks). Requests "
        "withdrawn before a decision. A decision after 6 weeks counts as "
        "late even where an exception (reg 5(4)) excuses it.",
        dfe="requests.csv: request_outcome_six_weeks_pc (published from 2023)",
    )

    def events(self, data):
        for case in data.cases:
            if case.decision_on is not None and case.decision and not case.reassessment:
                yield Event(case.decision_on, case.id, True, case.decision_status == "met")


MEASURE = DecisionsWithin6Weeks()

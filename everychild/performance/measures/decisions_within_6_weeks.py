"""Decisions whether to assess within 6 weeks, on DfE's cohort (DOMAIN.md section 5).

SEND Regulations 2014 reg 4(1), 5(1): the LA decides (and notifies) within 6 weeks of receiving
the request. DfE's requests.csv counts it by the **request**, not the decision: of the initial
requests received in the calendar year, `request_outcome_six_weeks` were decided within 6 weeks
and `request_outcome_over_6_weeks` after, or not decided when 6 weeks had passed;
`request_outcome_six_weeks_pc` is the first over their sum. Withdrawn requests (outcome W) are
in neither, nor are requests still undecided but not yet 6 weeks old at the census. England 2024:
154,489 received, 2,517 withdrawn, 139,934 decided, 12,038 undecided; 126,160 within + 22,593
over = 148,753 = the 139,934 decisions + 8,819 undecided past 6 weeks. BCP 2024: 1,157 within,
21 over, 98.2 %. (docs/decisions/0131-measures-as-dfe-counts.md)"""

from datetime import timedelta

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.returns.sen2.spec import default_reference_date

# DfE's fixed counting: the day of receipt is day 0, so within = decided <= received + 42.
SIX_WEEKS = timedelta(days=42)


def census_day(received_year: int, today):
    """The day DfE's count of a year's requests is taken: the next January's SEN2 census day
    (the return's reference date), or today for a year whose census has not come yet."""
    return min(default_reference_date(received_year + 1), today)


class DecisionsWithin6Weeks(FlowMeasure):
    id = "decisions_within_6_weeks"
    title = "Decisions whether to assess made within 6 weeks"
    short_title = "Decisions within 6 weeks"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    benchmark = "decisions_within_6_weeks"
    definition = Definition(
        numerator="Requests decided (to assess or not) on or before the request's receipt + 42 "
        "days (reg 4(1), 5(1); DfE's fixed counting).",
        denominator="Initial requests for an EHC needs assessment received in the period that "
        "were decided by the census day, or were still undecided on it more than 42 days after "
        "receipt (counted as over 6 weeks). The census day is the SEN2 reference date of the "
        "next January (today, for a period whose census is still to come).",
        period="The day the request was received falls in the period (DfE counts the year's "
        "requests, not the year's decisions).",
        exclusions="Requests withdrawn before a decision; requests undecided on the census day "
        "but not yet 42 days old; requests to re-assess (reg 24-25: 15 days). A decision after "
        "6 weeks counts as late even where an exception (reg 5(4)) excuses it.",
        dfe="requests.csv: request_outcome_six_weeks_pc = request_outcome_six_weeks / "
        "(request_outcome_six_weeks + request_outcome_over_6_weeks) (published from 2023)",
    )

    def events(self, data):
        for case in data.cases:
            if case.reassessment:
                continue
            census = census_day(case.received_on.year, data.today)
            decided = case.decision_on if case.decision else None
            if decided is not None and decided > census:
                decided = None  # as the census saw it: still undecided
            withdrawn = case.withdrawn_on
            if withdrawn is not None and withdrawn <= census and decided is None:
                continue
            due = case.received_on + SIX_WEEKS
            if decided is not None:
                yield Event(case.received_on, case.id, True, decided <= due)
            elif census > due:
                yield Event(case.received_on, case.id, True, False)


MEASURE = DecisionsWithin6Weeks()

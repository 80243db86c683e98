"""The partnership's measures (DOMAIN.md section 5): one module each, with its id, title,
written definition and its one implementation, which every page, CSV file, board pack and the
API use. `MEASURES` lists them in the order pages show them."""

from everychild.performance.measures import (
    active_plans,
    annual_review_backlog,
    assessments_leading_to_plan,
    caseload_growth,
    decisions_within_6_weeks,
    disagreements_per_100_decisions,
    ep_advice_backlog,
    ep_advice_wait,
    open_past_20_weeks,
    open_past_30_weeks,
    placement_mix,
    plans_issued,
    plans_issued_20_to_52_weeks,
    plans_issued_over_52_weeks,
    plans_within_20_weeks,
    plans_within_20_weeks_excluding_exceptions,
    primary_need_mix,
    refused_with_support_evidence,
    refused_without_support_evidence,
    requests_received,
    requests_refused,
    requests_with_support_evidence,
    review_decisions_within_4_weeks,
    sen_support_by_age,
    sen_support_by_need,
    sen_support_by_phase,
    support_reviews_on_time,
    support_then_ehc_plan,
    support_to_request_weeks,
    tribunal_outcomes,
)
from everychild.performance.measures.base import (
    Definition,
    Event,
    Figure,
    FlowMeasure,
    Measure,
    RecordKind,
    Span,
    StockMeasure,
    Unit,
    format_value,
)

MEASURES: dict[str, Measure] = {
    m.MEASURE.id: m.MEASURE
    for m in (
        plans_within_20_weeks_excluding_exceptions,
        plans_within_20_weeks,
        plans_issued_20_to_52_weeks,
        plans_issued_over_52_weeks,
        decisions_within_6_weeks,
        open_past_20_weeks,
        open_past_30_weeks,
        ep_advice_backlog,
        ep_advice_wait,
        annual_review_backlog,
        review_decisions_within_4_weeks,
        requests_received,
        requests_refused,
        assessments_leading_to_plan,
        plans_issued,
        active_plans,
        caseload_growth,
        placement_mix,
        primary_need_mix,
        disagreements_per_100_decisions,
        tribunal_outcomes,
        # SEN support before a plan (issue 22, decision 0221).
        sen_support_by_phase,
        sen_support_by_need,
        sen_support_by_age,
        support_reviews_on_time,
        requests_with_support_evidence,
        refused_with_support_evidence,
        refused_without_support_evidence,
        support_to_request_weeks,
        support_then_ehc_plan,
    )
}

# The figures BCP's improvement plan is judged on (DOMAIN.md section 7): the dashboard's
# headline measures.
HEADLINE = (
    "plans_within_20_weeks_excluding_exceptions",
    "plans_within_20_weeks",
    "decisions_within_6_weeks",
    "open_past_30_weeks",
    "ep_advice_backlog",
    "annual_review_backlog",
)


def get(measure_id: str) -> Measure:
    """The measure with this id (KeyError if there is none)."""
    return MEASURES[measure_id]


def choices() -> list[tuple[str, str]]:
    return [(m.id, m.title) for m in MEASURES.values()]


__all__ = [
    "HEADLINE",
    "MEASURES",
    "Definition",
    "Event",
    "Figure",
    "FlowMeasure",
    "Measure",
    "RecordKind",
    "Span",
    "StockMeasure",
    "Unit",
    "choices",
    "format_value",
    "get",
]

"""Writes to EHC plans: drafting the sections, issuing versions, reviews, phase transfers,
ceasing and disagreements.

As in casework: keyword-only arguments; the actor's right checked first (PermissionDenied);
bad input refused with a ValidationError naming the field and saying what to fix, before
anything is written; every write in one transaction with its audit entry. A draft carries a
`lock_version` (optimistic locking, as a case's `version`): a change made from a stale page is
refused with `DraftChanged`. An issued version is never changed (IssuedVersionError)."""

from everychild.plans.services.disagreements import (
    AGREEMENT_STEPS,
    DISAGREEMENT_DATES,
    record_disagreement,
    record_mediation_agreement,
    record_order_complied,
    record_recommendation,
    record_recommendation_answer,
    record_tribunal_order,
    update_disagreement,
)
from everychild.plans.services.drafts import (
    add_need,
    add_outcome,
    add_provision,
    draft_for_case,
    refresh_advice,
    remove_item,
    set_need_types,
    set_personal_budget,
    set_placement,
    set_section_a,
    start_amendment,
)
from everychild.plans.services.issuing import (
    issue_amendment,
    issue_final_plan,
)
from everychild.plans.services.letters import make_plan_letter
from everychild.plans.services.reviews import (
    circulate_review_advice,
    decide_after_review,
    decide_not_to_amend,
    next_review_due,
    record_review_advice,
    record_review_meeting,
    send_proposed_amendments,
    send_review_invitations,
    send_review_report,
    six_monthly_under_5,
)
from everychild.plans.services.steps import (
    DraftChanged,
)
from everychild.plans.services.suggestions import accept_suggestion, reject_suggestion
from everychild.plans.services.transfers import (
    TRANSFER_IN_DATES,
    cease_plan,
    record_phase_transfer,
    record_post16_move,
    record_transfer_in,
)

__all__ = [
    "make_plan_letter",
    "AGREEMENT_STEPS",
    "DISAGREEMENT_DATES",
    "TRANSFER_IN_DATES",
    "DraftChanged",
    "accept_suggestion",
    "add_need",
    "add_outcome",
    "add_provision",
    "cease_plan",
    "circulate_review_advice",
    "decide_after_review",
    "decide_not_to_amend",
    "draft_for_case",
    "issue_amendment",
    "issue_final_plan",
    "next_review_due",
    "record_disagreement",
    "record_mediation_agreement",
    "record_order_complied",
    "record_phase_transfer",
    "record_post16_move",
    "record_recommendation",
    "record_recommendation_answer",
    "record_review_advice",
    "record_review_meeting",
    "send_review_invitations",
    "send_review_report",
    "record_transfer_in",
    "record_tribunal_order",
    "refresh_advice",
    "reject_suggestion",
    "remove_item",
    "send_proposed_amendments",
    "set_need_types",
    "set_personal_budget",
    "set_placement",
    "set_section_a",
    "six_monthly_under_5",
    "start_amendment",
    "update_disagreement",
]

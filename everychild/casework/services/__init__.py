"""Every step of an EHC needs assessment, from request to final plan, as a service.

Each service takes keyword-only arguments, checks that the actor may take the step and that
the step is allowed now (no final plan before a decision to assess, no second decision, no
date before the request, none in the future), and refuses with a ValidationError naming the
field and saying what to fix, or PermissionDenied. It writes inside one transaction: the
change, one CaseEvent (the chronology) and one audit entry, so a refusal writes nothing.

Optimistic locking: a step that changes a case takes the `version` the caller read (the form
carries it). The case row is locked (SELECT ... FOR UPDATE) and, if its version moved on since,
`CaseChanged` is raised and nothing is written; otherwise the version goes up by one. Pass
`version=None` only from code that holds no stale copy (e.g. a script building a case step by
step). Notes and uploads only add, so they take no version.
"""

from everychild.casework.services.advice import (
    cancel_advice_request,
    record_advice_provided,
    request_advice,
    request_advice_from_several,
)
from everychild.casework.services.decision import (
    decide_not_to_issue,
    decide_to_issue,
    decide_whether_to_assess,
)
from everychild.casework.services.draft import (
    record_consultation_answer,
    record_family_agreement,
    record_final_plan_issued,
    send_consultation,
    serve_draft_plan,
)
from everychild.casework.services.exceptions import (
    end_exception,
    record_coronavirus_reason,
    record_exception,
)
from everychild.casework.services.panel import change_decision_owners, hold_panel_meeting
from everychild.casework.services.records import (
    add_note,
    generate_letter,
    record_letter_sent,
    upload_document,
)
from everychild.casework.services.request import (
    REQUEST_FIELDS,
    allocate,
    reallocate_cases,
    record_public_request,
    record_request,
    request_reassessment,
    update_request,
    withdraw,
)
from everychild.casework.services.school import record_school_request
from everychild.casework.services.steps import (
    ABSENCE_MIN_DAYS,
    ABSENCE_REGULATIONS,
    ADVICE_ORGANISATION_KINDS,
    ADVICE_REGULATIONS,
    MAX_NOTE_LENGTH,
    CaseChanged,
)

__all__ = [
    "ABSENCE_MIN_DAYS",
    "ABSENCE_REGULATIONS",
    "ADVICE_ORGANISATION_KINDS",
    "ADVICE_REGULATIONS",
    "CaseChanged",
    "MAX_NOTE_LENGTH",
    "REQUEST_FIELDS",
    "add_note",
    "allocate",
    "cancel_advice_request",
    "change_decision_owners",
    "decide_not_to_issue",
    "decide_to_issue",
    "hold_panel_meeting",
    "decide_whether_to_assess",
    "end_exception",
    "generate_letter",
    "record_advice_provided",
    "record_consultation_answer",
    "record_coronavirus_reason",
    "record_exception",
    "record_family_agreement",
    "record_final_plan_issued",
    "record_letter_sent",
    "record_public_request",
    "record_school_request",
    "record_request",
    "reallocate_cases",
    "request_advice",
    "request_advice_from_several",
    "request_reassessment",
    "send_consultation",
    "serve_draft_plan",
    "update_request",
    "upload_document",
    "withdraw",
]

"""The panel's decisions: whether to assess (reg 4-5) and, after assessing, not to issue a
plan (reg 10)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.casework import chronology
from everychild.casework.models import (
    AssessmentRequest,
    Decision,
    EventKind,
    Stage,
)
from everychild.casework.services.steps import (
    _bump,
    _engine_check,
    _locked,
    _may_decide,
    _record,
    _require_open,
)
from everychild.core.wording import date as _check_date
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text

# --- The decision whether to assess (reg 4-5) -------------------------------------------------


def decide_whether_to_assess(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    decision: str,
    decided_on: dt.date,
    reasons: str,
    request=None,
) -> AssessmentRequest:
    """The panel's decision, with its reasons. Made once; due within 6 weeks (reg 4(1))."""
    _may_decide(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        if case.decision:
            _refuse(
                "decision",
                f"The decision whether to assess was already made on {_long(case.decision_on)}: "
                "it cannot be made twice.",
                "already_decided",
            )
        _require_open(case)
        if decision not in Decision.values:
            _refuse("decision", "Choose whether to assess.", "unknown_code")
        decided_on = _check_date(
            "decided_on",
            decided_on,
            "the date of the decision",
            not_before=((case.received_on, "the date the request was received"),),
        )
        reasons = _text("reasons", reasons, "the reasons for the decision")
        case.decision = decision
        case.decision_on = decided_on
        case.decision_reasons = reasons
        case.decided_by = actor
        case.stage = Stage.ASSESSING if decision == Decision.ASSESS else Stage.NOT_ASSESSING
        _engine_check(case, "decided_on")
        _bump(case, "decision", "decision_on", "decision_reasons", "decided_by", "stage")
        kind, words = chronology.decided(decision)
        _record(
            case,
            kind,
            decided_on,
            actor=actor,
            summary=words,
            data={"decision": decision},
            request=request,
        )
    return case


def decide_not_to_issue(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    decided_on: dt.date,
    reasons: str,
    request=None,
) -> AssessmentRequest:
    """The panel decides, after assessing, not to issue a plan (notice within 16 weeks,
    reg 10(1)); the family may appeal."""
    _may_decide(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if case.decision != Decision.ASSESS:
            _refuse(
                "decided_on",
                "A decision not to issue a plan follows an assessment: decide whether to "
                "assess first.",
                "not_assessing",
            )
        case.decision_not_to_issue_on = _check_date(
            "decided_on",
            decided_on,
            "the date of the decision",
            not_before=(
                (case.decision_on, "the decision to assess"),
                (case.draft_plan_served_on, "the date the draft was served"),
            ),
        )
        case.not_to_issue_reasons = _text("reasons", reasons, "the reasons for the decision")
        case.stage = Stage.NOT_ISSUING
        _engine_check(case, "decided_on")
        _bump(case, "decision_not_to_issue_on", "not_to_issue_reasons", "stage")
        _record(
            case,
            EventKind.DECISION_NOT_TO_ISSUE,
            case.decision_not_to_issue_on,
            actor=actor,
            summary=chronology.NOT_TO_ISSUE,
            request=request,
        )
    return case

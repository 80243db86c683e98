"""The case's decisions: whether to assess (reg 4-5) and, after assessing, whether to issue a
plan (s.40(2), reg 10, reg 13(2)). Each is recorded by the role the area's settings name
(decision 0192), with reasons, and may point to the panel meeting it was made at."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.casework import chronology, policy
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
    _meeting_of,
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
    meeting=None,
    request=None,
) -> AssessmentRequest:
    """The decision, with its reasons. Made once; due within 6 weeks (reg 4(1))."""
    _may_decide(actor, case, policy.ASSESS)
    meeting = _meeting_of(meeting, case)
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
        case.decision_meeting = meeting
        case.stage = Stage.ASSESSING if decision == Decision.ASSESS else Stage.NOT_ASSESSING
        _engine_check(case, "decided_on")
        _bump(
            case,
            "decision",
            "decision_on",
            "decision_reasons",
            "decided_by",
            "decision_meeting",
            "stage",
        )
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
    meeting=None,
    request=None,
) -> AssessmentRequest:
    """The decision, after assessing, not to issue a plan (notice within 16 weeks,
    reg 10(1)); the family may appeal."""
    _may_decide(actor, case, policy.ISSUE)
    meeting = _meeting_of(meeting, case)
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
        if case.decision_to_issue_on is not None:
            _refuse(
                "decided_on",
                f"A decision to issue a plan was already recorded on "
                f"{_long(case.decision_to_issue_on)}: it cannot also be decided not to issue.",
                "already_decided",
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
        case.not_to_issue_by = actor
        case.not_to_issue_meeting = meeting
        case.stage = Stage.NOT_ISSUING
        _engine_check(case, "decided_on")
        _bump(
            case,
            "decision_not_to_issue_on",
            "not_to_issue_reasons",
            "not_to_issue_by",
            "not_to_issue_meeting",
            "stage",
        )
        _record(
            case,
            EventKind.DECISION_NOT_TO_ISSUE,
            case.decision_not_to_issue_on,
            actor=actor,
            summary=chronology.NOT_TO_ISSUE,
            request=request,
        )
    return case


def decide_to_issue(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    decided_on: dt.date,
    reasons: str,
    meeting=None,
    request=None,
) -> AssessmentRequest:
    """The decision, once the assessment is complete, that a plan is necessary and will be
    issued (CFA 2014 s.40(2)): who, when, why. Made once; the final plan cannot be issued
    without it (decision 0192)."""
    _may_decide(actor, case, policy.ISSUE)
    meeting = _meeting_of(meeting, case)
    with transaction.atomic():
        case = _locked(case, version)
        if case.decision_to_issue_on is not None:
            _refuse(
                "decided_on",
                f"The decision to issue a plan was already made on "
                f"{_long(case.decision_to_issue_on)}: it cannot be made twice.",
                "already_decided",
            )
        _require_open(case)
        if case.decision != Decision.ASSESS:
            _refuse(
                "decided_on",
                "A decision to issue a plan follows an assessment: decide whether to assess first.",
                "not_assessing",
            )
        awaited = [
            a
            for a in case.advice_requests.select_related("organisation")
            if a.provided_on is None and a.cancelled_on is None
        ]
        if awaited:
            names = "; ".join(f"{a.get_kind_display()} from {a.organisation.name}" for a in awaited)
            _refuse(
                "decided_on",
                f"The assessment is not complete: advice is still awaited ({names}). Record "
                "it as received, or cancel the request, before deciding to issue.",
                "advice_awaited",
            )
        case.decision_to_issue_on = _check_date(
            "decided_on",
            decided_on,
            "the date of the decision",
            not_before=((case.decision_on, "the decision to assess"),),
        )
        case.decision_to_issue_reasons = _text("reasons", reasons, "the reasons for the decision")
        case.decision_to_issue_by = actor
        case.decision_to_issue_meeting = meeting
        _bump(
            case,
            "decision_to_issue_on",
            "decision_to_issue_reasons",
            "decision_to_issue_by",
            "decision_to_issue_meeting",
        )
        _record(
            case,
            EventKind.DECISION_TO_ISSUE,
            case.decision_to_issue_on,
            actor=actor,
            summary=chronology.DECIDED_TO_ISSUE,
            request=request,
        )
    return case

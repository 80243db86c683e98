"""The draft plan, the family's 15 days, consultation with settings, and the final plan
(reg 11-14)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.access.models import AuditAction
from everychild.accounts.models import (
    Organisation,
)
from everychild.casework import chronology, clock, policy
from everychild.casework.models import (
    AssessmentRequest,
    Consultation,
    Decision,
    EventKind,
    Stage,
)
from everychild.casework.services.steps import (
    _bump,
    _engine_check,
    _locked,
    _may_decide,
    _may_edit,
    _record,
    _require_open,
)
from everychild.core.wording import date as _check_date
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse

# --- The draft plan, consultations and the final plan (reg 13) -------------------------------


def serve_draft_plan(
    *, actor, case: AssessmentRequest, version: int | None, served_on: dt.date, request=None
) -> AssessmentRequest:
    """Send the draft plan to the family: their 15 days to comment begin (reg 13(1))."""
    _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if case.decision != Decision.ASSESS:
            _refuse(
                "served_on",
                "A draft plan can be served only after the decision to assess.",
                "not_assessing",
            )
        if case.draft_plan_served_on is not None:
            _refuse(
                "served_on",
                f"The draft plan was already served on {_long(case.draft_plan_served_on)}.",
                "already_served",
            )
        advice = list(case.advice_requests.select_related("organisation"))
        awaited = [a for a in advice if a.provided_on is None and a.cancelled_on is None]
        if awaited:
            names = "; ".join(f"{a.get_kind_display()} from {a.organisation.name}" for a in awaited)
            _refuse(
                "served_on",
                f"Advice is still awaited ({names}): record it as received, or cancel the "
                "request, before serving the draft.",
                "advice_awaited",
            )
        latest_advice = max((a.provided_on for a in advice if a.provided_on), default=None)
        case.draft_plan_served_on = _check_date(
            "served_on",
            served_on,
            "the date the draft was served",
            not_before=(
                (case.decision_on, "the decision to assess"),
                (latest_advice, "the last advice received"),
            ),
        )
        case.stage = Stage.DRAFT_PLAN
        _engine_check(case, "served_on")
        _bump(case, "draft_plan_served_on", "stage")
        closes = clock.comments_close(case.draft_plan_served_on)
        _record(
            case,
            EventKind.DRAFT_PLAN_SERVED,
            case.draft_plan_served_on,
            actor=actor,
            summary=chronology.DRAFT_SERVED,
            data={"comments_close": closes.isoformat()},
            request=request,
        )
    return case


def record_family_agreement(
    *, actor, case: AssessmentRequest, version: int | None, agreed_on: dt.date, request=None
) -> AssessmentRequest:
    """The family agreed the final plan may be issued before their 15 days are up."""
    _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if case.draft_plan_served_on is None:
            _refuse("agreed_on", "Serve the draft plan first.", "no_draft")
        if case.family_agreed_early_issue_on is not None:
            _refuse(
                "agreed_on",
                f"The family's agreement was already recorded on "
                f"{_long(case.family_agreed_early_issue_on)}.",
                "already_recorded",
            )
        case.family_agreed_early_issue_on = _check_date(
            "agreed_on",
            agreed_on,
            "the date the family agreed",
            not_before=((case.draft_plan_served_on, "the date the draft was served"),),
        )
        _bump(case, "family_agreed_early_issue_on")
        _record(
            case,
            EventKind.FAMILY_AGREED_EARLY_ISSUE,
            case.family_agreed_early_issue_on,
            actor=actor,
            summary=chronology.FAMILY_AGREED,
            request=request,
        )
    return case


def send_consultation(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    setting: Organisation,
    sent_on: dt.date,
    request=None,
) -> Consultation:
    """Consult a school, college or setting about being named in the plan (15 days)."""
    _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if case.draft_plan_served_on is None:
            _refuse(
                "setting",
                "Settings are consulted once the draft plan has been served.",
                "no_draft",
            )
        if setting is None:
            _refuse("setting", "Choose the school, college or setting to consult.", "required")
        if not setting.is_setting or not setting.is_active:
            _refuse("setting", "Choose a school, college or early years setting.", "not_a_setting")
        sent = _check_date(
            "sent_on",
            sent_on,
            "the date the consultation was sent",
            not_before=((case.draft_plan_served_on, "the date the draft was served"),),
        )
        if case.consultations.filter(setting=setting, answered_on__isnull=True).exists():
            _refuse(
                "setting",
                f"{setting.name} has already been consulted and has not answered yet.",
                "duplicate",
            )
        item = Consultation.objects.create(assessment_request=case, setting=setting, sent_on=sent)
        _engine_check(case, "sent_on")
        _bump(case)
        _record(
            case,
            EventKind.CONSULTATION_SENT,
            sent,
            actor=actor,
            summary=chronology.consultation_sent(setting.name),
            data={"setting": setting.name, "consultation": item.pk},
            record=item,
            request=request,
            action=AuditAction.CREATE,
        )
    return item


def record_consultation_answer(
    *,
    actor,
    consultation: Consultation,
    version: int | None,
    answered_on: dt.date,
    outcome: str,
    request=None,
) -> Consultation:
    _may_edit(actor, consultation.assessment_request)
    with transaction.atomic():
        case = _locked(consultation.assessment_request, version)
        _require_open(case)
        item = (
            Consultation.objects.select_for_update()
            .select_related("setting")
            .get(pk=consultation.pk, assessment_request=case)
        )
        if item.answered_on is not None:
            _refuse(
                "answered_on",
                f"{item.setting.name} already answered on {_long(item.answered_on)}.",
                "already_answered",
            )
        if outcome not in Consultation.Outcome.values:
            _refuse("outcome", "Choose the setting's answer.", "unknown_code")
        item.answered_on = _check_date(
            "answered_on",
            answered_on,
            "the date the setting answered",
            not_before=((item.sent_on, "the date the consultation was sent"),),
        )
        item.outcome = outcome
        item.save(update_fields=["answered_on", "outcome"])
        _bump(case)
        _record(
            case,
            EventKind.CONSULTATION_ANSWERED,
            item.answered_on,
            actor=actor,
            summary=chronology.consultation_answered(item.setting.name, item.get_outcome_display()),
            data={"setting": item.setting.name, "outcome": outcome, "consultation": item.pk},
            record=item,
            request=request,
        )
    return item


def record_final_plan_issued(
    *, actor, case: AssessmentRequest, version: int | None, issued_on: dt.date, request=None
) -> AssessmentRequest:
    """The case's half of issuing the final EHC plan (20 weeks, reg 13(2)): allowed once the
    family's 15 days on the draft have run, or earlier if they agreed. Records the stage, the
    chronology and the audit entry. Called only by the plans app's `issue_final_plan`, inside
    its transaction, which then makes the plan: a refusal by either half writes nothing.
    Taken by the role the area names, and only once a decision to issue is recorded
    (decision 0192)."""
    _may_decide(actor, case, policy.FINAL_PLAN)
    with transaction.atomic():
        case = _locked(case, version)
        if case.final_plan_issued_on is not None:
            _refuse(
                "issued_on",
                f"The final plan was already issued on {_long(case.final_plan_issued_on)}.",
                "already_issued",
            )
        _require_open(case)
        if case.decision != Decision.ASSESS:
            _refuse(
                "issued_on",
                "No final plan can be issued before a decision to assess.",
                "not_assessing",
            )
        if case.decision_to_issue_on is None:
            _refuse(
                "issued_on",
                "No decision to issue a plan has been recorded: the final plan can be issued "
                "only once that decision is made.",
                "no_decision_to_issue",
            )
        if case.draft_plan_served_on is None:
            _refuse(
                "issued_on",
                "Serve the draft plan first: the family has 15 days to comment on it.",
                "no_draft",
            )
        issued = _check_date(
            "issued_on",
            issued_on,
            "the date the final plan was issued",
            not_before=(
                (case.draft_plan_served_on, "the date the draft was served"),
                (case.decision_to_issue_on, "the decision to issue"),
            ),
        )
        closes = clock.comments_close(case.draft_plan_served_on)
        agreed = case.family_agreed_early_issue_on
        if issued <= closes and (agreed is None or agreed > issued):
            _refuse(
                "issued_on",
                f"The family's 15 days to comment on the draft run until {_long(closes)}: the "
                f"final plan can be issued from {_long(closes + dt.timedelta(days=1))}, or "
                "earlier only if the family agrees (record their agreement first).",
                "comment_window_open",
            )
        case.final_plan_issued_on = issued
        case.stage = Stage.PLAN_ISSUED
        _engine_check(case, "issued_on")
        _bump(case, "final_plan_issued_on", "stage")
        _record(
            case,
            EventKind.FINAL_PLAN_ISSUED,
            issued,
            actor=actor,
            summary=chronology.FINAL_ISSUED,
            request=request,
        )
    return case

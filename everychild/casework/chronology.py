"""A case's chronology: the wording of every CaseEvent, written once.

The casework services write one event per step through `event()`; `build_chronology()` gives
the same events, in the same words, for a case whose facts were written in bulk (the
demonstration seed), so a seeded case reads exactly as if a caseworker had recorded it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from everychild.casework.models import (
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseEvent,
    CaseException,
    Consultation,
    Decision,
    EventKind,
    Letter,
    RequestSource,
)


def event(
    case: AssessmentRequest,
    kind: EventKind,
    happened_on: dt.date,
    *,
    actor=None,
    summary: str = "",
    data: dict | None = None,
) -> CaseEvent:
    """An unsaved chronology entry for `case`."""
    return CaseEvent(
        assessment_request_id=case.pk,
        kind=str(kind),
        happened_on=happened_on,
        actor_id=getattr(actor, "pk", actor),
        summary=(summary or EventKind(kind).label)[:300],
        data=data or {},
    )


# --- The words of each step -----------------------------------------------------------------


def request_received(case: AssessmentRequest) -> str:
    if case.reassessment_of_id is not None:
        return "Request for a re-assessment received"
    if case.transferred_in:
        where = f" from {case.transferred_from}" if case.transferred_from else ""
        return f"Transferred in{where}: the clock runs from the date of transfer"
    source = RequestSource(case.source).label.lower()
    return f"Request for an assessment received ({source})"


def request_kind(case: AssessmentRequest) -> EventKind:
    if case.reassessment_of_id is not None:
        return EventKind.REASSESSMENT_REQUESTED
    if case.transferred_in:
        return EventKind.TRANSFERRED_IN
    return EventKind.REQUEST_RECEIVED


def allocated(caseworker) -> str:
    return f"Allocated to {caseworker.full_name}" if caseworker else "Allocation removed"


def decided(decision: str) -> tuple[EventKind, str]:
    if decision == Decision.ASSESS:
        return EventKind.DECISION_TO_ASSESS, "Decided to assess"
    return EventKind.DECISION_NOT_TO_ASSESS, "Decided not to assess"


def advice_requested(kind: str, organisation_name: str) -> str:
    return f"{AdviceKind(kind).label} asked of {organisation_name}"


def advice_provided(kind: str, organisation_name: str) -> str:
    return f"{AdviceKind(kind).label} received from {organisation_name}"


def advice_cancelled(kind: str, organisation_name: str) -> str:
    return f"{AdviceKind(kind).label} no longer needed from {organisation_name}"


def advice_data(kind: str, organisation_name: str, advice_id: int | None = None) -> dict:
    data = {"advice_kind": kind, "organisation": organisation_name}
    if advice_id is not None:
        data["advice_request"] = advice_id
    return data


def exception_recorded(regulation: str) -> str:
    return f"Exception recorded: {CaseException.Regulation(regulation).label}"


EXCEPTION_ENDED = "The exceptional circumstances ended"


def coronavirus_reason(no_reason: bool) -> str:
    if no_reason:
        return "Recorded that no reason relating to coronavirus delayed the 2020 limits"
    return "Recorded that a reason relating to coronavirus may have delayed the 2020 limits"


DRAFT_SERVED = "Draft EHC plan sent to the family (at least 15 days to comment)"
FAMILY_AGREED = "The family agreed the final plan may be issued before their 15 days are up"
DECIDED_TO_ISSUE = "Decided to issue an EHC plan"
FINAL_ISSUED = "Final EHC plan issued"
NOT_TO_ISSUE = "Decided not to issue an EHC plan"
WITHDRAWN = "Request withdrawn"


def consultation_sent(setting_name: str) -> str:
    return f"{setting_name} consulted about being named in the plan"


def consultation_answered(setting_name: str, outcome_label: str) -> str:
    answer = f": {outcome_label[0].lower()}{outcome_label[1:]}" if outcome_label else ""
    return f"{setting_name} answered the consultation{answer}"


def letter_created(letter_kind: str) -> str:
    return f"Letter created: {Letter.Kind(letter_kind).label.lower()}"


def letter_sent(letter_kind: str) -> str:
    return f"Letter sent: {Letter.Kind(letter_kind).label.lower()}"


# --- A whole chronology from stored facts (for bulk-written cases) --------------------------


def build_chronology(
    case: AssessmentRequest,
    *,
    advice: Iterable[AdviceRequest] = (),
    exceptions: Iterable[CaseException] = (),
    consultations: Iterable[Consultation] = (),
    today: dt.date,
    allocated_on: dt.date | None = None,
    allocated_by=None,
    decided_by=None,
    advice_actor_by_id: dict | None = None,
) -> list[CaseEvent]:
    """The events a caseworker would have recorded for `case`, in the order they happened,
    up to `today`, worded exactly as the services word them. Unsaved (the caller bulk-inserts
    them); `case` must have its primary key. Advice items need their `organisation`;
    `advice_actor_by_id` may name who recorded each answer (default: the case's caseworker).
    """
    worker = case.caseworker_id
    decider = decided_by if decided_by is not None else case.decided_by_id
    advice_actor_by_id = advice_actor_by_id or {}
    rows: list[tuple[dt.date, int, CaseEvent]] = []

    def add(day, kind, *, actor=None, summary="", data=None):
        if day is not None and day <= today:
            rows.append(
                (day, len(rows), event(case, kind, day, actor=actor, summary=summary, data=data))
            )

    add(case.received_on, request_kind(case), summary=request_received(case))
    if case.caseworker_id is not None:
        when = allocated_on or min(case.received_on + dt.timedelta(days=2), today)
        if case.decision_on is not None:
            when = min(when, case.decision_on)
        add(
            max(when, case.received_on),
            EventKind.CASEWORKER_ALLOCATED,
            actor=allocated_by,
            summary=allocated(case.caseworker),
        )
    if case.decision and case.decision_on is not None:
        kind, words = decided(case.decision)
        add(case.decision_on, kind, actor=decider, summary=words, data={"decision": case.decision})
    for item in advice:
        name = item.organisation.name
        data = advice_data(item.kind, name, item.pk)
        add(
            item.received_by_body_on,
            EventKind.ADVICE_REQUESTED,
            actor=worker,
            summary=advice_requested(item.kind, name),
            data=data,
        )
        add(
            item.provided_on,
            EventKind.ADVICE_PROVIDED,
            actor=advice_actor_by_id.get(item.pk, item.assigned_to_id or worker),
            summary=advice_provided(item.kind, name),
            data=data,
        )
        add(
            item.cancelled_on,
            EventKind.ADVICE_CANCELLED,
            actor=worker,
            summary=advice_cancelled(item.kind, name),
            data=data,
        )
    for item in exceptions:
        data = {"regulation": item.regulation}
        add(
            item.starts_on,
            EventKind.EXCEPTION_RECORDED,
            actor=item.recorded_by_id or worker,
            summary=exception_recorded(item.regulation),
            data=data,
        )
        add(
            item.ends_on,
            EventKind.EXCEPTION_ENDED,
            actor=worker,
            summary=EXCEPTION_ENDED,
            data=data,
        )
    add(
        case.decision_to_issue_on,
        EventKind.DECISION_TO_ISSUE,
        actor=case.decision_to_issue_by_id or decider,
        summary=DECIDED_TO_ISSUE,
    )
    add(case.draft_plan_served_on, EventKind.DRAFT_PLAN_SERVED, actor=worker, summary=DRAFT_SERVED)
    add(
        case.family_agreed_early_issue_on,
        EventKind.FAMILY_AGREED_EARLY_ISSUE,
        actor=worker,
        summary=FAMILY_AGREED,
    )
    for item in consultations:
        name = item.setting.name
        add(
            item.sent_on,
            EventKind.CONSULTATION_SENT,
            actor=worker,
            summary=consultation_sent(name),
            data={"setting": name},
        )
        add(
            item.answered_on,
            EventKind.CONSULTATION_ANSWERED,
            actor=worker,
            summary=consultation_answered(name, item.get_outcome_display()),
            data={"setting": name, "outcome": item.outcome},
        )
    add(case.final_plan_issued_on, EventKind.FINAL_PLAN_ISSUED, actor=worker, summary=FINAL_ISSUED)
    add(
        case.decision_not_to_issue_on,
        EventKind.DECISION_NOT_TO_ISSUE,
        actor=decider,
        summary=NOT_TO_ISSUE,
    )
    add(case.withdrawn_on, EventKind.REQUEST_WITHDRAWN, actor=worker, summary=WITHDRAWN)
    rows.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in rows]

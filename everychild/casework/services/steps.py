"""What every step of a case shares: the refusal and date checks, who may take a step,
optimistic locking (CaseChanged), the chronology and audit entry, and the engine's own check."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.accounts.models import SETTING_KINDS, OrganisationKind
from everychild.casework import chronology, clock, policy
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseEvent,
)
from everychild.core.dates import today
from everychild.core.wording import refuse as _refuse
from everychild.statutory import FactsError, parse_facts

logger = logging.getLogger(__name__)

MAX_NOTE_LENGTH = 5000
# Which organisations may be asked for each kind of advice (reg 6(1)).
ADVICE_ORGANISATION_KINDS = {
    AdviceKind.EDUCATIONAL_PSYCHOLOGY: {OrganisationKind.EDUCATIONAL_PSYCHOLOGY},
    AdviceKind.HEALTH: {OrganisationKind.NHS_ICB, OrganisationKind.NHS_PROVIDER},
    AdviceKind.SOCIAL_CARE: {OrganisationKind.SOCIAL_CARE},
    AdviceKind.EDUCATION: set(SETTING_KINDS),
    AdviceKind.OTHER: {
        OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
        OrganisationKind.NHS_ICB,
        OrganisationKind.NHS_PROVIDER,
        OrganisationKind.SOCIAL_CARE,
        *SETTING_KINDS,
    },
}
ADVICE_REGULATIONS = {"8(2)(a)", "8(2)(b)", "8(2)(c)"}
ABSENCE_REGULATIONS = {"5(4)(c)", "10(4)(d)", "8(2)(b)"}
ABSENCE_MIN_DAYS = 28


class CaseChanged(Exception):
    """The case changed since the caller read it (another person saved first)."""

    code = "case_changed"

    def __init__(self, case: AssessmentRequest, expected: int | None):
        self.case = case
        self.current_version = case.version
        self.expected_version = expected
        super().__init__(
            "This case changed since you opened it: someone else saved a change first. "
            "Nothing you entered has been saved. Check the case as it is now, then save "
            "again."
        )


# --- Small helpers ----------------------------------------------------------------------------


# The refusals of casework/policy.py's rules, in the words each step's caller shows.


def _may_edit(actor, case: AssessmentRequest) -> None:
    if not policy.may_edit_case(actor, case):
        raise PermissionDenied("You cannot change this case.")


def _may_act_on_advice(actor, advice: AdviceRequest) -> None:
    if not policy.may_act_on_advice(actor, advice):
        raise PermissionDenied("You cannot change this request for advice.")


def _may_decide(actor, case: AssessmentRequest, which: str) -> None:
    """Only the role the area's settings name for this decision (decision 0192)."""
    if not policy.may_take_decision(actor, case, which):
        raise PermissionDenied(policy.decision_owner_refusal(case, which))


def _meeting_of(meeting, case: AssessmentRequest):
    """The panel meeting a decision was recorded at: one of the case's own area, or none."""
    if meeting is None:
        return None
    if meeting.area_id != case.area_id:
        raise PermissionDenied("That panel meeting is another area's.")
    return meeting


def _may_manage(actor, area_id: int) -> None:
    if not policy.may_manage_cases(actor, area_id):
        raise PermissionDenied("Only the area's team managers can allocate cases.")


def _locked(case: AssessmentRequest, version: int | None) -> AssessmentRequest:
    """The case row, locked for this transaction; CaseChanged if it moved on."""
    current = (
        AssessmentRequest.objects.select_for_update()
        .select_related("area", "child")
        .get(pk=case.pk)
    )
    if version is not None and current.version != version:
        raise CaseChanged(current, version)
    return current


def _require_open(case: AssessmentRequest) -> None:
    if case.stage not in OPEN_STAGES:
        _refuse(
            "__all__",
            f"This case is closed ({case.get_stage_display().lower()}): it cannot be changed.",
            "closed",
        )


def _bump(case: AssessmentRequest, *fields: str) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def _record(
    case: AssessmentRequest,
    kind,
    happened_on: dt.date,
    *,
    actor,
    summary: str,
    data: dict | None = None,
    record=None,
    request=None,
    action: str = AuditAction.UPDATE,
) -> CaseEvent:
    """The step's chronology entry and audit entry (which says what, never the content)."""
    entry = chronology.event(case, kind, happened_on, actor=actor, summary=summary, data=data or {})
    entry.save()
    audit.record(
        action=action,
        actor=actor,
        child=case.child_id,
        record=record if record is not None else case,
        request=request,
        detail={"step": str(kind), "case": case.pk},
    )
    return entry


def _engine_check(case: AssessmentRequest, field: str) -> None:
    """The statutory engine's own check of the case's facts after the change: a second
    lock behind the checks above, so no impossible combination of dates is ever stored."""
    try:
        facts = clock.facts_dict(
            case,
            advice=case.advice_requests.select_related("organisation"),
            exceptions=case.exceptions.all(),
            consultations=case.consultations.all(),
            letters=case.letters.all(),
            today=today(),
        )
        parse_facts(facts)
    except FactsError as error:
        _refuse(field, f"These dates are not possible together: {error}.", "impossible_dates")


def _next_reference(area, year: int) -> str:
    prefix = f"{area.old_la_code}/{year}/"
    last = (
        AssessmentRequest.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:05d}"

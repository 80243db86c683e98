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

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Action, la_area_ids, may
from everychild.accounts.models import (
    SETTING_KINDS,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from everychild.casework import chronology, clock, letters, uploads
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseDocument,
    CaseEvent,
    CaseException,
    CaseNote,
    Consultation,
    Decision,
    EventKind,
    Letter,
    RequestSource,
    Stage,
)
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.statutory import FactsError, parse_facts

logger = logging.getLogger(__name__)

SEND_REGULATIONS_IN_FORCE = dt.date(2014, 9, 1)
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
CASEWORK_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}


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


def today() -> dt.date:
    return timezone.localdate()


def _check_date(
    field: str,
    day,
    what: str,
    *,
    not_before: tuple = (),
    future_allowed: bool = False,
) -> dt.date:
    """Refuse a missing, impossible or out-of-order date with a message saying what to fix.
    `not_before` is a sequence of (date or None, "what that date is")."""
    if day is None:
        _refuse(field, f"Enter {what}.", "required")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        _refuse(field, f"Enter {what} as a real date, like 27/3/2025.", "invalid_date")
    if not future_allowed and day > today():
        _refuse(
            field,
            f"{what[0].upper()}{what[1:]} cannot be in the future: record what has happened.",
            "future",
        )
    if day < SEND_REGULATIONS_IN_FORCE:
        _refuse(
            field,
            f"{what[0].upper()}{what[1:]} cannot be before 1 September 2014, when the SEND "
            "Regulations 2014 came into force.",
            "before_2014",
        )
    for earlier, label in not_before:
        if earlier is not None and day < earlier:
            _refuse(
                field,
                f"{what[0].upper()}{what[1:]} must be on or after {label} ({_long(earlier)}).",
                "out_of_order",
            )
    return day


def _text(field: str, value, what: str, *, required: bool = True, max_length: int = 5000) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        _refuse(field, f"Enter {what} as text.")
    if required and not text:
        _refuse(field, f"Enter {what}.", "required")
    if len(text) > max_length:
        _refuse(field, f"{what[0].upper()}{what[1:]} must be {max_length} characters or fewer.")
    return text


def _may_edit(actor, case: AssessmentRequest) -> None:
    if not may(actor, Action.EDIT_CASE, case):
        raise PermissionDenied("You cannot change this case.")


def _may_act_on_advice(actor, advice: AdviceRequest) -> None:
    """The LA's casework staff, or the staff of the agency asked, while the advice is awaited
    (the agency portal records its own advice as given, and its own missed appointments)."""
    if may(actor, Action.EDIT_CASE, advice.assessment_request):
        return
    if not may(actor, Action.GIVE_ADVICE, advice):
        raise PermissionDenied("You cannot change this request for advice.")


def _may_decide(actor, case: AssessmentRequest) -> None:
    if case.area_id not in la_area_ids(actor, {Role.DECISION_MAKER}):
        raise PermissionDenied("Only the area's decision-makers (the panel) can make decisions.")


def _may_manage(actor, area_id: int) -> None:
    if area_id not in la_area_ids(actor, {Role.TEAM_MANAGER}):
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


def _is_casework_staff(user, area_id: int) -> bool:
    return Membership.objects.filter(
        user=user,
        user__is_active=True,
        is_active=True,
        role__in=CASEWORK_ROLES,
        organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
        organisation__area_id=area_id,
    ).exists()


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


# --- The request --------------------------------------------------------------------------


def record_request(
    *,
    actor,
    area,
    child,
    source: str,
    received_on: dt.date,
    requested_by: str = "",
    reason: str = "",
    transferred_in: bool = False,
    transferred_from: str = "",
    caseworker=None,
    reassessment_of: AssessmentRequest | None = None,
    reference: str | None = None,
    request=None,
) -> AssessmentRequest:
    """A request for an EHC needs assessment (day 0 of the 20-week clock is the day it was
    received, reg 4), or a case transferred in from another local authority (the clock runs
    from the date of transfer). The reference is the next `<LA number>/<year>/<number>`
    unless one is given (an import or the demonstration seed keeping its own numbering)."""
    if area.pk not in la_area_ids(actor, CASEWORK_ROLES):
        raise PermissionDenied("Only the area's caseworkers and managers can record a request.")
    return _new_request(
        actor=actor,
        area=area,
        child=child,
        source=source,
        received_on=received_on,
        requested_by=requested_by,
        reason=reason,
        transferred_in=transferred_in,
        transferred_from=transferred_from,
        caseworker=caseworker,
        reassessment_of=reassessment_of,
        reference=reference,
        request=request,
    )


def record_public_request(
    *, area, child, received_on: dt.date, requested_by: str, reason: str, request=None
) -> AssessmentRequest:
    """A request made online by a parent or young person with no account (the family portal's
    public form, everychild.families): the family's right to ask (CFA 2014 s.36(1)), so no
    signed-in actor; the request joins the area's queue with source "child, young person or
    parent", and the same checks, reference, chronology and audit as any other request."""
    return _new_request(
        actor=None,
        area=area,
        child=child,
        source=RequestSource.FAMILY,
        received_on=received_on,
        requested_by=requested_by,
        reason=reason,
        request=request,
    )


def _new_request(
    *,
    actor,
    area,
    child,
    source: str,
    received_on: dt.date,
    requested_by: str = "",
    reason: str = "",
    transferred_in: bool = False,
    transferred_from: str = "",
    caseworker=None,
    reassessment_of: AssessmentRequest | None = None,
    reference: str | None = None,
    request=None,
) -> AssessmentRequest:
    if child.area_id != area.pk:
        _refuse("child", "Choose a child or young person of this area.", "wrong_area")
    if source not in RequestSource.values:
        _refuse("source", "Choose who made the request.", "unknown_code")
    what = "the date of transfer" if transferred_in else "the date the request was received"
    not_before = [(child.date_of_birth, "the child's date of birth")]
    if reassessment_of is not None:
        not_before.append((reassessment_of.final_plan_issued_on, "the date the plan was issued"))
    received_on = _check_date("received_on", received_on, what, not_before=tuple(not_before))
    requested_by = _text("requested_by", requested_by, "who made the request", max_length=200)
    reason = _text("reason", reason, "why the request was made")
    transferred_from = _text(
        "transferred_from",
        transferred_from,
        "the local authority the case came from",
        required=bool(transferred_in),
        max_length=200,
    )
    if not transferred_in:
        transferred_from = ""
    if caseworker is not None:
        _may_manage(actor, area.pk)
        if not _is_casework_staff(caseworker, area.pk):
            _refuse("caseworker", "Choose a caseworker of this area.", "not_a_caseworker")
    with transaction.atomic():
        open_case = (
            AssessmentRequest.objects.select_for_update()
            .filter(child=child, stage__in=OPEN_STAGES)
            .first()
        )
        if open_case is not None:
            _refuse(
                "child",
                f"{child.full_name} already has an open request ({open_case.reference}): "
                "record this on that case instead.",
                "open_case_exists",
            )
        case = AssessmentRequest(
            area=area,
            child=child,
            source=source,
            requested_by=requested_by,
            reason=reason,
            received_on=received_on,
            transferred_in=bool(transferred_in),
            transferred_from=transferred_from,
            caseworker=caseworker,
            reassessment_of=reassessment_of,
            stage=Stage.AWAITING_DECISION,
        )
        if reference is not None:
            reference = _text("reference", reference, "the case reference", max_length=20)
            if AssessmentRequest.objects.filter(reference=reference).exists():
                _refuse("reference", f"The reference {reference} is already used.", "duplicate")
            case.reference = reference
            case.save()
        else:
            for _attempt in range(5):
                case.reference = _next_reference(area, received_on.year)
                try:
                    with transaction.atomic():
                        case.save()
                    break
                except IntegrityError:
                    continue  # another request took the number: take the next
            else:
                raise IntegrityError("Could not allocate a case reference.")
        _record(
            case,
            chronology.request_kind(case),
            received_on,
            actor=actor,
            summary=chronology.request_received(case),
            data={"source": source},
            request=request,
            action=AuditAction.CREATE,
        )
        if caseworker is not None:
            _record(
                case,
                EventKind.CASEWORKER_ALLOCATED,
                today(),
                actor=actor,
                summary=chronology.allocated(caseworker),
                data={"caseworker": caseworker.pk},
                request=request,
            )
    return case


REQUEST_FIELDS = ("source", "requested_by", "reason", "received_on", "transferred_from")


def update_request(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    request=None,
    **values,
) -> AssessmentRequest:
    """Correct the request's details (who, why, when received) while the case is open."""
    _may_edit(actor, case)
    unknown = set(values) - set(REQUEST_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if "source" in values and values["source"] not in RequestSource.values:
            _refuse("source", "Choose who made the request.", "unknown_code")
        if "received_on" in values:
            what = (
                "the date of transfer"
                if case.transferred_in
                else "the date the request was received"
            )
            received = _check_date(
                "received_on",
                values["received_on"],
                what,
                not_before=((case.child.date_of_birth, "the child's date of birth"),),
            )
            later = [
                (case.decision_on, "the decision"),
                *(
                    (a.received_by_body_on, f"the request for {a.get_kind_display().lower()}")
                    for a in case.advice_requests.all()
                ),
            ]
            for day, label in later:
                if day is not None and received > day:
                    _refuse(
                        "received_on",
                        f"The request cannot have been received after {label} ({_long(day)}).",
                        "out_of_order",
                    )
            values["received_on"] = received
        if "requested_by" in values:
            values["requested_by"] = _text(
                "requested_by", values["requested_by"], "who made the request", max_length=200
            )
        if "reason" in values:
            values["reason"] = _text("reason", values["reason"], "why the request was made")
        if "transferred_from" in values:
            values["transferred_from"] = _text(
                "transferred_from",
                values["transferred_from"],
                "the local authority the case came from",
                required=case.transferred_in,
                max_length=200,
            )
        changed = sorted(k for k, v in values.items() if getattr(case, k) != v)
        if not changed:
            return case
        for key in changed:
            setattr(case, key, values[key])
        _engine_check(case, "received_on")
        _bump(case, *changed)
        labels = ", ".join(AssessmentRequest._meta.get_field(k).verbose_name for k in changed)
        _record(
            case,
            EventKind.REQUEST_CHANGED,
            today(),
            actor=actor,
            summary=f"Request details changed: {labels}",
            data={"fields": changed},
            request=request,
        )
    return case


def allocate(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    caseworker,
    allocated_on: dt.date | None = None,
    request=None,
) -> AssessmentRequest:
    """Allocate (or reallocate) an open case to a caseworker of the area, today unless
    `allocated_on` says it was earlier (recording what already happened)."""
    _may_manage(actor, case.area_id)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if caseworker is None:
            _refuse("caseworker", "Choose a caseworker.", "required")
        if not _is_casework_staff(caseworker, case.area_id):
            _refuse("caseworker", "Choose a caseworker of this area.", "not_a_caseworker")
        if case.caseworker_id == caseworker.pk:
            _refuse(
                "caseworker",
                f"The case is already allocated to {caseworker.full_name}.",
                "unchanged",
            )
        on = today()
        if allocated_on is not None:
            on = _check_date(
                "allocated_on",
                allocated_on,
                "the date of allocation",
                not_before=((case.received_on, "the date the request was received"),),
            )
        before = case.caseworker_id
        case.caseworker = caseworker
        _bump(case, "caseworker")
        _record(
            case,
            EventKind.CASEWORKER_ALLOCATED,
            on,
            actor=actor,
            summary=chronology.allocated(caseworker)
            + (" (reallocated)" if before is not None else ""),
            data={"caseworker": caseworker.pk, "previous": before},
            request=request,
        )
    return case


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


# --- Advice (reg 6-8) ----------------------------------------------------------------------


def request_advice(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    kind: str,
    organisation: Organisation,
    received_by_body_on: dt.date,
    request=None,
) -> AdviceRequest:
    """Ask an agency or setting for advice; its 6 weeks run from the day it received the
    request (reg 8(1))."""
    _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if case.decision != Decision.ASSESS:
            _refuse(
                "__all__",
                "Advice can be asked for only after the decision to assess.",
                "not_assessing",
            )
        if case.stage != Stage.ASSESSING:
            _refuse(
                "__all__",
                "The draft plan has been served: advice is asked for before it.",
                "draft_served",
            )
        if kind not in AdviceKind.values:
            _refuse("kind", "Choose the kind of advice.", "unknown_code")
        if organisation is None:
            _refuse("organisation", "Choose who is asked for the advice.", "required")
        if (
            organisation.kind not in ADVICE_ORGANISATION_KINDS[kind]
            or not organisation.is_active
            or organisation.area_id not in (case.area_id, None)
        ):
            _refuse(
                "organisation",
                f"{organisation.name} cannot give {AdviceKind(kind).label.lower()}: choose "
                "an organisation of the right kind in this area.",
                "wrong_organisation",
            )
        received = _check_date(
            "received_by_body_on",
            received_by_body_on,
            "the date they received the request",
            not_before=((case.decision_on, "the decision to assess"),),
        )
        duplicate = case.advice_requests.filter(
            kind=kind,
            organisation=organisation,
            provided_on__isnull=True,
            cancelled_on__isnull=True,
        ).exists()
        if duplicate:
            _refuse(
                "organisation",
                f"{AdviceKind(kind).label} has already been asked of {organisation.name} and "
                "is still awaited.",
                "duplicate",
            )
        advice = AdviceRequest.objects.create(
            assessment_request=case,
            kind=kind,
            organisation=organisation,
            received_by_body_on=received,
        )
        _engine_check(case, "received_by_body_on")
        _bump(case)
        _record(
            case,
            EventKind.ADVICE_REQUESTED,
            received,
            actor=actor,
            summary=chronology.advice_requested(kind, organisation.name),
            data=chronology.advice_data(kind, organisation.name, advice.pk),
            record=advice,
            request=request,
            action=AuditAction.CREATE,
        )
    return advice


def _locked_advice(advice: AdviceRequest, version: int | None):
    case = _locked(advice.assessment_request, version)
    advice = (
        AdviceRequest.objects.select_for_update()
        .select_related("organisation")
        .get(pk=advice.pk, assessment_request=case)
    )
    return case, advice


def record_advice_provided(
    *, actor, advice: AdviceRequest, version: int | None, provided_on: dt.date, request=None
) -> AdviceRequest:
    """The advice arrived: recorded by the caseworker, or by the agency submitting it
    through the agency portal."""
    _may_act_on_advice(actor, advice)
    with transaction.atomic():
        case, advice = _locked_advice(advice, version)
        _require_open(case)
        if advice.provided_on is not None:
            _refuse(
                "provided_on",
                f"This advice was already recorded as received on {_long(advice.provided_on)}.",
                "already_provided",
            )
        if advice.cancelled_on is not None:
            _refuse("provided_on", "This request for advice was cancelled.", "cancelled")
        advice.provided_on = _check_date(
            "provided_on",
            provided_on,
            "the date the advice was received",
            not_before=((advice.received_by_body_on, "the date they received the request"),),
        )
        advice.save(update_fields=["provided_on"])
        _engine_check(case, "provided_on")
        _bump(case)
        name = advice.organisation.name
        _record(
            case,
            EventKind.ADVICE_PROVIDED,
            advice.provided_on,
            actor=actor,
            summary=chronology.advice_provided(advice.kind, name),
            data=chronology.advice_data(advice.kind, name, advice.pk),
            record=advice,
            request=request,
        )
    return advice


def cancel_advice_request(
    *,
    actor,
    advice: AdviceRequest,
    version: int | None,
    cancelled_on: dt.date,
    reason: str,
    request=None,
) -> AdviceRequest:
    """The advice is no longer needed (it stops counting, and the agency's access ends)."""
    _may_edit(actor, advice.assessment_request)
    with transaction.atomic():
        case, advice = _locked_advice(advice, version)
        _require_open(case)
        if advice.provided_on is not None or advice.cancelled_on is not None:
            _refuse(
                "cancelled_on",
                "This advice is no longer awaited: it was received or cancelled already.",
                "not_open",
            )
        advice.cancelled_on = _check_date(
            "cancelled_on",
            cancelled_on,
            "the date it stopped being needed",
            not_before=((advice.received_by_body_on, "the date they received the request"),),
        )
        reason = _text("reason", reason, "why the advice is no longer needed")
        advice.save(update_fields=["cancelled_on"])
        _bump(case)
        name = advice.organisation.name
        _record(
            case,
            EventKind.ADVICE_CANCELLED,
            advice.cancelled_on,
            actor=actor,
            summary=chronology.advice_cancelled(advice.kind, name),
            data={**chronology.advice_data(advice.kind, name, advice.pk), "reason": reason},
            record=advice,
            request=request,
        )
    return advice


# --- Exceptions (reg 5(4), 8(2), 10(4)(c)/(d)) --------------------------------------------------


def record_exception(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    regulation: str,
    starts_on: dt.date,
    reason: str,
    ends_on: dt.date | None = None,
    advice: AdviceRequest | None = None,
    request=None,
) -> CaseException:
    """Record why a limit may not be met. School closures (reg 10(4)(a)/(b)) are not
    recorded: the engine detects them from the area's closures. The agency asked for a piece
    of advice may record a reg 8(2) exception on that advice (e.g. a missed appointment)."""
    if (
        advice is not None
        and regulation in ADVICE_REGULATIONS
        and advice.assessment_request_id == case.pk
    ):
        _may_act_on_advice(actor, advice)
    else:
        _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        if regulation not in CaseException.Regulation.values:
            _refuse("regulation", "Choose which exception applies.", "unknown_code")
        if regulation in ADVICE_REGULATIONS:
            if advice is None:
                _refuse("advice", "Choose the request for advice it applies to.", "required")
            if advice.assessment_request_id != case.pk:
                _refuse("advice", "Choose a request for advice on this case.", "wrong_case")
        elif advice is not None:
            _refuse(
                "advice",
                "This exception applies to the whole case, not to one piece of advice.",
                "not_advice",
            )
        starts = _check_date(
            "starts_on",
            starts_on,
            "the date the circumstances began",
            not_before=((case.received_on, "the date the request was received"),),
        )
        ends = None
        if ends_on is not None:
            ends = _check_date(
                "ends_on",
                ends_on,
                "the date the circumstances ended",
                not_before=((starts, "the date they began"),),
                future_allowed=True,
            )
            if regulation in ABSENCE_REGULATIONS and (ends - starts).days + 1 < ABSENCE_MIN_DAYS:
                _refuse(
                    "ends_on",
                    f"An absence of {(ends - starts).days + 1} days is shorter than the 4 "
                    "continuous weeks this exception needs.",
                    "too_short",
                )
        reason = _text("reason", reason, "the reason for the exception")
        item = CaseException.objects.create(
            assessment_request=case,
            advice_request=advice,
            regulation=regulation,
            starts_on=starts,
            ends_on=ends,
            reason=reason,
            recorded_by=actor,
        )
        _engine_check(case, "starts_on")
        _bump(case)
        _record(
            case,
            EventKind.EXCEPTION_RECORDED,
            starts,
            actor=actor,
            summary=chronology.exception_recorded(regulation),
            data={"regulation": regulation},
            record=item,
            request=request,
            action=AuditAction.CREATE,
        )
        if ends is not None and ends <= today():
            # Recorded after the fact: the chronology shows the end too, on its own day.
            chronology.event(
                case,
                EventKind.EXCEPTION_ENDED,
                ends,
                actor=actor,
                summary=chronology.EXCEPTION_ENDED,
                data={"regulation": regulation},
            ).save()
    return item


def end_exception(
    *, actor, exception: CaseException, version: int | None, ends_on: dt.date, request=None
) -> CaseException:
    _may_edit(actor, exception.assessment_request)
    with transaction.atomic():
        case = _locked(exception.assessment_request, version)
        item = CaseException.objects.select_for_update().get(
            pk=exception.pk, assessment_request=case
        )
        if item.ends_on is not None and item.ends_on <= today():
            _refuse("ends_on", f"This exception already ended on {_long(item.ends_on)}.", "ended")
        ends = _check_date(
            "ends_on",
            ends_on,
            "the date the circumstances ended",
            not_before=((item.starts_on, "the date they began"),),
        )
        if item.regulation in ABSENCE_REGULATIONS and (ends - item.starts_on).days + 1 < 28:
            _refuse(
                "ends_on",
                "An absence shorter than 4 continuous weeks is not an exception: remove it "
                "by recording the right dates.",
                "too_short",
            )
        item.ends_on = ends
        item.save(update_fields=["ends_on"])
        _bump(case)
        _record(
            case,
            EventKind.EXCEPTION_ENDED,
            ends,
            actor=actor,
            summary=chronology.EXCEPTION_ENDED,
            data={"regulation": item.regulation},
            record=item,
            request=request,
        )
    return item


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


def issue_final_plan(
    *, actor, case: AssessmentRequest, version: int | None, issued_on: dt.date, request=None
) -> AssessmentRequest:
    """Issue the final EHC plan (20 weeks, reg 13(2)) once the family's 15 days on the draft
    have run, or earlier if they agreed."""
    _may_edit(actor, case)
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
            not_before=((case.draft_plan_served_on, "the date the draft was served"),),
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
        # The plan itself: its draft becomes the first final version and the EHCPlan record
        # is made (refused, and nothing written, if the draft lacks section B or a placement).
        from everychild.plans.services import issue_new_plan

        issue_new_plan(actor=actor, case=case, issued_on=issued, request=request)
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


def withdraw(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    withdrawn_on: dt.date,
    reason: str,
    request=None,
) -> AssessmentRequest:
    """The request is withdrawn (by the family, or the child moved away): the clock stops."""
    _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        _require_open(case)
        case.withdrawn_on = _check_date(
            "withdrawn_on",
            withdrawn_on,
            "the date the request was withdrawn",
            not_before=(
                (case.received_on, "the date the request was received"),
                (case.decision_on, "the decision"),
                (case.draft_plan_served_on, "the date the draft was served"),
            ),
        )
        case.withdrawal_reason = _text("reason", reason, "why the request was withdrawn")
        case.stage = Stage.WITHDRAWN
        _bump(case, "withdrawn_on", "withdrawal_reason", "stage")
        _record(
            case,
            EventKind.REQUEST_WITHDRAWN,
            case.withdrawn_on,
            actor=actor,
            summary=chronology.WITHDRAWN,
            request=request,
        )
    return case


def request_reassessment(
    *,
    actor,
    case: AssessmentRequest,
    source: str,
    received_on: dt.date,
    requested_by: str,
    reason: str,
    request=None,
) -> AssessmentRequest:
    """A request to re-assess a child whose plan this case issued (reg 24): a new case,
    decided within 15 days (reg 25), its plan within 14 weeks of the notice (reg 27)."""
    _may_edit(actor, case)
    if case.stage != Stage.PLAN_ISSUED:
        _refuse(
            "__all__",
            "A re-assessment follows a plan that has been issued; this case has none.",
            "no_plan",
        )
    return record_request(
        actor=actor,
        area=case.area,
        child=case.child,
        source=source,
        received_on=received_on,
        requested_by=requested_by,
        reason=reason,
        reassessment_of=case,
        request=request,
    )


# --- Notes, documents and letters ----------------------------------------------------------


def add_note(*, actor, case: AssessmentRequest, text: str, request=None) -> CaseNote:
    _may_edit(actor, case)
    text = _text("text", text, "the note", max_length=MAX_NOTE_LENGTH)
    with transaction.atomic():
        note = CaseNote.objects.create(assessment_request=case, author=actor, text=text)
        _record(
            case,
            EventKind.NOTE_ADDED,
            today(),
            actor=actor,
            summary=f"Note added by {actor.full_name}",
            record=note,
            request=request,
            action=AuditAction.CREATE,
        )
    return note


def _store(case: AssessmentRequest, document: CaseDocument, content: bytes) -> None:
    document.stored_name = uuid.uuid4().hex
    document.file.save(document.stored_name, ContentFile(content), save=False)


def upload_document(
    *, actor, case: AssessmentRequest, upload, title: str = "", request=None
) -> CaseDocument:
    """Add a document: PDF, DOCX, JPEG or PNG up to 10 MB, checked by content, stored under
    MEDIA_ROOT/cases/<case>/<random name> (never served directly)."""
    _may_edit(actor, case)
    checked = uploads.check_upload(upload)
    title = _text("title", title or checked.original_name, "a title", max_length=200)
    upload.seek(0)
    content = upload.read()
    document = CaseDocument(
        assessment_request=case,
        kind=CaseDocument.Kind.UPLOAD,
        title=title,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    _store(case, document, content)
    try:
        with transaction.atomic():
            document.save()
            _record(
                case,
                EventKind.DOCUMENT_ADDED,
                today(),
                actor=actor,
                summary=f"Document added: {title}",
                data={"document": document.pk},
                record=document,
                request=request,
                action=AuditAction.CREATE,
            )
    except Exception:
        document.file.delete(save=False)  # no file left behind without its record
        raise
    return document


_LETTER_NEEDS = {
    Letter.Kind.DECISION_TO_ASSESS: (
        lambda c: c.decision == Decision.ASSESS,
        "A decision to assess letter needs a decision to assess.",
    ),
    Letter.Kind.DECISION_NOT_TO_ASSESS: (
        lambda c: c.decision == Decision.NOT_ASSESS,
        "A decision not to assess letter needs a decision not to assess.",
    ),
    Letter.Kind.DECISION_NOT_TO_ISSUE: (
        lambda c: c.decision_not_to_issue_on is not None,
        "A decision not to issue letter needs a decision not to issue a plan.",
    ),
}


def generate_letter(*, actor, case: AssessmentRequest, kind: str, request=None) -> Letter:
    """Make a decision letter from its template, with the engine's dates, as HTML and PDF.
    It is dated today; record it as sent when it goes."""
    _may_edit(actor, case)
    if kind not in Letter.Kind.values:
        _refuse("kind", "Choose which letter to create.", "unknown_code")
    allowed, message = _LETTER_NEEDS[Letter.Kind(kind)]
    if not allowed(case):
        _refuse("kind", message, "wrong_letter")
    dated_on = today()
    html = letters.render_letter_html(case, kind, dated_on)
    title = f"{Letter.Kind(kind).label} letter, {case.reference}, {_long(dated_on)}"
    try:
        pdf = letters.render_pdf(html, title=title)
    except Exception:
        # The renderer (WeasyPrint and its native libraries) failing is the service's fault,
        # not the caseworker's: say so plainly, change nothing, and leave the detail in the log.
        logger.exception("Letter PDF could not be rendered for case %s", case.pk)
        _refuse(
            "kind",
            "The letter could not be made into a PDF just now, so it was not created and the "
            "case is unchanged. Try again in a few minutes; if it keeps happening, tell the "
            "service desk.",
            "pdf_failed",
        )
    document = CaseDocument(
        assessment_request=case,
        kind=CaseDocument.Kind.LETTER,
        title=title,
        original_name=f"{kind.replace('_', '-')}-{case.pk}-{dated_on.isoformat()}.pdf",
        content_type=uploads.CONTENT_TYPES["pdf"],
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=actor,
    )
    _store(case, document, pdf)
    try:
        with transaction.atomic():
            document.save()
            letter = Letter.objects.create(
                assessment_request=case,
                kind=kind,
                dated_on=dated_on,
                html=html,
                document=document,
                created_by=actor,
            )
            _record(
                case,
                EventKind.LETTER_CREATED,
                dated_on,
                actor=actor,
                summary=chronology.letter_created(kind),
                data={"letter": letter.pk, "kind": kind},
                record=letter,
                request=request,
                action=AuditAction.CREATE,
            )
    except Exception:
        document.file.delete(save=False)
        raise
    return letter


def record_letter_sent(
    *, actor, letter: Letter, version: int | None, sent_on: dt.date, request=None
) -> Letter:
    """Record that the letter went to the family. A refusal letter's date starts their
    2 months to contact a mediation adviser and to appeal."""
    _may_edit(actor, letter.assessment_request)
    with transaction.atomic():
        case = _locked(letter.assessment_request, version)
        letter = Letter.objects.select_for_update().get(pk=letter.pk, assessment_request=case)
        if letter.sent_on is not None:
            _refuse(
                "sent_on",
                f"This letter was already recorded as sent on {_long(letter.sent_on)}.",
                "already_sent",
            )
        letter.sent_on = _check_date(
            "sent_on",
            sent_on,
            "the date the letter was sent",
            not_before=((letter.dated_on, "the date on the letter"),),
        )
        letter.sent_by = actor
        letter.save(update_fields=["sent_on", "sent_by"])
        _bump(case)
        _record(
            case,
            EventKind.LETTER_SENT,
            letter.sent_on,
            actor=actor,
            summary=chronology.letter_sent(letter.kind),
            data={"letter": letter.pk, "kind": letter.kind},
            record=letter,
            request=request,
        )
    return letter

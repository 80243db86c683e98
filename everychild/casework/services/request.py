"""The request for an EHC needs assessment (s.36), its details, its allocation, its
withdrawal and a request for a re-assessment (reg 24-27)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from everychild.access.models import AuditAction
from everychild.casework import chronology, policy
from everychild.casework.models import (
    OPEN_STAGES,
    AssessmentRequest,
    EventKind,
    RequestSource,
    Stage,
)
from everychild.casework.services.steps import (
    _bump,
    _engine_check,
    _locked,
    _may_edit,
    _may_manage,
    _next_reference,
    _record,
    _require_open,
)
from everychild.core.dates import today
from everychild.core.wording import date as _check_date
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text

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
    if not policy.may_write_cases(actor, area.pk):
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
        if not policy.is_casework_staff(caseworker, area.pk):
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
        if not policy.is_casework_staff(caseworker, case.area_id):
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


def reallocate_cases(
    *,
    actor,
    cases: list[tuple[AssessmentRequest, int | None]],
    caseworker,
    request=None,
) -> list[AssessmentRequest]:
    """Reallocate several open cases to one caseworker at once (a caseworker leaves or is off
    sick): all of them or none. Each case is allocated by `allocate`, so each is checked
    against the version the manager saw and gets its own chronology event and audit entry;
    every case's refusal is collected (named by its reference) before anything is undone, so
    the manager sees them all at once. A case someone else changed raises CaseChanged."""
    if not cases:
        _refuse("cases", "Choose at least one case to reallocate.", "required")
    problems: list[str] = []
    with transaction.atomic():
        done = []
        for case, version in cases:
            try:
                done.append(
                    allocate(
                        actor=actor,
                        case=case,
                        version=version,
                        caseworker=caseworker,
                        request=request,
                    )
                )
            except ValidationError as error:
                problems.extend(f"{case.reference}: {text}" for text in error.messages)
        if problems:
            # Raising here undoes every allocation made above: all or none.
            raise ValidationError({"cases": problems}, code="not_reallocated")
    return done


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

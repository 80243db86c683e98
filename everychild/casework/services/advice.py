"""Requests for advice and information (reg 6-8): asked, given, cancelled."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from everychild.access.models import AuditAction
from everychild.accounts.models import (
    Organisation,
)
from everychild.casework import chronology
from everychild.casework.models import (
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    Decision,
    EventKind,
    Stage,
)
from everychild.casework.services.steps import (
    ADVICE_ORGANISATION_KINDS,
    _bump,
    _engine_check,
    _locked,
    _may_act_on_advice,
    _may_edit,
    _record,
    _require_open,
)
from everychild.core.wording import date as _check_date
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text

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


def request_advice_from_several(
    *,
    actor,
    case: AssessmentRequest,
    version: int | None,
    requests: list[dict],
    request=None,
) -> list[AdviceRequest]:
    """Ask several bodies for advice in one go (reg 6(1): educational, health, social care,
    the setting's and any other the LA thinks appropriate), all or none. `requests` holds one
    dict per row: its `row` (a name for the row's errors), `kind`, `organisation` and
    `received_by_body_on`. One `request_advice` call per row, inside one transaction: the first
    checks the version the caseworker saw; each gets its own chronology event and audit entry.
    Every row's refusal is collected, under "<row>-<field>", before anything is undone."""
    if not requests:
        _refuse("__all__", "Choose at least one body to ask for advice.", "required")
    errors: dict[str, list] = {}
    made = []
    with transaction.atomic():
        expected = version
        for row in requests:
            try:
                # Each row is its own savepoint, so one refusal leaves the others checkable.
                with transaction.atomic():
                    made.append(
                        request_advice(
                            actor=actor,
                            case=case,
                            version=expected,
                            kind=row["kind"],
                            organisation=row["organisation"],
                            received_by_body_on=row["received_by_body_on"],
                            request=request,
                        )
                    )
            except ValidationError as error:
                # Each message names its row, so the error summary says which row is wrong.
                label = AdviceKind(row["kind"]).label if row["kind"] in AdviceKind.values else ""
                for field, messages in error.message_dict.items():
                    if field == "__all__":
                        key, named = "__all__", messages
                    else:
                        key = f"{row['row']}-{field}"
                        named = [f"{label}: {m}" if label else m for m in messages]
                    errors.setdefault(key, []).extend(
                        m for m in named if m not in errors.get(key, [])
                    )
            else:
                # The case is locked now; its version moved on only by this batch.
                expected = None
        if errors:
            raise ValidationError(errors)
    return made

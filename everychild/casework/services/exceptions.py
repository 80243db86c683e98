"""Exceptions to the time limits (reg 5(4), 8(2), 10(4)): recorded and ended."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.access.models import AuditAction
from everychild.casework import chronology
from everychild.casework.models import (
    AdviceRequest,
    AssessmentRequest,
    CaseException,
    EventKind,
)
from everychild.casework.services.steps import (
    ABSENCE_MIN_DAYS,
    ABSENCE_REGULATIONS,
    ADVICE_REGULATIONS,
    _bump,
    _engine_check,
    _locked,
    _may_act_on_advice,
    _may_edit,
    _record,
    _require_open,
)
from everychild.core.dates import today
from everychild.core.wording import date as _check_date
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text

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


# --- The 2020 coronavirus easement (SI 2020/471) -------------------------------------------------


def record_coronavirus_reason(
    *, actor, case: AssessmentRequest, version: int | None, no_reason: bool, request=None
) -> AssessmentRequest:
    """Record whether a reason relating to coronavirus made a limit that fell due between
    1 May and 25 September 2020 impractical. SI 2020/471 eased a limit only where it was "not
    reasonably practicable ... for a reason relating to the incidence or transmission of
    coronavirus"; the engine assumes there was such a reason unless this says there was none.
    A correction of a fact, so it may be made on a closed case (most such cases are)."""
    _may_edit(actor, case)
    with transaction.atomic():
        case = _locked(case, version)
        if case.no_coronavirus_reason == no_reason:
            return case
        case.no_coronavirus_reason = no_reason
        _bump(case, "no_coronavirus_reason")
        _record(
            case,
            EventKind.CORONAVIRUS_REASON_RECORDED,
            today(),
            actor=actor,
            summary=chronology.coronavirus_reason(no_reason),
            data={"no_coronavirus_reason": no_reason},
            request=request,
        )
    return case

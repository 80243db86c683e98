"""What every write to a plan shares: the refusal and date checks, who may write, the
draft's optimistic lock (DraftChanged) and the audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.plans import policy
from everychild.plans.models import (
    EHCPlan,
    IssuedVersionError,
    PlanVersion,
)

SEND_REGULATIONS_IN_FORCE = dt.date(2014, 9, 1)
MAX_TEXT = 5000


class DraftChanged(Exception):
    """The draft changed since the caller read it."""

    code = "draft_changed"

    def __init__(self, draft: PlanVersion):
        self.current_version = draft.lock_version
        super().__init__(
            "This draft changed since you opened it: someone else saved a change first. "
            "Nothing you entered has been saved. Look at the draft as it is now, then save again."
        )


def today() -> dt.date:
    return timezone.localdate()


def _date(field: str, day, what: str, *, not_before=(), future_allowed=False) -> dt.date:
    if day is None:
        _refuse(field, f"Enter {what}.", "required")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        _refuse(field, f"Enter {what} as a real date, like 27/3/2025.", "invalid_date")
    if not future_allowed and day > today():
        _refuse(field, f"{what[0].upper()}{what[1:]} cannot be in the future.", "future")
    if day < SEND_REGULATIONS_IN_FORCE:
        _refuse(field, f"{what[0].upper()}{what[1:]} cannot be before 1 September 2014.")
    for earlier, label in not_before:
        if earlier is not None and day < earlier:
            _refuse(
                field,
                f"{what[0].upper()}{what[1:]} must be on or after {label} ({_long(earlier)}).",
                "out_of_order",
            )
    return day


def _text(field: str, value, what: str, *, required=True, max_length=MAX_TEXT) -> str:
    if value is not None and not isinstance(value, str):
        _refuse(field, f"Enter {what} as text.")
    text = (value or "").strip()
    if required and not text:
        _refuse(field, f"Enter {what}.", "required")
    if len(text) > max_length:
        _refuse(field, f"{what[0].upper()}{what[1:]} must be {max_length} characters or fewer.")
    return text


def _audit(actor, child_id, record, action=AuditAction.UPDATE, request=None, **detail):
    audit.record(
        action=action, actor=actor, child=child_id, record=record, request=request, detail=detail
    )


# --- Who may do what -------------------------------------------------------------------------


def _may_write_plans(actor, area_id: int) -> None:
    if not policy.may_write_plans(actor, area_id):
        raise PermissionDenied("Only the area's caseworkers and team managers can write plans.")


def _may_decide_reviews(actor, area_id: int) -> None:
    if not policy.may_decide_reviews(actor, area_id):
        raise PermissionDenied("Only the local authority's SEND team can decide after a review.")


def _may_record_review(actor, plan: EHCPlan) -> None:
    if not policy.may_record_review(actor, plan):
        raise PermissionDenied("You cannot record reviews for this plan.")


def _locked_draft(draft: PlanVersion, lock_version: int | None) -> PlanVersion:
    current = (
        # Lock the version's row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer joins select_related makes (a document may have no plan or case yet).
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("document", "document__plan", "document__assessment_request")
        .get(pk=draft.pk)
    )
    if current.is_issued:
        raise IssuedVersionError(
            f"Version {current.number} was issued on {_long(current.issued_on)}: an issued "
            "version can never be edited. Start an amendment to change the plan."
        )
    if lock_version is not None and current.lock_version != lock_version:
        raise DraftChanged(current)
    return current

"""What every write to a plan shares: the refusal and date checks, who may write, the
draft's optimistic lock (DraftChanged) and the audit entry."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.core import locking, wording
from everychild.core.wording import long_date as _long
from everychild.plans import policy
from everychild.plans.models import (
    EHCPlan,
    IssuedVersionError,
    PlanVersion,
)


class DraftChanged(Exception):
    """The draft changed since the caller read it."""

    code = "draft_changed"

    def __init__(self, draft: PlanVersion):
        self.current_version = draft.lock_version
        super().__init__(
            "This draft changed since you opened it: someone else saved a change first. "
            "Nothing you entered has been saved. Look at the draft as it is now, then save again."
        )


def _audit(actor, child_id, record, action=AuditAction.UPDATE, request=None, **detail):
    audit.record(
        action=action, actor=actor, child=child_id, record=record, request=request, detail=detail
    )


# The plan services refuse a future or too-early date in the short form they always have.
_date = partial(wording.date, explain=False)


def _opened_at(item, created: bool, version: int | None, what: str) -> None:
    """Optimistic locking for a record a page creates or updates (core.locking): `version` is
    the record's version when the page was opened, 0 if it did not exist yet. A save overtaken
    by someone else's is refused; otherwise an existing record's version moves on."""
    if version is not None and (0 if created else item.version) != int(version):
        raise locking.stale(what)
    if not created:
        locking.bump(item)


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

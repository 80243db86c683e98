"""Writes to a child's record, and exceptional ("break-glass") access to one. Each validates
fully, writes in a transaction and is audited."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import (
    Action,
    Capability,
    has_capability,
    la_area_ids,
    may,
    members_with,
    work_areas,
)
from everychild.children.models import BreakGlassGrant, Child
from everychild.children.policy import editable_children, reviewable_break_glass_grants
from everychild.core import locking
from everychild.notifications.services import notify

EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "postcode",
    "upn",
    "upn_unknown_reason",
    "uln",
    "nhs_number",
    "current_setting",
)


def _normalise(values: dict) -> dict:
    cleaned = dict(values)
    for key in ("upn", "postcode"):
        if isinstance(cleaned.get(key), str):
            cleaned[key] = cleaned[key].strip().upper()
    if isinstance(cleaned.get("nhs_number"), str):
        cleaned["nhs_number"] = cleaned["nhs_number"].replace(" ", "")
    return cleaned


def create_child(*, actor, area, request=None, **values) -> Child:
    """Add a child to an area's records. Raises ValidationError (nothing saved) or
    PermissionDenied."""
    if area.pk not in la_area_ids(actor, Capability.EDIT_CHILDREN):
        raise PermissionDenied("Only the area's caseworkers and managers can add a child.")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    child = Child(area=area, **_normalise(values))
    child.full_clean()
    with transaction.atomic():
        child.save()
        audit.record(
            action=AuditAction.CREATE, actor=actor, child=child, record=child, request=request
        )
    return child


def update_child(
    *, actor, child: Child, version: int | None = None, request=None, **values
) -> Child:
    """Change the child's details; refused if the record changed since `version` was read."""
    if not may(actor, Action.EDIT_CHILD, child):
        raise PermissionDenied("You cannot change this child's record.")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    values = _normalise(values)
    with transaction.atomic():
        locked = locking.locked(editable_children(actor), child.pk, version, "record")
        changed = {}
        for key, value in values.items():
            old = getattr(locked, key)
            if old != value:
                changed[key] = True
                setattr(locked, key, value)
        locked.full_clean()
        if changed:
            locking.bump(locked)
            locked.save()
            # Which fields changed, never their values: the log must not become a second copy.
            audit.record(
                action=AuditAction.UPDATE,
                actor=actor,
                child=locked,
                record=locked,
                request=request,
                detail={"fields": sorted(changed)},
            )
    return locked


# --- Exceptional access ----------------------------------------------------------------------
# A member of staff opens a record outside their usual reach, with a written reason, for a
# limited time. Every grant is audited and shown to managers.

GRANT_DURATION = dt.timedelta(hours=2)
MIN_REASON_LENGTH = 20


def grant_break_glass(*, actor, identifier: str, reason: str, request=None) -> Child:
    """Find a child in the actor's own area by UPN or NHS number and grant access. Raises
    ValidationError with a message for the form, or PermissionDenied."""
    if not has_capability(actor, Capability.BREAK_GLASS):
        raise PermissionDenied("Your role cannot ask for exceptional access.")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"Explain why you need this record in {MIN_REASON_LENGTH}+ characters."}
        )
    identifier = (identifier or "").strip().upper().replace(" ", "")
    if not identifier:
        raise ValidationError({"identifier": "Enter the child's UPN or NHS number."})
    child = (
        Child.objects.filter(area_id__in=[area.pk for area in work_areas(actor)])
        .filter(Q(upn=identifier) | Q(nhs_number=identifier))
        .first()
    )
    if child is None:
        # Recorded before raising, outside any transaction the error would roll back.
        audit.record(
            action=AuditAction.REFUSED,
            actor=actor,
            request=request,
            reason=reason,
            detail={"break_glass": "no match"},
        )
        raise ValidationError({"identifier": "No child in your area has that UPN or NHS number."})
    with transaction.atomic():
        now = timezone.now()
        grant = BreakGlassGrant.objects.create(
            user=actor, child=child, reason=reason, granted_at=now, expires_at=now + GRANT_DURATION
        )
        audit.record(
            action=AuditAction.BREAK_GLASS,
            actor=actor,
            child=child,
            record=grant,
            request=request,
            reason=reason,
        )
        _tell_reviewers(grant)
    return child


def _tell_reviewers(grant: BreakGlassGrant) -> None:
    """E-mail the area's SEND team managers and data protection officer (never the child's
    details: a reference and a link to the review page)."""
    reviewers = (
        members_with(Capability.HEAR_OF_BREAK_GLASS, area_id=grant.child.area_id)
        .exclude(user=grant.user)
        .select_related("user")
    )
    link = settings.SERVICE_BASE_URL.rstrip("/") + reverse("break_glass:review")
    for membership in reviewers:
        notify(
            template="break_glass_used",
            to=membership.user.email,
            personalisation={"reference": f"EA-{grant.pk}", "link": link},
            key=f"break-glass:{grant.pk}:{membership.user_id}",
            user=membership.user,
        )


def mark_reviewed(*, actor, grant: BreakGlassGrant) -> None:
    if not reviewable_break_glass_grants(actor).filter(pk=grant.pk).exists():
        raise PermissionDenied("Only managers review exceptional access.")
    with transaction.atomic():
        BreakGlassGrant.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
            reviewed_by=actor, reviewed_at=timezone.now()
        )
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            child=grant.child_id,
            record=grant,
            detail={"reviewed": True},
        )

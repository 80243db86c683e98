"""Exceptional ("break-glass") access: a member of staff opens a record outside their usual
reach, with a written reason, for a limited time. Every grant is audited and shown to managers."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction, BreakGlassGrant
from everychild.access.policy import (
    Capability,
    has_capability,
    memberships,
    reviewable_break_glass_grants,
)
from everychild.accounts.models import Membership, Role
from everychild.children.models import Child

GRANT_DURATION = dt.timedelta(hours=2)
MIN_REASON_LENGTH = 20


def _user_area_ids(user) -> set[int]:
    return {
        m.organisation.area_id
        for m in memberships(user)
        if m.organisation_id and m.organisation.area_id
    }


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
        Child.objects.filter(area_id__in=_user_area_ids(actor))
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


# Who is told of every exceptional access in their area: the people who review it.
REVIEWER_ROLES = {Role.TEAM_MANAGER, Role.DATA_PROTECTION_OFFICER}


def _tell_reviewers(grant: BreakGlassGrant) -> None:
    """E-mail the area's SEND team managers and data protection officer (never the child's
    details: a reference and a link to the review page)."""
    from django.conf import settings
    from django.urls import reverse

    from everychild.notifications.services import notify

    reviewers = (
        Membership.objects.filter(
            role__in=REVIEWER_ROLES,
            organisation__area_id=grant.child.area_id,
            is_active=True,
            user__is_active=True,
        )
        .exclude(user=grant.user)
        .select_related("user")
    )
    link = settings.SERVICE_BASE_URL.rstrip("/") + reverse("access:break-glass-review")
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

"""Writes to a child's record. Each validates fully, writes in a transaction and is audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Action, editable_children, la_area_ids, may
from everychild.children.models import Child

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
    if area.pk not in la_area_ids(actor, {"caseworker", "team_manager"}):
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


def update_child(*, actor, child: Child, request=None, **values) -> Child:
    if not may(actor, Action.EDIT_CHILD, child):
        raise PermissionDenied("You cannot change this child's record.")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    values = _normalise(values)
    with transaction.atomic():
        locked = editable_children(actor).select_for_update().get(pk=child.pk)
        changed = {}
        for key, value in values.items():
            old = getattr(locked, key)
            if old != value:
                changed[key] = True
                setattr(locked, key, value)
        locked.full_clean()
        if changed:
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

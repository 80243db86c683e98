"""Writes to a child's record, and exceptional ("break-glass") access to one. Each validates
fully, writes in a transaction and is audited."""

import datetime as dt

from django.apps import apps
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
from everychild.children.models import BreakGlassGrant, Child, ChildMerge, SettingPeriod
from everychild.children.policy import editable_children, reviewable_break_glass_grants
from everychild.core import locking
from everychild.core.dates import today
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


def normalised(values: dict) -> dict:
    """The values as a record stores them (a UPN and postcode in capitals, an NHS number
    without spaces), so that a check for duplicates compares like with like."""
    return _normalise(values)


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
        record_setting_change(child=child, actor=actor, request=request)
    return child


def update_child(
    *,
    actor,
    child: Child,
    version: int | None = None,
    request=None,
    setting_changed_on: dt.date | None = None,
    **values,
) -> Child:
    """Change the child's details; refused if the record changed since `version` was read.
    `setting_changed_on`: the day a change of setting happened, when not today."""
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
        if setting_changed_on is not None and "current_setting" not in changed:
            raise ValidationError(
                {
                    "setting_changed_on": "Leave the day they started empty: the school, "
                    "college or setting has not changed."
                }
            )
        if changed:
            locking.bump(locked)
            locked.save()
            if "current_setting" in changed:
                record_setting_change(
                    child=locked, actor=actor, on=setting_changed_on, request=request
                )
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


# --- The child's history of settings --------------------------------------------------------
# Access to a child's support plan follows the setting whose roll they are on now, and an area
# may let a past setting read back the time the child was with them (decision 0240). So every
# path that sets or changes Child.current_setting (the record's form and API, a school's
# request for a child new to the area, the SEN2 import, a merge and its undoing, the
# demonstration) ends here, in the same transaction as the change.


def record_setting_change(*, child: Child, actor=None, on=None, request=None) -> None:
    """Bring the child's periods at settings into line with their current setting: close the
    open period if the child has left that setting, and open one at the new setting. Does
    nothing when they already agree, so calling it twice records one move."""
    on = on or today()
    if on > today():
        raise ValidationError(
            {"setting_changed_on": "The day they started must be today or in the past."}
        )
    with transaction.atomic():
        current = (
            SettingPeriod.objects.select_for_update()
            .filter(child_id=child.pk, ended_on__isnull=True)
            .first()
        )
        if current is not None and current.setting_id == child.current_setting_id:
            return
        if current is not None and on < current.started_on:
            # Periods never overlap: the move cannot come before the last one.
            raise ValidationError(
                {
                    "setting_changed_on": "The day they started must be on or after "
                    f"{current.started_on:%-d %B %Y}, when they started at "
                    f"{current.setting.name}."
                }
            )
        if current is not None:
            # A period that began today and ends today (a setting corrected on the day it was
            # entered) still happened: it stays, one day long.
            current.ended_on = max(on, current.started_on)
            current.save(update_fields=["ended_on"])
            audit.record(
                action=AuditAction.UPDATE,
                actor=actor,
                child=child.pk,
                record=current,
                request=request,
                detail={"setting_period": "ended", "setting": current.setting_id},
            )
        if child.current_setting_id is not None:
            period = SettingPeriod.objects.create(
                child_id=child.pk,
                setting_id=child.current_setting_id,
                started_on=on,
                recorded_by=actor if actor is not None and actor.is_authenticated else None,
            )
            audit.record(
                action=AuditAction.CREATE,
                actor=actor,
                child=child.pk,
                record=period,
                request=request,
                detail={"setting_period": "started", "setting": period.setting_id},
            )


def record_first_settings(children, *, started_on, recorded_by=None) -> None:
    """Open periods, in bulk, for children just created in bulk with their setting (an SEN2
    import, the demonstration's seed), whose creation the caller audits. `started_on(child)`
    gives each one's first day there."""
    if recorded_by is not None and not recorded_by.is_authenticated:
        recorded_by = None
    SettingPeriod.objects.bulk_create(
        [
            SettingPeriod(
                child_id=child.pk,
                setting_id=child.current_setting_id,
                started_on=started_on(child),
                recorded_by=recorded_by,
            )
            for child in children
            if child.current_setting_id is not None
        ],
        batch_size=2000,
    )


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


# --- One record per child ------------------------------------------------------------------
# Two records found to be one child are merged: every row that points at the record let go
# (cases, plans, documents, family links, messages, invitations, public requests…) is moved to
# the record kept, in one transaction, and listed so a manager can undo it for 30 days. The
# rows are found through Django's relations, so a new app's link to a child moves too without
# this code knowing it. The audit log is append-only: its entries keep the child they were
# written for, and each record's history names the merge.

# Rows that stay with the record they were made for: exceptional access was granted to that
# record (moving it would widen it), and the merges themselves.
# A record's periods at settings stay too: both records may have a current one, and the
# kept record's setting is the one that holds (a setting filled from the other record opens
# a period on the kept record below).
_STAYS = {
    "children.BreakGlassGrant",
    "children.ChildMerge",
    "children.Child",
    "children.SettingPeriod",
}
# Blanks on the kept record that the other record can fill.
_FILLABLE = ("preferred_name", "postcode", "upn", "uln", "nhs_number", "current_setting")


def _links_to_child():
    for relation in Child._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        if relation.related_model._meta.label in _STAYS:
            continue
        yield relation.related_model, relation.field


def _clashes(model, fk, *, kept: Child, merged: Child) -> list[int]:
    """Rows of `merged` that would break a unique rule if moved (the same parent linked to
    both records): the kept record already has them, so they stay where they are."""
    clashing: set[int] = set()
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fk.name not in fields or getattr(constraint, "condition", None) is not None:
            continue
        others = [f for f in fields if f != fk.name]
        on_kept = set(
            model._base_manager.filter(**{fk.name: kept}).values_list(*others, flat=False)
        )
        for pk, *values in model._base_manager.filter(**{fk.name: merged}).values_list(
            "pk", *others
        ):
            if tuple(values) in on_kept:
                clashing.add(pk)
    return sorted(clashing)


def _merge_checks(actor, kept: Child, merged: Child) -> None:
    if not has_capability(actor, Capability.WRITE_CASES):
        raise PermissionDenied("Only caseworkers and managers can merge records.")
    for child in (kept, merged):
        if not may(actor, Action.EDIT_CHILD, child):
            raise PermissionDenied("You cannot change this child's record.")
    if kept.pk == merged.pk:
        raise ValidationError({"other": "Choose a different record to merge with."})
    if kept.area_id != merged.area_id:
        raise ValidationError({"other": "Only records of the same area can be merged."})
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError({"other": "One of these records has already been merged."})


def merge_children(*, actor, kept: Child, merged: Child, request=None) -> ChildMerge:
    """Merge `merged` into `kept`. Raises PermissionDenied or ValidationError (nothing
    changed)."""
    _merge_checks(actor, kept, merged)
    with transaction.atomic():
        kept = editable_children(actor).select_for_update().get(pk=kept.pk)
        merged = editable_children(actor).select_for_update().get(pk=merged.pk)
        _merge_checks(actor, kept, merged)
        moved: dict[str, list[int]] = {}
        for model, fk in _links_to_child():
            rows = model._base_manager.filter(**{fk.name: merged})
            # A one-to-one record (an anonymisation) belongs to one record only: a record
            # emptied under the retention policy is not merged with a live one.
            if (
                fk.one_to_one
                and model._base_manager.filter(**{f"{fk.name}__in": [kept, merged]}).exists()
            ):
                raise ValidationError(
                    {"other": f"A record with a {model._meta.verbose_name} cannot be merged."}
                )
            pks = list(
                rows.exclude(pk__in=_clashes(model, fk, kept=kept, merged=merged)).values_list(
                    "pk", flat=True
                )
            )
            if pks:
                model._base_manager.filter(pk__in=pks).update(**{fk.name: kept})
                moved[model._meta.label] = pks
        filled = {}
        for name in _FILLABLE:
            attname = Child._meta.get_field(name).attname
            if not getattr(kept, attname) and getattr(merged, attname):
                filled[attname] = getattr(kept, attname)
                setattr(kept, attname, getattr(merged, attname))
        if "upn" in filled and kept.upn_unknown_reason:
            # A UPN found replaces the reason it was unknown (never both: SEN2).
            filled["upn_unknown_reason"] = kept.upn_unknown_reason
            kept.upn_unknown_reason = ""
        kept.full_clean()
        kept.save()
        record_setting_change(child=kept, actor=actor, request=request)
        merged.merged_into = kept
        merged.save(update_fields=["merged_into", "updated_at"])
        merge = ChildMerge.objects.create(
            kept=kept,
            merged=merged,
            merged_by=actor,
            merged_at=timezone.now(),
            moved=moved,
            filled=filled,
        )
        counts = {label: len(pks) for label, pks in moved.items()}
        for child, detail in (
            (kept, {"merge": merge.pk, "merged_from": merged.pk, "moved": counts}),
            (merged, {"merge": merge.pk, "merged_into": kept.pk}),
        ):
            audit.record(
                action=AuditAction.UPDATE,
                actor=actor,
                child=child,
                record=merge,
                request=request,
                detail=detail,
            )
    return merge


def undo_merge(*, actor, merge: ChildMerge, request=None) -> ChildMerge:
    """Put both records back as they were before the merge: a manager, within 30 days. Rows
    added to the kept record since stay with it."""
    if merge.kept.area_id not in la_area_ids(actor, Capability.MANAGE_TEAM):
        raise PermissionDenied("Only a manager of the child's area can undo a merge.")
    with transaction.atomic():
        merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise ValidationError({"merge": "This merge has already been undone."})
        if timezone.now() > merge.undo_until:
            raise ValidationError(
                {"merge": f"A merge can be undone for {ChildMerge.UNDO_DAYS} days only."}
            )
        kept, merged = merge.kept, merge.merged
        for label, pks in merge.moved.items():
            model = apps.get_model(label)
            fk = next(f for m, f in _links_to_child() if m is model)
            model._base_manager.filter(pk__in=pks, **{fk.name: kept}).update(**{fk.name: merged})
        for attname, before in merge.filled.items():
            setattr(kept, attname, before)
        kept.save()
        record_setting_change(child=kept, actor=actor, request=request)
        merged.merged_into = None
        merged.save(update_fields=["merged_into", "updated_at"])
        merge.undone_by = actor
        merge.undone_at = timezone.now()
        merge.save(update_fields=["undone_by", "undone_at"])
        for child in (kept, merged):
            audit.record(
                action=AuditAction.UPDATE,
                actor=actor,
                child=child,
                record=merge,
                request=request,
                detail={"merge": merge.pk, "undone": True},
            )
    return merge

"""Who may see and change which child (ARCHITECTURE.md principle 3), and exceptional access.

Who sees a child:
- LA casework staff (caseworker, team manager, decision-maker): every child of their LA's area;
- an advice-giving agency (EP service, health, social care): only children it has an open
  advice request for, and then only what the advice needs;
- a setting's SENCO: the pupils of their own setting;
- a parent or carer: their own children, where they have parental responsibility and a
  young person acting for themselves has not withdrawn their access;
- a young person: their own record;
- SEND Board members, finance officers, senior leaders and system administrators: no child at all
  (aggregates only), unless a break-glass grant is in force.

Every list and detail of children uses `visible_children`, so a list never shows what the
detail page would refuse. The rules are registered with the access kernel so that
`may(user, Action.VIEW_CHILD, child)` answers by them.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from everychild.access.policy import (
    Action,
    Capability,
    advice_organisation_ids,
    any_of,
    has_capability,
    la_area_ids,
    rule,
    setting_ids,
    work_areas,
)
from everychild.children.models import BreakGlassGrant, Child


def _family_parts(user) -> list[Q]:
    """A parent's own children (with parental responsibility, unless the young person acting
    for themselves withdrew their access) and a young person's own record."""
    parts = []
    if has_capability(user, Capability.SEE_OWN_CHILDREN):
        parts.append(
            Q(
                family_links__user_id=user.pk,
                family_links__has_parental_responsibility=True,
                family_links__young_person_allows_access=True,
            )
        )
    if has_capability(user, Capability.SEE_OWN_RECORD):
        parts.append(Q(own_account_id=user.pk))
    return parts


def _child_q(user, *, for_edit: bool = False) -> Q | None:
    """The condition on Child rows this user may see (or edit); None means none at all."""
    parts: list[Q] = []
    areas = la_area_ids(user, Capability.EDIT_CHILDREN if for_edit else Capability.CASEWORK)
    if areas:
        parts.append(Q(area_id__in=areas))
    if for_edit:
        return any_of(parts)
    agencies = advice_organisation_ids(user)
    if agencies:
        # Only while the agency's advice is still wanted: access ends when it is given.
        parts.append(
            Q(
                assessment_requests__advice_requests__organisation_id__in=agencies,
                assessment_requests__advice_requests__provided_on__isnull=True,
                assessment_requests__advice_requests__cancelled_on__isnull=True,
            )
        )
    settings_ids = setting_ids(user)
    if settings_ids:
        parts.append(Q(current_setting_id__in=settings_ids))
    parts += _family_parts(user)
    grants = active_break_glass_child_ids(user)
    if grants:
        parts.append(Q(pk__in=grants))
    return any_of(parts)


def active_break_glass_child_ids(user) -> set[int]:
    """The children the user holds exceptional access to now."""
    if not user.is_authenticated or not has_capability(user, Capability.BREAK_GLASS):
        return set()
    return set(
        BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values_list(
            "child_id", flat=True
        )
    )


def visible_children(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the children this user may see. Every list and detail of children uses it."""
    qs = queryset if queryset is not None else Child.objects.all()
    # Every role that may hold a break-glass grant also has SEE_CHILDREN.
    if not has_capability(user, Capability.SEE_CHILDREN):
        return qs.none()
    condition = _child_q(user)
    if condition is None:
        return qs.none()
    # The joins through advice requests and family links can repeat a child: filter by id.
    # A record merged into another is seen through the one it was merged into (a parent linked
    # to both, or a SENCO of its old setting, would otherwise see the child twice).
    return qs.filter(pk__in=Child.objects.filter(condition).values("pk"), merged_into__isnull=True)


def editable_children(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = queryset if queryset is not None else Child.objects.all()
    if not has_capability(user, Capability.EDIT_CHILDREN):
        return qs.none()
    condition = _child_q(user, for_edit=True)
    return qs.none() if condition is None else qs.filter(condition)


def family_children(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector for the family portal: the children a parent or young person may see there,
    by the family rules only (a parent's own children unless a young person acting for
    themselves withdrew their access; a young person's own record), even if the same person
    also holds a staff role."""
    qs = queryset if queryset is not None else Child.objects.all()
    if not has_capability(user, Capability.FAMILY_PORTAL):
        return qs.none()
    condition = any_of(_family_parts(user))
    if condition is None:
        return qs.none()
    return qs.filter(pk__in=Child.objects.filter(condition).values("pk"), merged_into__isnull=True)


def reviewable_break_glass_grants(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the break-glass grants a reviewer sees: those for children of the areas where
    they hold a reviewing role (a grant's reason can itself say something about the child)."""
    qs = queryset if queryset is not None else BreakGlassGrant.objects.all()
    areas = [area.pk for area in work_areas(user, Capability.REVIEW_AUDIT)]
    return qs.filter(child__area_id__in=areas) if areas else qs.none()


@rule(Action.VIEW_CHILD, Child)
def may_view_child(user, child: Child) -> bool:
    return visible_children(user).filter(pk=child.pk).exists()


@rule(Action.EDIT_CHILD, Child)
def may_edit_child(user, child: Child) -> bool:
    return editable_children(user).filter(pk=child.pk).exists()

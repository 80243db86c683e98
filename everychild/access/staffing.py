"""Whose staff an administrator manages (decision 0180).

A staff administrator manages the people of the organisation they hold the role in; a staff
administrator of a local authority manages the people of every organisation of its area (the
council's own staff, its schools' SENCOs, the partner agencies), and its organisations. The
roles they may give are those of `STAFF_ROLES_BY_KIND` for the organisation's kind, never the
system administrator's. The rules are here, beside the capability table, so the staff pages
ask them and name no role."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from everychild.access.policy import Capability, any_of, gives, memberships, work_areas
from everychild.accounts.models import (
    STAFF_ROLES_BY_KIND,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)


def managed_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose staff `user` administers (none for anyone else)."""
    parts = []
    for membership in memberships(user):
        if not gives(membership.role, Capability.MANAGE_STAFF) or not membership.organisation_id:
            continue
        organisation = membership.organisation
        if organisation.kind == OrganisationKind.LOCAL_AUTHORITY and organisation.area_id:
            parts.append(Q(area_id=organisation.area_id))
        else:
            parts.append(Q(pk=organisation.pk))
    condition = any_of(parts)
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition)


def organisation_areas(user) -> list:
    """The areas whose organisations `user` adds, changes and closes: a council's staff
    administrators' (an agency's administrator manages people, not organisations)."""
    return work_areas(user, Capability.MANAGE_STAFF, local_authority=True)


def grantable_roles(organisation) -> tuple[str, ...]:
    """The roles a staff administrator may give in `organisation`."""
    if organisation is None:
        return ()
    return STAFF_ROLES_BY_KIND.get(organisation.kind, ())


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role


def all_grantable_roles() -> list[tuple[str, str]]:
    """Every role given anywhere by an administrator, as (value, label), in the table's order."""
    seen: dict[str, str] = {}
    for roles in STAFF_ROLES_BY_KIND.values():
        for role in roles:
            seen.setdefault(role, Role(role).label)
    return list(seen.items())


def may_change_person(admin, person) -> bool:
    """`admin` may change, switch off or reset `person`: every organisation the person works
    for is one `admin` manages, in roles `admin` may give there (so no administrator reaches
    a system administrator, nor someone another administrator answers for), and the person
    is not `admin` themself (no one switches themself off or raises their own roles)."""
    if person is None or admin is None or person.pk == admin.pk:
        return False
    managed = set(managed_organisations(admin).values_list("pk", flat=True))
    staff = list(
        Membership.objects.filter(user=person, organisation__isnull=False).select_related(
            "organisation"
        )
    )
    if not staff:
        return False
    return all(
        m.organisation_id in managed and m.role in grantable_roles(m.organisation) for m in staff
    )

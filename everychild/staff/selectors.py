"""Reads of staff administration: the people and organisations an administrator manages."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from everychild.access.staffing import managed_organisations, organisation_areas, role_label
from everychild.accounts.models import Membership, Organisation, User
from everychild.staff.models import StaffInvitation

STATUSES = {"active": True, "inactive": False}


def people(
    admin, *, q: str = "", organisation_id=None, role: str = "", status: str = ""
) -> QuerySet:
    """The people who work (or worked) for the organisations `admin` manages, filtered, with
    their memberships there (active first)."""
    managed = managed_organisations(admin)
    found = User.objects.filter(memberships__organisation__in=managed)
    if q:
        found = found.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if organisation_id:
        found = found.filter(
            memberships__organisation_id=organisation_id, memberships__organisation__in=managed
        )
    if role:
        found = found.filter(
            memberships__role=role,
            memberships__is_active=True,
            memberships__organisation__in=managed,
        )
    if status in STATUSES:
        found = found.filter(is_active=STATUSES[status])
    shown = (
        Membership.objects.filter(organisation__in=managed)
        .select_related("organisation")
        .order_by("-is_active", "organisation__name", "role")
    )
    return (
        found.distinct()
        .order_by("full_name", "email")
        .prefetch_related(Prefetch("memberships", queryset=shown, to_attr="managed_memberships"))
    )


def person(admin, person_id: int) -> User | None:
    return people(admin).filter(pk=person_id).first()


def waiting_invitations(admin) -> QuerySet:
    """Invitations to the organisations `admin` manages, not yet accepted and still working."""
    return StaffInvitation.objects.filter(
        purpose=StaffInvitation.Purpose.INVITATION,
        organisation__in=managed_organisations(admin),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("user", "organisation")


def roles_text(memberships) -> str:
    return "; ".join(
        f"{role_label(m.role)} ({m.organisation.name})" for m in memberships if m.is_active
    )


def export_rows(admin):
    """The people list as rows for a CSV: who has which role, and when they last signed in."""
    yield ["Name", "E-mail", "Organisations", "Roles", "Active", "Last signed in"]
    for user in people(admin):
        memberships = user.managed_memberships
        organisations = sorted({m.organisation.name for m in memberships if m.is_active})
        yield [
            user.full_name,
            user.email,
            "; ".join(organisations),
            roles_text(memberships),
            "Yes" if user.is_active else "No",
            timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M")
            if user.last_login
            else "Never",
        ]


def area_organisations(admin) -> QuerySet:
    """The organisations of the areas whose organisations `admin` manages."""
    return Organisation.objects.filter(
        area__in=[area.pk for area in organisation_areas(admin)]
    ).order_by("-is_active", "kind", "name")


def area_organisation(admin, organisation_id: int) -> Organisation | None:
    return area_organisations(admin).filter(pk=organisation_id).first()

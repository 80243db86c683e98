"""Writes of staff and organisation administration (issue 18, decisions 0180 and 0181).

Each service takes keyword-only arguments, checks the actor manages the people or the
organisation (access.staffing), refuses with a ValidationError naming the field (or
PermissionDenied) and then writes nothing; it writes inside one transaction with its audit
entry, and tells the person affected by e-mail (no personal details in the message)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access import audit, enrolment
from everychild.access.models import AuditAction
from everychild.access.staffing import (
    all_grantable_roles,
    grantable_roles,
    managed_organisations,
    may_change_person,
    organisation_areas,
    role_label,
)
from everychild.accounts.models import (
    EnrolmentCode,
    Membership,
    Organisation,
    OrganisationKind,
    User,
)
from everychild.core import locking
from everychild.core.wording import long_date, refuse, text
from everychild.notifications.services import notify
from everychild.staff.models import StaffInvitation

# Short-lived: a link is a credential for as long as it works (issue 17). The administrator
# sends a new one when it runs out.
INVITATION_LIFETIME = dt.timedelta(days=7)
PASSWORD_RESET_LIFETIME = dt.timedelta(hours=24)
PERSON = "person's account"
ORGANISATION = "organisation"


class InvitationProblem(Exception):
    """A link that cannot be used: "invalid", "expired", "used" or "inactive"."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _hash(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def _new_link(purpose, *, user, lifetime, actor, **fields) -> StaffInvitation:
    """An invitation or reset link. No one ever knows this first token: the link's is made as
    the message is sent (link_for_sending), so no usable copy is kept anywhere."""
    return StaffInvitation.objects.create(
        purpose=purpose,
        user=user,
        token_hash=_hash(secrets.token_urlsafe(32)),
        expires_at=timezone.now() + lifetime,
        invited_by=actor,
        **fields,
    )


def _link(path: str) -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + path


def _sign_in_link() -> str:
    return _link(reverse("accounts:sign-in"))


def _require_person(actor, person) -> None:
    if not may_change_person(actor, person):
        raise PermissionDenied("You do not administer this person's account.")


def _require_organisation(actor, organisation) -> None:
    if organisation is None or not managed_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied("You do not administer this organisation.")


def end_sessions(user) -> int:
    """Sign the person out everywhere at once: their stored sessions are deleted, so their
    next request finds no session (and no stale copy of their roles)."""
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def _clean_roles(organisation, roles) -> list[str]:
    roles = [role for role in dict.fromkeys(roles or []) if role]
    if not roles:
        refuse("roles", "Choose at least one role.", "required")
    allowed = grantable_roles(organisation)
    wrong = [role for role in roles if role not in allowed]
    if wrong:
        refuse(
            "roles",
            f"{organisation.name} cannot have the role "
            f"{', '.join(role_label(r) for r in wrong)}: choose from "
            f"{', '.join(role_label(r) for r in allowed) or 'none'}.",
        )
    return roles


def _clean_email(email) -> str:
    email = text("email", email, "their e-mail address", max_length=254).lower()
    try:
        validate_email(email)
    except ValidationError:
        refuse("email", "Enter an e-mail address like name@example.org.")
    return email


# --- Invitations -----------------------------------------------------------------------------


def _never_joined(user) -> bool:
    """An account a staff invitation made that has never been used: no password chosen, never
    signed in. Only such an account may be given its password by a new invitation's link; any
    other is signed in to by its owner (issue 17: a link never takes an account over)."""
    return (
        not user.has_usable_password()
        and user.last_login is None
        and StaffInvitation.objects.filter(
            user=user, purpose=StaffInvitation.Purpose.INVITATION, sets_password=True
        ).exists()
    )


def invite(
    *, actor, full_name, email, organisation, roles, request=None, by_command: bool = False
) -> tuple[StaffInvitation | None, str]:
    """Invite a member of staff to `organisation` in `roles`, by e-mail. Returns the invitation
    and what happened: "invited", or "unchanged" when they already hold the roles or have an
    invitation for them waiting (so a second import of the same file changes nothing).

    A new address gets an account with no password and the roles, which it can use once the
    link has set a password. An address that already has a staff account is never given a
    password by the link: its owner signs in to accept, and only then gains the roles.
    `by_command`: from `manage.py import_staff`, run by whoever runs the servers, for any
    organisation."""
    if not by_command:
        _require_organisation(actor, organisation)
    full_name = text("full_name", full_name, "their full name", max_length=200)
    email = _clean_email(email)
    roles = _clean_roles(organisation, roles)
    if not organisation.is_active:
        refuse("organisation", f"{organisation.name} is closed: choose an open organisation.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        fresh = user is None or _never_joined(user)
        if user is not None:
            if not user.is_active:
                refuse(
                    "email",
                    "This person's account is switched off: reactivate it from their page.",
                    "inactive",
                )
            if user.memberships.filter(organisation__isnull=True).exists():
                refuse(
                    "email",
                    "This address is a family's account: ask them for their work address.",
                    "family",
                )
            held = set(
                user.memberships.filter(organisation=organisation, is_active=True).values_list(
                    "role", flat=True
                )
            )
            waiting = StaffInvitation.objects.filter(
                user=user,
                organisation=organisation,
                purpose=StaffInvitation.Purpose.INVITATION,
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            if fresh:
                # Invited before and never joined: unchanged while a link still works; once
                # it has run out, a new one goes.
                if set(roles) <= held and waiting.exists():
                    return None, "unchanged"
            elif set(roles) <= held or any(set(roles) == set(i.roles) for i in waiting):
                return None, "unchanged"
        else:
            user = User(email=email, full_name=full_name)
            user.set_unusable_password()
            user.save()
        if fresh:
            # An account that has never been used holds its roles from the invitation.
            for role in roles:
                Membership.objects.update_or_create(
                    user=user, organisation=organisation, role=role, defaults={"is_active": True}
                )
        invitation = _new_link(
            StaffInvitation.Purpose.INVITATION,
            user=user,
            lifetime=INVITATION_LIFETIME,
            actor=actor,
            organisation=organisation,
            roles=roles,
            sets_password=fresh,
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            record=invitation,
            request=request,
            detail={
                "step": "staff_invited",
                "for": email,
                "organisation": organisation.pk,
                "roles": roles,
                "new_account": fresh,
            },
        )
        notify(
            template="staff_invitation",
            to=email,
            personalisation={
                "organisation": organisation.name,
                "date": long_date(timezone.localdate(invitation.expires_at)),
            },
            key=f"staff-invitation:{invitation.pk}",
            user=user,
            sealed=("link",),
        )
    return invitation, "invited"


def link_for_sending(message) -> dict[str, str] | None:
    """The sealed link of a staff invitation or password reset, made as it is sent: a new token
    whose hash replaces the last, so only the newest link sent works and the token exists only
    in the message on its way."""
    invitation_id = int(message.key.rsplit(":", 1)[1])
    token = secrets.token_urlsafe(32)
    updated = StaffInvitation.objects.filter(
        pk=invitation_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(token_hash=_hash(token))
    if not updated:
        return None  # used or expired: the message is not sent
    return {"link": _link(reverse("staff:accept", args=[token]))}


def invitation_for(token: str) -> StaffInvitation:
    """The invitation a link's token belongs to, or InvitationProblem saying why not."""
    if not token or len(token) > 100:
        raise InvitationProblem("invalid")
    invitation = (
        StaffInvitation.objects.select_related("user", "organisation")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationProblem("invalid")
    if invitation.used_at is not None:
        raise InvitationProblem("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem("expired")
    if not invitation.user.is_active:
        raise InvitationProblem("inactive")
    return invitation


def link_sets_password(invitation: StaffInvitation) -> bool:
    """Whether this link chooses the account's password: only a link made for that (a new
    account, a reset) and only while the account has none."""
    return invitation.sets_password and not invitation.user.has_usable_password()


def accept(*, token: str, password: str | None = None, signed_in=None, request=None) -> User:
    """Use a link: choose the password (a new account or a reset), or, for an account that has
    one, join the organisation once its owner has signed in to it. The link then cannot be
    used again. A staff member with no authenticator app yet is e-mailed an enrolment code."""
    with transaction.atomic():
        invitation = invitation_for(token)
        invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationProblem("used")
        user = User.objects.select_for_update().get(pk=invitation.user_id)
        if link_sets_password(invitation):
            try:
                validate_password(password or "", user=user)
            except ValidationError as error:
                raise ValidationError({"password": error.messages}) from None
            user.set_password(password)
            user.save()
            end_sessions(user)
        else:
            if signed_in is None or signed_in.pk != user.pk:
                raise PermissionDenied(
                    "Sign in to the account this invitation was sent to, with its own password."
                )
            # An existing account gains the roles now. A new account had them from the
            # invitation, as an administrator may have changed them since: those stand.
            for role in invitation.roles:
                Membership.objects.update_or_create(
                    user=user,
                    organisation=invitation.organisation,
                    role=role,
                    defaults={"is_active": True},
                )
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=user if signed_in is not None else None,
            record=invitation,
            request=request,
            detail={"step": f"staff_{invitation.purpose}_used", "for": user.email},
        )
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        has_code = EnrolmentCode.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
        if not has_device and not has_code:
            enrolment.issue(user=user, actor=invitation.invited_by, request=request)
    return user


# --- Changing a person -----------------------------------------------------------------------


def change_roles(*, actor, person, organisation, roles, version, request=None) -> list[Membership]:
    """Set the person's roles in the organisations `actor` manages to exactly `roles` in
    `organisation` (a move between organisations is a change of organisation here). Roles
    taken away are kept, switched off, for the record."""
    _require_person(actor, person)
    _require_organisation(actor, organisation)
    roles = _clean_roles(organisation, roles)
    managed = managed_organisations(actor)
    with transaction.atomic():
        person = locking.locked(User.objects, person.pk, version, PERSON)
        before = sorted(
            f"{m.organisation_id}:{m.role}"
            for m in person.memberships.filter(is_active=True, organisation__in=managed)
        )
        person.memberships.filter(organisation__in=managed).exclude(
            organisation=organisation, role__in=roles
        ).update(is_active=False)
        kept = [
            Membership.objects.update_or_create(
                user=person, organisation=organisation, role=role, defaults={"is_active": True}
            )[0]
            for role in roles
        ]
        locking.bump(person)
        person.save(update_fields=["version"])
        after = sorted(f"{organisation.pk}:{role}" for role in roles)
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=person,
            request=request,
            detail={"step": "staff_roles_changed", "before": before, "after": after},
        )
        if before != after:
            notify(
                template="staff_roles_changed",
                to=person.email,
                personalisation={
                    "organisation": organisation.name,
                    "sign_in_link": _sign_in_link(),
                },
                key=f"staff-roles:{person.pk}:{person.version}",
                user=person,
            )
    return kept


def set_active(*, actor, person, active: bool, version, request=None) -> User:
    """Switch a person's account off (every session ends at once and every API token is
    revoked) or on again."""
    _require_person(actor, person)
    with transaction.atomic():
        person = locking.locked(User.objects, person.pk, version, PERSON)
        if person.is_active == active:
            return person
        person.is_active = active
        locking.bump(person)
        # Saving is_active off revokes the API tokens (access.tokens.end_tokens_after_save).
        person.save(update_fields=["is_active", "version"])
        ended = 0 if active else end_sessions(person)
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=person,
            request=request,
            detail={
                "step": "staff_reactivated" if active else "staff_deactivated",
                "sessions_ended": ended,
            },
        )
        notify(
            template="staff_account_reactivated" if active else "staff_account_deactivated",
            to=person.email,
            personalisation={"sign_in_link": _sign_in_link()} if active else {},
            key=f"staff-active:{person.pk}:{person.version}",
            user=person,
        )
    return person


def reset_password(*, actor, person, request=None) -> StaffInvitation:
    """The person's password stops working now (their sessions and API tokens end) and they
    are e-mailed a single-use link to choose a new one. The administrator never sets or sees
    a password; the second factor is still asked for at the next sign-in."""
    _require_person(actor, person)
    if not person.is_active:
        refuse("__all__", "This account is switched off: reactivate it first.", "inactive")
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.set_unusable_password()
        # A changed password revokes the API tokens (access.tokens.end_tokens_after_save).
        person.save(update_fields=["password"])
        ended = end_sessions(person)
        StaffInvitation.objects.filter(
            user=person, purpose=StaffInvitation.Purpose.PASSWORD_RESET, used_at__isnull=True
        ).update(used_at=timezone.now())
        reset = _new_link(
            StaffInvitation.Purpose.PASSWORD_RESET,
            user=person,
            lifetime=PASSWORD_RESET_LIFETIME,
            actor=actor,
            sets_password=True,
        )
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=person,
            request=request,
            detail={"step": "staff_password_reset", "sessions_ended": ended},
        )
        notify(
            template="staff_password_reset",
            to=person.email,
            personalisation={"date": long_date(timezone.localdate(reset.expires_at))},
            key=f"staff-password-reset:{reset.pk}",
            user=person,
            sealed=("link",),
        )
    return reset


def reset_second_factor(*, actor, person, request=None) -> None:
    """A lost phone: the person's authenticator apps are removed, their sessions end, and a
    new enrolment code is e-mailed to them (access.enrolment tells them of each step)."""
    _require_person(actor, person)
    if not person.is_active:
        refuse("__all__", "This account is switched off: reactivate it first.", "inactive")
    with transaction.atomic():
        enrolment.reset(user=person, actor=actor, request=request)
        end_sessions(person)
        enrolment.issue(user=person, actor=actor, request=request)


# --- Organisations ---------------------------------------------------------------------------

# Kinds an administrator adds: the local authority itself is made when the area is set up.
ADDABLE_KINDS = [kind for kind in OrganisationKind if kind != OrganisationKind.LOCAL_AUTHORITY]


def _organisation_fields(kind, name, urn, ukprn) -> dict:
    if kind not in ADDABLE_KINDS:
        refuse("kind", "Choose what kind of organisation it is.")
    fields = {
        "kind": kind,
        "name": text("name", name, "its name", max_length=200),
        "urn": text("urn", urn, "its URN", required=False, max_length=6),
        "ukprn": text("ukprn", ukprn, "its UKPRN", required=False, max_length=8),
    }
    return fields


def _check_and_save(organisation: Organisation) -> None:
    organisation.full_clean(exclude=["area", "predecessor"])
    organisation.save()


def add_organisation(*, actor, area, kind, name, urn="", ukprn="", request=None) -> Organisation:
    """Add a partner organisation (an agency, a school not yet in DfE's register) to the
    area `actor` administers."""
    if area is None or area.pk not in {a.pk for a in organisation_areas(actor)}:
        raise PermissionDenied("Only the area's staff administrators add its organisations.")
    organisation = Organisation(area=area, **_organisation_fields(kind, name, urn, ukprn))
    with transaction.atomic():
        _check_and_save(organisation)
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            record=organisation,
            request=request,
            detail={"step": "organisation_added", "kind": kind},
        )
    return organisation


def _require_area_organisation(actor, organisation) -> None:
    areas = {a.pk for a in organisation_areas(actor)}
    if organisation is None or organisation.area_id not in areas:
        raise PermissionDenied("Only the area's staff administrators change its organisations.")
    if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
        raise PermissionDenied("The local authority itself is changed when the area is set up.")


def change_organisation(
    *, actor, organisation, kind, name, urn="", ukprn="", version, request=None
) -> Organisation:
    _require_area_organisation(actor, organisation)
    fields = _organisation_fields(kind, name, urn, ukprn)
    with transaction.atomic():
        organisation = locking.locked(Organisation.objects, organisation.pk, version, ORGANISATION)
        before = {field: getattr(organisation, field) for field in fields}
        for field, value in fields.items():
            setattr(organisation, field, value)
        locking.bump(organisation)
        _check_and_save(organisation)
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=organisation,
            request=request,
            detail={"step": "organisation_changed", "before": before},
        )
    return organisation


def close_organisation(*, actor, organisation, version, request=None) -> Organisation:
    """Close an organisation that no longer works with the partnership. Its people must be
    moved or switched off first, so no one keeps access through a closed organisation."""
    _require_area_organisation(actor, organisation)
    with transaction.atomic():
        organisation = locking.locked(Organisation.objects, organisation.pk, version, ORGANISATION)
        if Membership.objects.filter(
            organisation=organisation, is_active=True, user__is_active=True
        ).exists():
            refuse(
                "__all__",
                f"People still work for {organisation.name}: move them to another "
                "organisation or switch their accounts off first.",
                "has_staff",
            )
        organisation.is_active = False
        organisation.closed_on = organisation.closed_on or timezone.localdate()
        locking.bump(organisation)
        organisation.save(update_fields=["is_active", "closed_on", "version"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=organisation,
            request=request,
            detail={"step": "organisation_closed"},
        )
    return organisation


# --- Bringing in a council's staff from a spreadsheet ---------------------------------------

IMPORT_COLUMNS = ("email", "name", "organisation", "roles")


def _find_organisation(value: str, organisations) -> Organisation:
    value = (value or "").strip()
    if not value:
        refuse("organisation", "Enter the organisation: its name, URN or UKPRN.", "required")
    found = [
        o
        for o in organisations
        if value.lower() == o.name.lower() or value in {o.urn, o.ukprn} - {""}
    ]
    if not found:
        refuse("organisation", f"There is no organisation called or numbered {value!r}.")
    if len(found) > 1:
        refuse("organisation", f"{value!r} names {len(found)} organisations: give its URN.")
    return found[0]


def import_staff(rows, *, area=None) -> dict:
    """Invite every person of `rows` (dicts with IMPORT_COLUMNS; roles by name or label,
    separated by ";"), all or nothing: if any row is refused, nothing is written or sent and
    the report lists every refusal by row. A row whose person already holds the roles (or has
    an invitation to them waiting) changes nothing, so a second run of the same file is a
    no-op. Returns {"invited", "unchanged", "rows": [...], "errors": [...]}."""
    organisations = list(
        Organisation.objects.filter(is_active=True, **({"area": area} if area else {}))
    )
    by_label = {}
    for role, label in all_grantable_roles():
        by_label[role.lower()] = role
        by_label[label.lower()] = role
    report = {"invited": 0, "unchanged": 0, "rows": [], "errors": []}
    seen: dict[str, int] = {}
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            email = (row.get("email") or "").strip().lower()
            try:
                if email and email in seen:
                    refuse("email", f"{email} is also on row {seen[email]}: one row per person.")
                seen[email] = number
                organisation = _find_organisation(row.get("organisation"), organisations)
                roles = [
                    by_label.get(part.strip().lower(), part.strip())
                    for part in (row.get("roles") or "").split(";")
                    if part.strip()
                ]
                _invitation, outcome = invite(
                    actor=None,
                    full_name=row.get("name"),
                    email=row.get("email"),
                    organisation=organisation,
                    roles=roles,
                    by_command=True,
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        report["errors"].append({"row": number, "field": field, "message": message})
                continue
            report[outcome] += 1
            report["rows"].append({"row": number, "email": email, "outcome": outcome})
        if report["errors"]:
            # All or nothing: the accounts and invitations made for earlier rows go, and their
            # messages, sent only after a commit, are never sent.
            transaction.set_rollback(True)
            report["invited"] = report["unchanged"] = 0
            report["rows"] = []
    return report

"""API tokens: credentials with a life (issue 17).

A token is made here and shown once; only its SHA-256 is stored (a token is 160 random bits,
so an unsalted hash cannot be reversed, and a copy of the database calls nothing). It is
named, ends after `DEFAULT_LIFETIME` unless its maker chose sooner, and stops working when
its owner revokes it, changes their password, is locked out or is deactivated. Every use is
an audit entry. Issued to a staff member who has passed the second factor, or from the
command line (`manage.py api_token`) for a service account."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import is_staff_member
from everychild.accounts.models import ApiToken, ApiTokenEnd, User
from everychild.core.wording import refuse, text

DEFAULT_LIFETIME_DAYS = 90
LONGEST_LIFETIME_DAYS = 365


def hash_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(
    *,
    user,
    name: str,
    days: int | None = None,
    second_factor_passed: bool = False,
    by_command: bool = False,
    actor=None,
    request=None,
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it and the key, which is never available again.

    From the service the user must be staff who passed the second factor now; the command
    (`by_command`) is run by whoever runs the servers, for a service account."""
    if not by_command:
        if not is_staff_member(user):
            raise PermissionDenied("API tokens are for staff and service accounts.")
        if not second_factor_passed:
            raise PermissionDenied("Confirm your second factor before making an API token.")
    name = text("name", name, "a name for the token", max_length=100)
    days = DEFAULT_LIFETIME_DAYS if days in (None, "") else days
    if not isinstance(days, int) or not 1 <= days <= LONGEST_LIFETIME_DAYS:
        refuse("days", f"Enter a number of days from 1 to {LONGEST_LIFETIME_DAYS}.")
    key = secrets.token_hex(20)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            key_hash=hash_of(key),
            prefix=key[:8],
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
            issued_by_command=by_command,
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor or user,
            record=token,
            request=request,
            detail={"step": "api_token_issued", "name": name, "days": days},
        )
    return token, key


def revoke(*, token: ApiToken, actor, because: str = ApiTokenEnd.BY_OWNER, request=None) -> None:
    """End one token now. Only its owner may (the command and account events use revoke_all)."""
    if actor is None or token.user_id != actor.pk:
        raise PermissionDenied("You can revoke only your own tokens.")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_because=because
        )
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=token,
            request=request,
            detail={"step": "api_token_revoked", "because": because},
        )


def revoke_all(user, *, because: str) -> int:
    """End every live token of `user` (password changed, locked out, deactivated)."""
    with transaction.atomic():
        live = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
        ApiToken.objects.filter(pk__in=[t.pk for t in live]).update(
            revoked_at=timezone.now(), revoked_because=because
        )
        audit.record_many(
            audit.AuditEvent(
                action=AuditAction.UPDATE,
                actor=None,
                child_id=None,
                record_type=ApiToken._meta.label,
                record_id=str(token.pk),
                ip_address=None,
                reason="",
                detail={"step": "api_token_revoked", "because": because},
            )
            for token in live
        )
    return len(live)


def authenticate(key: str, *, request=None) -> ApiToken | None:
    """The live token `key` is, with its active owner, the use recorded; None otherwise."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_of(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    audit.record(
        action=AuditAction.VIEW,
        actor=token.user,
        record=token,
        request=request,
        detail={
            "step": "api_token_used",
            "method": getattr(request, "method", ""),
            "path": getattr(request, "path", "")[:200],
        },
    )
    return token


# --- Account events that end every token (connected in AccessConfig.ready) -------------------


def note_account_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the stored password hash and active flag, to see after saving what changed."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance._tokens_stored_state = stored


def end_tokens_after_save(sender, instance, created=False, raw=False, **kwargs):
    stored = getattr(instance, "_tokens_stored_state", None)
    instance._tokens_stored_state = None
    if raw or created or stored is None:
        return
    if stored["is_active"] and not instance.is_active:
        revoke_all(instance, because=ApiTokenEnd.DEACTIVATED)
    elif stored["password"] != instance.password:
        revoke_all(instance, because=ApiTokenEnd.PASSWORD_CHANGED)


def end_tokens_on_lock_out(sender, request=None, username=None, **kwargs):
    """django-axes locked the account out: a password guesser may be at work, so the tokens
    the account had end too (its owner makes new ones after signing in)."""
    if not username:
        return
    user = User.objects.filter(email=username.lower()).first()
    if user is not None:
        revoke_all(user, because=ApiTokenEnd.LOCKED_OUT)

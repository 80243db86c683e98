"""Resetting a forgotten password by an e-mailed link (issue 18), for families and staff.

- Asking gives the same answer, and does the same work in the request, whether or not the
  address has an account: one look-up, one audit entry and one background task, which sends
  the message only when there is an account to send it to (`ask`, then `send_link`).
- The link carries a token from Django's PasswordResetTokenGenerator (docs/decisions/0185):
  it works for PASSWORD_RESET_TIMEOUT (1 hour) and once, because it is a keyed hash of the
  account's password hash and last sign-in, both of which the reset changes. Nothing about it
  is stored: the message is recorded with a marker where the link goes, and the link is made
  as the message is sent (`link_for_sending`, the sealed-field mechanism invitations and
  enrolment codes use), so the messages table, the task queue and the console hold nothing
  that opens the account. Opening the link moves it into the session (`hold`: the token's
  time and a hash, not the token) and on to a page whose address holds no token, so neither
  the Referer of that page's requests nor any log line after the first carries it.
- Setting the new password applies the password validators, ends every session of the account
  (Django checks each session against a hash of the password) and its API tokens (the
  password-change signal of access.tokens), is audited, and the owner is told by e-mail. It
  does not sign anyone in: staff still pass their second factor (or enrol one with an
  administrator's code) at the next sign-in.
- Asking is limited per address and per client, counted in the database cache so every web
  worker counts together.

Notifications sit above access, so messages go out through the sender AccessConfig.ready()
registers (`register_sender`), as access.enrolment's do."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.accounts.models import User

TEMPLATE = "password_reset"
# Asking for a link: at most this many times an hour for one address, and from one client
# (an office or a school shares one address, so the client limit is the looser).
PER_ADDRESS = 5
PER_CLIENT = 20
WINDOW = dt.timedelta(hours=1)

_senders: list[Callable[..., object]] = []


def register_sender(send: Callable[..., object]) -> None:
    """`send(template=, to=, personalisation=, key=, user=, sealed=)`: notifications.notify."""
    _senders[:] = [send]


class _Tokens(PasswordResetTokenGenerator):
    # Its own salt: a token made for anything else in Django is not a reset link here.
    key_salt = "everychild.access.password_reset"

    def token_made_at(self, user, made) -> str | None:
        """The token this generator makes for `user` as it is now, at time `made`."""
        if not isinstance(made, int):
            return None
        return self._make_token_with_timestamp(user, made, self.secret)

    def age_if_genuine(self, user, token: str) -> int | None:
        """Seconds since a genuine token for `user` was made, whatever its age; None if the
        token was not made for this account as it is now (forged, or already used)."""
        try:
            made = base36_to_int(token.split("-")[0])
        except ValueError:
            return None
        for secret in [self.secret, *self.secret_fallbacks]:
            if hmac.compare_digest(self._make_token_with_timestamp(user, made, secret), token):
                return self._num_seconds(self._now()) - made
        return None


tokens = _Tokens()


class LinkProblem(Exception):
    """A reset link that cannot be used: "expired", or "invalid" (used, forged, mistyped)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def _keyed(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def allow_asking(*, email: str, client: str | None) -> bool:
    """Count one request for a link; False once the address or the client has asked too
    often in the WINDOW that began with its first request. Known and unknown addresses count
    alike."""
    now = timezone.now().timestamp()
    allowed = True
    for kind, value, limit in (
        ("address", email.strip().lower(), PER_ADDRESS),
        ("client", client or "unknown", PER_CLIENT),
    ):
        # Keyed hashes: the cache table holds no address.
        key = f"password-reset:{kind}:{_keyed(value)}"
        # The window's end is kept with the count and every write keeps it (the cache's own
        # incr would restart the expiry at its 5-minute default on every request).
        count, ends = cache.get(key) or (0, 0.0)
        if ends <= now:
            count, ends = 0, now + WINDOW.total_seconds()
        count += 1
        cache.set(key, (count, ends), timeout=max(1, int(ends - now) + 1))
        allowed = allowed and count <= limit
    return allowed


def _eligible(user: User | None) -> bool:
    # A deactivated account gets no link; nor does one with no usable password (a service
    # account for the API, or one still to accept its invitation), which must not gain one.
    return user is not None and user.is_active and user.has_usable_password()


def ask(*, email: str, request=None) -> int | None:
    """Someone asked for a reset link for `email`. Returns the account to send it to (its id),
    or None; either way one look-up and one audit entry, so the request takes as long."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    eligible = _eligible(user)
    audit.record(
        action=AuditAction.CREATE,
        record=user if eligible else None,
        request=request,
        detail={"step": "password_reset_asked"},
    )
    return user.pk if eligible else None


def send_link(*, user_id: int | None) -> None:
    """Record the reset message for the account; its link is made as it is sent."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    if not _eligible(user):
        return
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    _senders[0](
        template=TEMPLATE,
        to=user.email,
        personalisation={"count": str(settings.PASSWORD_RESET_TIMEOUT // 60)},
        key=f"password-reset:{user.pk}:{stamp}",
        user=user,
        sealed=("link",),
    )


def link_for_sending(message) -> dict[str, str] | None:
    """The sealed link of a reset message, made at the moment of sending. None (not sent) if
    the account can no longer reset, or the message waited longer than a link would live."""
    user = User.objects.filter(pk=message.user_id).first()
    age = (timezone.now() - message.created_at).total_seconds()
    if not _eligible(user) or age > settings.PASSWORD_RESET_TIMEOUT:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:password-reset-link", args=[uid, tokens.make_token(user)])
    return {"link": settings.SERVICE_BASE_URL.rstrip("/") + path}


def account_for_link(uidb64: str, token: str) -> User:
    """The account a link opens, or LinkProblem saying why it does not."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        raise LinkProblem("invalid") from None
    user = User.objects.filter(pk=user_id).first()
    if not _eligible(user):
        raise LinkProblem("invalid")
    age = tokens.age_if_genuine(user, token)
    if age is None:
        raise LinkProblem("invalid")
    if age > settings.PASSWORD_RESET_TIMEOUT:
        raise LinkProblem("expired")
    return user


def hold(user: User, token: str) -> dict:
    """What the session keeps between opening the link and choosing the password, so the form
    page's address carries no token (nor the Referer of its requests, nor the logs): the
    token's time and a hash of it, which open nothing outside this session."""
    return {
        "user": user.pk,
        "made": base36_to_int(token.split("-")[0]),
        "check": hashlib.sha256(token.encode()).hexdigest(),
    }


def account_held(held: dict | None) -> User:
    """The account a held link opens while the link would still work, or LinkProblem."""
    if not isinstance(held, dict):
        raise LinkProblem("invalid")
    user = User.objects.filter(pk=held.get("user")).first()
    if not _eligible(user):
        raise LinkProblem("invalid")
    # The token made now for the account as it is now: the same one while nothing has changed.
    token = tokens.token_made_at(user, held.get("made"))
    if token is None or not hmac.compare_digest(
        hashlib.sha256(token.encode()).hexdigest(), str(held.get("check", ""))
    ):
        raise LinkProblem("invalid")
    if tokens.age_if_genuine(user, token) > settings.PASSWORD_RESET_TIMEOUT:
        raise LinkProblem("expired")
    return user


def set_new_password(*, held: dict | None, password: str, request=None) -> User:
    """Give the account its new password, if the link still opens it. The link, every session
    and every API token of the account stop working; the owner is told."""
    with transaction.atomic():
        # The account locked first: two tabs posting the same link change the password once.
        held_id = held.get("user") if isinstance(held, dict) else None
        User.objects.select_for_update().filter(pk=held_id).first()
        user = account_held(held)
        try:
            validate_password(password or "", user=user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
        # The password field alone: access.tokens sees it change and revokes the API tokens.
        user.save(update_fields=["password"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=user,
            record=user,
            request=request,
            detail={"step": "password_reset"},
        )
        stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
        _senders[0](
            template="password_changed",
            to=user.email,
            personalisation={
                "sign_in_link": settings.SERVICE_BASE_URL.rstrip("/") + reverse("accounts:sign-in")
            },
            key=f"password-changed:{user.pk}:{stamp}",
            user=user,
        )
    return user

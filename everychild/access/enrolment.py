"""Enrolling a staff member's second factor (issue 17).

A staff member adds an authenticator app only with a one-time enrolment code that an
administrator issues when the account is made or its second factor reset: sent by Notify to
the member (the code is made as the message is sent, like an invitation link, so no readable
copy is kept) or shown once to the administrator. Only a keyed hash of the code is stored; it
works once, for ENROLMENT_LIFETIME, and MAX_ATTEMPTS wrong tries end it. The member is told by
e-mail whenever a device is added or removed.

Notifications sit above access, so messages go through the sender AccessConfig.ready()
registers (`register_sender`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.accounts.models import EnrolmentCode

ENROLMENT_LIFETIME = dt.timedelta(days=7)
MAX_ATTEMPTS = 5
# Without 0, O, 1, I: read from an e-mail or a screen and typed.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

_senders: list[Callable[..., object]] = []


def register_sender(send: Callable[..., object]) -> None:
    """`send(template=, to=, personalisation=, key=, user=, sealed=)`: notifications.notify."""
    _senders[:] = [send]


def _hash(code: str) -> str:
    normal = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _tell(user, template: str, key: str, sealed: tuple[str, ...] = ()) -> None:
    link = settings.SERVICE_BASE_URL.rstrip("/") + reverse("accounts:sign-in")
    _senders[0](
        template=template,
        to=user.email,
        personalisation={"sign_in_link": link},
        key=key,
        user=user,
        sealed=sealed,
    )


def issue(*, user, actor=None, show: bool = False, request=None) -> str | None:
    """A new enrolment code for `user`; earlier unused ones stop working. With `show` the code
    is returned, to be shown once to the administrator; otherwise it is e-mailed to the user
    and None is returned."""
    now = timezone.now()
    code = _new_code()
    with transaction.atomic():
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        # E-mailed: the code is made again as the message is sent (code_for_sending), so this
        # first one is never known to anyone.
        entry = EnrolmentCode.objects.create(
            user=user,
            code_hash=_hash(code),
            expires_at=now + ENROLMENT_LIFETIME,
            issued_by=actor,
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            record=entry,
            request=request,
            detail={"step": "enrolment_code_issued", "shown": show, "for": user.email},
        )
        if not show:
            _tell(user, "two_factor_enrolment", f"enrolment-code:{entry.pk}", sealed=("code",))
    return code if show else None


def code_for_sending(message) -> dict[str, str] | None:
    """The sealed code of an enrolment message, made as it is sent; only its hash is kept."""
    entry_id = int(message.key.removeprefix("enrolment-code:"))
    code = _new_code()
    updated = EnrolmentCode.objects.filter(
        pk=entry_id, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(code_hash=_hash(code))
    if not updated:
        return None  # replaced or expired: the message is not sent
    return {"code": code}


def check(*, user, code: str) -> EnrolmentCode | None:
    """The user's live enrolment code if `code` is it; every try counts towards MAX_ATTEMPTS."""
    entry = (
        EnrolmentCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at", "-pk")
        .first()
    )
    if entry is None or entry.attempts >= MAX_ATTEMPTS:
        return None
    EnrolmentCode.objects.filter(pk=entry.pk).update(attempts=F("attempts") + 1)
    if not hmac.compare_digest(entry.code_hash, _hash(code or "")):
        return None
    return entry


def confirm_device(*, user, device: TOTPDevice, entry: EnrolmentCode, request=None) -> None:
    """The authenticator app proved it has the key: the device counts, the code is spent,
    and the user is told a device was added."""
    with transaction.atomic():
        spent = EnrolmentCode.objects.filter(pk=entry.pk, user=user, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not spent:
            raise PermissionError("The enrolment code was used or replaced.")
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(
            action=AuditAction.UPDATE,
            actor=user,
            record=device,
            request=request,
            detail={"step": "second_factor_added"},
        )
        _tell(user, "two_factor_device_added", f"second-factor-added:{device.pk}")


def reset(*, user, actor=None, request=None) -> None:
    """An administrator removes the user's authenticator devices (a lost phone); the user is
    told, and must be issued a new enrolment code to add another."""
    with transaction.atomic():
        devices = list(TOTPDevice.objects.filter(user=user))
        TOTPDevice.objects.filter(pk__in=[d.pk for d in devices]).delete()
        audit.record(
            action=AuditAction.DELETE,
            actor=actor,
            record=user,
            request=request,
            detail={"step": "second_factor_removed", "devices": len(devices)},
        )
        stamp = int(timezone.now().timestamp())
        _tell(user, "two_factor_device_removed", f"second-factor-removed:{user.pk}:{stamp}")

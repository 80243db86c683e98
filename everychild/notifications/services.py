"""Sending messages: the one way any part of EveryChild tells someone something.

    notify(template="draft_plan_ready", to=parent.email,
           personalisation={"reference": case.reference, "last_date": "14 April 2026",
                            "sign_in_link": sign_in_url()},
           key=f"draft-ready:{case.pk}:{case.draft_plan_served_on}", child=case.child)

- `key` makes it idempotent: a second call with the same key sends nothing and returns the
  first message, so sweeps and retried tasks can call it freely.
- The message is recorded, then handed to the task framework after the surrounding
  transaction commits (a rolled-back change sends nothing).
- A failure the provider calls temporary is retried with growing gaps by
  `send_due_messages` (run by the worker or cron: `manage.py send_due_messages`); a message
  that might have gone out is never resent automatically.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction

from .backends import PermanentFailure, TemporaryFailure, UncertainDelivery, get_backend
from .models import Channel, Message, Status
from .templates import get_template

# Retry gaps after the 1st, 2nd, … temporary failure; then give up (about a day in all).
RETRY_GAPS = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=3),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_GAPS) + 1
# A message still "being sent" after this long lost its worker mid-send.
STALE_SENDING = dt.timedelta(minutes=15)


# Fields that are credentials (an invitation link): the app that owns them makes their values
# at the moment of sending, through the provider it registers here from AppConfig.ready(), so
# the messages table, the task queue and the console never hold a usable copy (issue 17).
_SEALED_PROVIDERS: dict[str, Callable[[Message], dict[str, str] | None]] = {}


def sealed_marker(field: str) -> str:
    """What the stored message holds where a sealed field went out."""
    return f"[{field} sent to the recipient only: not kept]"


def register_sealed(template: str, provider: Callable[[Message], dict[str, str] | None]) -> None:
    """`provider(message)` returns the sealed fields' values for one sending, or None when
    what they open no longer exists (a used invitation): the message then fails for good."""
    _SEALED_PROVIDERS[template] = provider


def sign_in_url() -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + reverse("accounts:sign-in")


def notify(
    *,
    template: str,
    to: str,
    personalisation: dict[str, str] | None = None,
    key: str,
    channel: str = Channel.EMAIL,
    child=None,
    user=None,
    sealed: Iterable[str] = (),
) -> Message:
    """Record a message and have it sent; the existing message if `key` was used before.
    `sealed` names fields whose values the template's registered provider makes when the
    message is sent; only a marker is stored."""
    if not to:
        raise ValueError("A message needs an address to go to.")
    if not key or len(key) > 200:
        raise ValueError("A message needs an idempotency key of at most 200 characters.")
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    sealed = tuple(sealed)
    if sealed and template not in _SEALED_PROVIDERS:
        raise ValueError(f"No provider is registered for the sealed fields of {template!r}.")
    values = {
        "service_name": settings.SERVICE_NAME,
        **(personalisation or {}),
        **{field: sealed_marker(field) for field in sealed},
    }
    message_template = get_template(template)
    subject, body = message_template.render(values)
    if channel == Channel.SMS:
        subject = ""
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=key,
                template=template,
                channel=channel,
                to=to,
                subject=subject[:200],
                body=body,
                user=user,
                child=child,
            )
            if child is not None:
                audit.record(
                    action=AuditAction.CREATE,
                    child=child,
                    record=message,
                    detail={"template": template},
                )
    except IntegrityError:
        # Another worker recorded the same key between our look and our insert.
        return Message.objects.get(key=key)
    transaction.on_commit(lambda: enqueue_send(message.pk))
    return message


def enqueue_send(message_id: int) -> None:
    from .tasks import send_message  # the tasks module imports this one

    send_message.enqueue(message_id)


def deliver(message_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one message if it is due; returns its status afterwards. Safe to run twice."""
    now = now or timezone.now()
    # Claim it: only one worker moves a message from waiting to being sent.
    claimed = (
        Message.objects.filter(pk=message_id, status__in=[Status.QUEUED, Status.RETRYING])
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=Status.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
            claimed_at=now,
        )
    )
    message = Message.objects.get(pk=message_id)
    if not claimed:
        return message.status
    try:
        reference = get_backend().send(_outgoing(message))
    except TemporaryFailure as error:
        if message.attempts >= MAX_ATTEMPTS:
            message.status = Status.FAILED
        else:
            message.status = Status.RETRYING
            message.next_attempt_at = now + RETRY_GAPS[message.attempts - 1]
        message.last_error = str(error)[:500]
    except PermanentFailure as error:
        message.status = Status.FAILED
        message.last_error = str(error)[:500]
    except UncertainDelivery as error:
        message.status = Status.UNCERTAIN
        message.last_error = str(error)[:500]
    except Exception as error:  # noqa: BLE001 - an unexpected fault: we cannot know if it went
        message.status = Status.UNCERTAIN
        message.last_error = f"{type(error).__name__}: {error}"[:500]
    else:
        message.status = Status.SENT
        message.sent_at = now
        message.provider_reference = reference[:100]
        message.last_error = ""
    message.save(
        update_fields=[
            "status",
            "next_attempt_at",
            "last_error",
            "sent_at",
            "provider_reference",
        ]
    )
    return message.status


def _outgoing(message: Message) -> Message:
    """The message as it goes to the provider: sealed fields filled for this sending only, on
    an unsaved copy, with the values noted so a backend that shows messages can withhold them."""
    provider = _SEALED_PROVIDERS.get(message.template)
    outgoing = copy.copy(message)
    outgoing.sealed_values = []
    if provider is None:
        return outgoing
    values = provider(message)
    if values is None:
        raise PermanentFailure("What this message opens was used, replaced or has expired.")
    for field, value in values.items():
        marker = sealed_marker(field)
        outgoing.subject = outgoing.subject.replace(marker, value)
        outgoing.body = outgoing.body.replace(marker, value)
        outgoing.sealed_values.append(value)
    return outgoing


def send_due_messages(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The sweep: send what is waiting and due; mark abandoned sends as uncertain."""
    now = now or timezone.now()
    abandoned = Message.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - STALE_SENDING
    ).update(status=Status.UNCERTAIN, last_error="The sending worker stopped before it finished.")
    due = list(
        Message.objects.filter(status__in=[Status.QUEUED, Status.RETRYING])
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    outcomes: dict[str, int] = {"abandoned": abandoned}
    for message_id in due:
        status = deliver(message_id, now=now)
        outcomes[status] = outcomes.get(status, 0) + 1
    return outcomes


def send_again(message: Message, *, actor, request=None) -> Message:
    """An administrator's decision to try a failed or uncertain message once more."""
    if message.status not in (Status.FAILED, Status.UNCERTAIN):
        raise ValueError(
            "Only a failed message, or one not known to have been sent, can be sent again."
        )
    Message.objects.filter(pk=message.pk).update(
        status=Status.RETRYING, next_attempt_at=None, last_error=""
    )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        child=message.child_id,
        record=message,
        request=request,
        detail={"send_again": True},
    )
    transaction.on_commit(lambda: enqueue_send(message.pk))
    message.refresh_from_db()
    return message

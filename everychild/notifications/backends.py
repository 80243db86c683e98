"""Where messages go. `NotifyBackend` when NOTIFY_API_KEY is set; `LocalBackend` otherwise.

A backend's `send` returns the provider's reference or raises one of the two errors below, so
the sending task can tell "try again later" from "this will never work"."""

from __future__ import annotations

import logging
import sys
from collections import deque

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import ConnectionError as RequestsConnectionError
from requests import ReadTimeout

from .models import Channel, Message

logger = logging.getLogger(__name__)


class TemporaryFailure(Exception):
    """Not delivered to the provider; safe to try again (it is down, or too busy)."""


class PermanentFailure(Exception):
    """The provider refused it (a bad address, a bad key): trying again will not help."""


class UncertainDelivery(Exception):
    """The provider may have taken it (the answer never came back): do not resend."""


class LocalBackend:
    """For development and the demonstration: writes the message to the console; the message
    table (the administrators' "Messages sent" page) is the record. A sealed value (an
    invitation link) is a credential: the console shows it withheld, and only `outbox`, this
    process's memory of what went out, holds the message as a recipient would have it (tests
    and the browser journeys read their links there, as a person reads their inbox)."""

    outbox: deque = deque(maxlen=200)

    def send(self, message: Message) -> str:
        self.outbox.append(message)
        body = message.body
        for value in getattr(message, "sealed_values", ()):
            body = body.replace(value, "[withheld from the console]")
        lines = [f"--- {message.get_channel_display()} to {message.to}"]
        if message.subject:
            lines.append(f"Subject: {message.subject}")
        lines += ["", body, "---"]
        sys.stdout.write("\n".join(lines) + "\n")
        return f"local-{message.pk}"


class NotifyBackend:
    """GOV.UK Notify. Notify holds one generic e-mail template (((subject)) and ((body))) and
    one text message template (((body))); the wording is ours, in the repository."""

    def __init__(self):
        if not settings.NOTIFY_API_KEY:
            raise ImproperlyConfigured("NotifyBackend needs NOTIFY_API_KEY.")
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY, timeout=15)

    def send(self, message: Message) -> str:
        try:
            if message.channel == Channel.SMS:
                response = self.client.send_sms_notification(
                    phone_number=message.to,
                    template_id=_template_id("NOTIFY_SMS_TEMPLATE_ID"),
                    personalisation={"body": message.body},
                    reference=message.key,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=message.to,
                    template_id=_template_id("NOTIFY_EMAIL_TEMPLATE_ID"),
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=message.key,
                )
        except APIError as error:
            cause = error.__cause__
            if isinstance(cause, ReadTimeout):
                raise UncertainDelivery(str(error)) from error
            if isinstance(cause, RequestsConnectionError) or error.status_code in (
                429,
                500,
                502,
                503,
                504,
            ):
                raise TemporaryFailure(str(error)) from error
            raise PermanentFailure(str(error)) from error
        return str(response.get("id", ""))


def _template_id(setting: str) -> str:
    value = getattr(settings, setting, "")
    if not value:
        raise PermanentFailure(f"{setting} is not set: the Notify template to send through.")
    return value


def get_backend():
    return import_string(settings.NOTIFICATIONS_BACKEND)()

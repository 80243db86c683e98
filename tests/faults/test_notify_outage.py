"""GOV.UK Notify unavailable for a while, as an operator lives it: several messages are asked
for during the outage, every one waits (none lost, none sent), and the `send_due_messages`
command run from cron sends each exactly once when Notify is back. (The notifications app's own
tests check one message's retries and the at-most-once rule through the service; this is the
outage seen through the command.)"""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from everychild.notifications import services
from everychild.notifications.models import Message, Status
from everychild.notifications.tests.scripted_backend import ScriptedBackend

pytestmark = pytest.mark.django_db
BACKEND = "everychild.notifications.tests.scripted_backend.ScriptedBackend"


def sweep() -> str:
    out = io.StringIO()
    call_command("send_due_messages", stdout=out)
    return out.getvalue()


def test_messages_asked_for_during_an_outage_wait_and_each_goes_once_when_notify_returns(
    settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_BACKEND = BACKEND
    start = timezone.now()
    # Notify answers 503 to the first try of each of the five messages and to one retry.
    ScriptedBackend.reset(*["temporary"] * 6)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            services.notify(
                template="test_message",
                to=f"person{n}@example.org",
                personalisation={"reference": f"EHC-2026-0000{n}"},
                key=f"outage:{n}",
            )
    assert Message.objects.filter(status=Status.RETRYING).count() == 5
    assert ScriptedBackend.delivered == []

    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        first = sweep()  # one more failure, then Notify is back for the other four
    assert "retrying: 1" in first and "sent: 4" in first

    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert "sent: 1" in sweep()
        assert "sent" not in sweep().replace("abandoned", "")  # nothing left to send

    assert Message.objects.filter(status=Status.SENT).count() == 5
    keys = sorted(key for key, _, _ in ScriptedBackend.delivered)
    assert keys == [f"outage:{n}" for n in range(5)]  # each once, none twice

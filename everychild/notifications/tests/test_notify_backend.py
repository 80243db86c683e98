"""The GOV.UK Notify backend tells temporary from permanent failures, without the network."""

import pytest
import requests
from notifications_python_client.errors import HTTPError

from everychild.notifications.backends import (
    NotifyBackend,
    PermanentFailure,
    TemporaryFailure,
    UncertainDelivery,
)
from everychild.notifications.models import Message

FAKE_KEY = "test_key-" + "0" * 36 + "-" + "1" * 36


def response(status):
    r = requests.Response()
    r.status_code = status
    r._content = b'{"errors": [{"message": "no"}]}'
    return r


def failing(cause):
    def send(**kwargs):
        error = HTTPError.create(cause)
        raise error from cause

    return send


@pytest.fixture
def backend(settings):
    settings.NOTIFY_API_KEY = FAKE_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    return NotifyBackend()


MESSAGE = Message(pk=1, key="k", to="a@example.org", subject="S", body="B", template="t")


def test_it_sends_the_subject_and_body_through_one_generic_template(backend, monkeypatch):
    seen = {}

    def send(**kwargs):
        seen.update(kwargs)
        return {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"}

    monkeypatch.setattr(backend.client, "send_email_notification", send)
    assert backend.send(MESSAGE) == "740e5834-3a29-46b4-9a6f-16142fde533a"
    assert seen["personalisation"] == {"subject": "S", "body": "B"}
    assert seen["reference"] == "k"


@pytest.mark.parametrize(
    ("cause", "expected"),
    [
        (requests.ConnectionError("refused"), TemporaryFailure),
        (requests.HTTPError(response=response(503)), TemporaryFailure),
        (requests.HTTPError(response=response(429)), TemporaryFailure),
        (requests.HTTPError(response=response(400)), PermanentFailure),
        (requests.HTTPError(response=response(403)), PermanentFailure),
        (requests.ReadTimeout("timed out"), UncertainDelivery),
    ],
)
def test_failures_are_classified(backend, monkeypatch, cause, expected):
    monkeypatch.setattr(backend.client, "send_email_notification", failing(cause))
    with pytest.raises(expected):
        backend.send(MESSAGE)


def test_without_a_template_id_it_fails_permanently(backend, settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    with pytest.raises(PermanentFailure, match="NOTIFY_EMAIL_TEMPLATE_ID"):
        backend.send(MESSAGE)

"""A session ends after an absolute lifetime (12 hours by default) even if it was never left
idle: a session cookie stolen or left signed in on a shared computer does not live for ever
by being kept busy (NCSC cloud security principle 10, identity and authentication)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_a_busy_session_still_ends_after_its_absolute_lifetime(client, caseworker, settings):
    assert settings.SESSION_ABSOLUTE_LIFETIME_SECONDS == 12 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(caseworker)
    # Busy every 20 minutes: never idle long enough for the idle time-out.
    for step in range(1, 36):
        with time_machine.travel(start + dt.timedelta(minutes=20 * step), tick=False):
            assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=12, minutes=10), tick=False):
        response = client.get("/children/")
        assert response.status_code == 302
        assert response["Location"] == "/account/sign-in/?timed_out=lifetime"
        page = client.get(response["Location"]).content.decode()
        assert "You were signed out because you signed in more than 12 hours ago." in page
        assert client.get("/").status_code == 302  # signed out for good


def test_signing_in_again_starts_a_new_lifetime(client, caseworker):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(caseworker)
    with time_machine.travel(start + dt.timedelta(hours=13), tick=False):
        client.get("/")  # signed out: past both limits
        client.force_login(caseworker)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=13, minutes=20), tick=False):
        assert client.get("/").status_code == 200

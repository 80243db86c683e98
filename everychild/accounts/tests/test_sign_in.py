"""Signing in and out: one message for every failure, lock-out after repeated failures,
signing out after a period without activity."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from everychild.accounts.forms import GENERIC_SIGN_IN_ERROR
from everychild.accounts.models import Role
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/sign-in/"


@pytest.fixture
def parent():
    return factories.make_user(Role.PARENT, email="parent@example.test", full_name="Pat Parent")


def _sign_in(client, email, password, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_signing_in_with_the_right_password_reaches_home(client, parent):
    response = _sign_in(client, "parent@example.test", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Hello, Pat" in client.get("/").content.decode()


def test_the_email_address_is_not_case_sensitive(client, parent):
    _sign_in(client, "Parent@Example.TEST", TEST_PASSWORD)
    assert _signed_in(client)


def test_an_unknown_address_and_a_wrong_password_get_the_same_answer(client, parent):
    unknown = _sign_in(client, "nobody@example.test", TEST_PASSWORD)
    wrong = _sign_in(client, "parent@example.test", "not the password at all")
    for response in (unknown, wrong):
        assert response.status_code == 200
        text = response.content.decode()
        assert GENERIC_SIGN_IN_ERROR in text
        assert "There is a problem" in text
    assert unknown.context["form"].errors == wrong.context["form"].errors
    assert not _signed_in(client)


def test_an_empty_or_mistyped_sign_in_says_what_to_do_as_gov_uk_does(client):
    # Django's own "This field is required." told a parent nothing about which box or why.
    empty = _sign_in(client, "", "").context["form"].errors
    assert empty == {"email": ["Enter your e-mail address."], "password": ["Enter your password."]}
    mistyped = _sign_in(client, "parent.example.test", "x").context["form"].errors
    assert mistyped == {"email": ["Enter an e-mail address like name@example.com."]}


def test_a_deactivated_account_cannot_sign_in(client, parent):
    parent.is_active = False
    parent.save()
    response = _sign_in(client, "parent@example.test", TEST_PASSWORD)
    assert GENERIC_SIGN_IN_ERROR in response.content.decode()
    assert not _signed_in(client)


def test_after_five_failures_the_account_is_locked_from_that_address(client, parent):
    statuses = [
        _sign_in(client, "parent@example.test", f"wrong password {n}").status_code for n in range(5)
    ]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    # Now even the right password is refused, with the lock-out page.
    locked = _sign_in(client, "parent@example.test", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert not _signed_in(client)


def test_the_lock_is_for_that_account_and_address_only(client, parent):
    for n in range(5):
        _sign_in(client, "parent@example.test", f"wrong password {n}")
    other = factories.make_user(Role.PARENT, email="other@example.test")
    assert _sign_in(client, other.email, TEST_PASSWORD).status_code == 302
    client.logout()
    elsewhere = _sign_in(client, "parent@example.test", TEST_PASSWORD, REMOTE_ADDR="198.51.100.4")
    assert elsewhere.status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client, parent):
    for n in range(4):
        _sign_in(client, "parent@example.test", f"wrong password {n}")
    assert _sign_in(client, "parent@example.test", TEST_PASSWORD).status_code == 302
    client.post("/account/sign-out/")
    for n in range(4):
        assert _sign_in(client, "parent@example.test", f"wrong again {n}").status_code == 200
    assert _sign_in(client, "parent@example.test", TEST_PASSWORD).status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client, parent):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(5):
            _sign_in(client, "parent@example.test", f"wrong password {n}")
        assert _sign_in(client, "parent@example.test", TEST_PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        assert _sign_in(client, "parent@example.test", TEST_PASSWORD).status_code == 302


def test_sign_in_only_returns_to_pages_of_this_service(client, parent):
    response = client.post(
        SIGN_IN,
        {"email": parent.email, "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
    client.logout()
    response = client.post(
        SIGN_IN, {"email": parent.email, "password": TEST_PASSWORD, "next": "/children/"}
    )
    assert response["Location"] == "/children/"


def test_signing_out_needs_a_post_and_ends_the_session(client, parent):
    client.force_login(parent)
    assert client.get("/account/sign-out/").status_code == 405
    assert _signed_in(client)
    response = client.post("/account/sign-out/", follow=True)
    assert "You have signed out." in response.content.decode()
    assert not _signed_in(client)


# --- Idle timeout -------------------------------------------------------------------------


def test_a_session_left_idle_is_signed_out(client, caseworker, settings):
    assert settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(caseworker)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get("/children/")
        assert response.status_code == 302
        assert response["Location"] == "/account/sign-in/?timed_out=1"
        page = client.get(response["Location"]).content.decode()
        assert "You were signed out because you had not done anything for a while." in page
        # Signed out for good, not just redirected once.
        assert client.get("/").status_code == 302
        assert client.get("/").headers["Location"] == "/account/sign-in/?next=/"


def test_activity_keeps_a_session_alive(client, caseworker):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(caseworker)
        client.get("/")
    for minutes in (25, 50, 75):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, minutes

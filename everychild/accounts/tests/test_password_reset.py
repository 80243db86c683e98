"""Issue 18: a forgotten password is reset by an e-mailed link that works once, for an hour,
for families and staff alike.

The attacks: finding out whether an address has an account from the answer (or its timing),
replaying a link (from the messages table, or a second time), using an old link, hammering the
form, and using a reset to step past a staff member's second factor."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access import password_reset, tokens
from everychild.access.models import AuditEntry
from everychild.accounts.models import ApiToken, Role
from everychild.notifications.models import Message, Status
from everychild.notifications.services import deliver, sealed_marker
from everychild.testing import factories, inbox
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ASK = "/account/forgotten-password/"
SENT = "/account/forgotten-password/sent/"
NEW = "/account/reset-password/new/"
NEW_PASSWORD = "a brand new long passphrase"


@pytest.fixture
def parent():
    return factories.make_user(Role.PARENT, email="parent@example.test", full_name="Pat Parent")


def _ask(client, email, **extra):
    return client.post(ASK, {"email": email}, **extra)


def _link_for(client, user) -> str:
    _ask(client, user.email)
    return inbox.password_reset_link(user.email)


def _open(client, link):
    """Open the e-mailed link, as the recipient does; it leads on to the form."""
    response = client.get(link)
    if response.status_code == 302:
        assert response["Location"] == NEW
    return response


def _set(client, password=NEW_PASSWORD, again=None):
    return client.post(NEW, {"password": password, "password_again": again or password})


def _reset(client, user, password=NEW_PASSWORD):
    _open(client, _link_for(client, user))
    return _set(client, password)


def _signs_in(client, email, password) -> bool:
    response = client.post("/account/sign-in/", {"email": email, "password": password})
    return response.status_code == 302


def test_the_sign_in_page_offers_a_reset(client):
    page = client.get("/account/sign-in/").content.decode()
    assert "Forgotten your password?" in page
    assert f'href="{ASK}"' in page


def test_known_unknown_and_deactivated_addresses_get_the_same_answer(client, parent):
    gone = factories.make_user(Role.PARENT, email="gone@example.test", is_active=False)
    answers = [_ask(client, email) for email in (parent.email, "nobody@example.test", gone.email)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, SENT)}
    # Followed by a fresh browser each, the pages are the same to the byte.
    pages = {
        Client().post(ASK, {"email": email}, follow=True).content
        for email in (parent.email, "nobody@example.test", gone.email)
    }
    assert len(pages) == 1
    assert "If the address you entered has an account" in pages.pop().decode()
    # Only the account that can reset is sent anything.
    assert set(Message.objects.values_list("to", flat=True)) == {parent.email}


def test_asking_does_the_same_work_whether_or_not_the_address_has_an_account(
    client, parent, settings
):
    """The request itself differs in nothing an observer could time: the same queries, and one
    task enqueued either way (the worker decides whether there is anything to send)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _ask(client, "warm-up@example.test")  # the client's own count exists from here on
    counts = []
    for email in (parent.email, "nobody@example.test"):
        with CaptureQueriesContext(connection) as queries:
            _ask(client, email)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert not Message.objects.exists()


def test_the_link_works_once_and_not_twice(client, parent):
    link = _link_for(client, parent)
    assert _open(client, link).status_code == 302
    page = client.get(NEW)
    assert page.status_code == 200
    assert "Choose a new password" in page.content.decode()
    assert parent.email in page.content.decode()
    done = _set(client)
    assert done.status_code == 302 and done["Location"] == "/account/sign-in/"
    assert "Your password has been changed" in client.get(done["Location"]).content.decode()
    assert _signs_in(client, parent.email, NEW_PASSWORD)
    client.post("/account/sign-out/")

    again = _open(client, link)
    assert again.status_code == 410
    assert "This link cannot be used" in again.content.decode()
    assert _set(client, password="another long passphrase").status_code == 410
    assert _signs_in(client, parent.email, NEW_PASSWORD)


def test_a_link_opened_in_two_places_changes_the_password_once(client, parent):
    link = _link_for(client, parent)
    other = Client()
    _open(client, link)
    _open(other, link)
    assert _set(client).status_code == 302
    assert _set(other, password="the attacker's passphrase").status_code == 410
    parent.refresh_from_db()
    assert parent.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_with_a_clear_page(client, parent):
    link = _link_for(client, parent)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        response = _open(client, link)
        assert response.status_code == 410
        page = response.content.decode()
        assert "This link has expired" in page
        assert "Ask for a new link" in page
    # Opened in time, but the form sent after the hour: refused too.
    _open(client, link)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        late = _set(client)
        assert late.status_code == 410
        assert "This link has expired" in late.content.decode()
    parent.refresh_from_db()
    assert parent.check_password(TEST_PASSWORD)


def test_a_forged_or_mangled_link_is_refused(client, parent):
    link = _link_for(client, parent)
    mangled = link[:-3] + ("a/" if link[-3] != "a" else "b/")
    for bad in (mangled, "/account/reset-password/MQ/abc-123/", "/account/reset-password/!!/x/"):
        response = _open(client, bad)
        assert response.status_code == 410, bad
        assert "This link cannot be used" in response.content.decode()
    # Nor is the form there without a link.
    assert Client().get(NEW).status_code == 410


def test_the_messages_table_holds_no_usable_link(client, parent):
    link = _link_for(client, parent)  # sent: the recipient has a working link
    stored = Message.objects.get(template="password_reset")
    assert stored.status == Status.SENT
    assert sealed_marker("link") in stored.body
    token = link.rstrip("/").rsplit("/", 1)[1]
    _open(client, link)  # the session holds the link's place, not the link
    everything_kept = (
        str(list(Message.objects.values()))
        + str(list(AuditEntry.objects.values()))
        + str(dict(client.session.items()))
    )
    assert token not in everything_kept
    assert not inbox.PASSWORD_RESET_LINK.search(everything_kept)


def test_a_message_that_waited_longer_than_a_link_lives_is_not_sent(client, parent, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    password_reset.send_link(user_id=parent.pk)
    message = Message.objects.get(template="password_reset")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert deliver(message.pk) == Status.FAILED


def test_the_new_password_must_pass_the_password_rules(client, parent):
    _open(client, _link_for(client, parent))
    for password, again, problem in (
        ("short", "short", "too short"),
        (NEW_PASSWORD, "something else entirely", "The two passwords are not the same"),
        ("", "", "Enter a new password"),
    ):
        page = _set(client, password, again).content.decode()
        assert "There is a problem" in page
        assert problem in page
    # Nothing changed, and the link still works.
    parent.refresh_from_db()
    assert parent.check_password(TEST_PASSWORD)
    assert _set(client).status_code == 302


def test_a_reset_ends_every_session_and_api_token_and_the_owner_is_told(client, caseworker):
    elsewhere = Client()
    elsewhere.force_login(caseworker)
    assert elsewhere.get("/").status_code == 200
    _token, key = tokens.issue(user=caseworker, name="sync", by_command=True)

    _reset(client, caseworker)

    assert elsewhere.get("/").status_code == 302  # signed out
    assert tokens.authenticate(key) is None
    assert ApiToken.objects.get(user=caseworker).revoked_at is not None
    told = Message.objects.get(template="password_changed")
    assert told.to == caseworker.email
    assert "was just changed" in told.body
    assert AuditEntry.objects.filter(
        record_id=str(caseworker.pk), detail__step="password_reset"
    ).exists()


def test_a_staff_member_still_needs_the_second_factor_after_a_reset(client, caseworker, settings):
    settings.REQUIRE_STAFF_2FA = True
    TOTPDevice.objects.create(user=caseworker, name="Phone", confirmed=True)
    _reset(client, caseworker)
    assert not client.get("/").wsgi_request.user.is_authenticated  # the reset signs no one in
    assert _signs_in(client, caseworker.email, NEW_PASSWORD)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/")


def test_a_staff_member_with_no_device_still_needs_an_enrolment_code(client, caseworker, settings):
    settings.REQUIRE_STAFF_2FA = True
    _reset(client, caseworker)
    _signs_in(client, caseworker.email, NEW_PASSWORD)
    page = client.get("/", follow=True).content.decode()
    assert "enrolment code" in page.lower()
    assert "<svg" not in page  # no key to add to an app


def test_an_account_with_no_usable_password_is_sent_nothing(client):
    service = factories.UserFactory(email="robot@example.test")
    service.set_unusable_password()
    service.save()
    assert _ask(client, service.email)["Location"] == SENT
    assert not Message.objects.exists()


def test_asking_is_limited_per_address_and_per_client(client, parent):
    for _ in range(password_reset.PER_ADDRESS):
        assert _ask(client, parent.email).status_code == 302
    refused = _ask(client, parent.email)
    assert refused.status_code == 429
    assert "cannot send another link" in refused.content.decode()
    # Another client may still ask for its own address; this client's count runs on.
    assert _ask(client, "someone@example.test", REMOTE_ADDR="10.0.0.9").status_code == 302
    for n in range(password_reset.PER_CLIENT - password_reset.PER_ADDRESS - 1):
        _ask(client, f"other{n}@example.test")
    assert _ask(client, "one-more@example.test").status_code == 429
    # An unknown address is limited just as a known one (the limit reveals nothing).
    for _ in range(password_reset.PER_ADDRESS):
        _ask(client, "nobody@example.test", REMOTE_ADDR="10.0.0.10")
    assert _ask(client, "nobody@example.test", REMOTE_ADDR="10.0.0.11").status_code == 429


def test_the_limit_lasts_the_whole_hour_from_the_first_request(client, parent):
    """Counted across the hour, not reset by a pause: an asker who waits a few minutes between
    bursts does not get a fresh allowance."""
    start = timezone.now()
    for _ in range(password_reset.PER_ADDRESS):
        _ask(client, parent.email)
    with time_machine.travel(start + dt.timedelta(minutes=30)):
        assert _ask(client, parent.email).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=50)):
        assert _ask(client, parent.email).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=61)):
        assert _ask(client, parent.email).status_code == 302

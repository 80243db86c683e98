"""Issue 17, smaller holes: the one-time code a family member chose to be e-mailed at sign-in
is stored only hashed (in the codes table *and* the messages table), and a new one is not
sent at every page load.

The attacks: someone with the password (or a script) reloads the code page for a fresh code,
and five fresh guesses, each time — and fills the family's inbox; someone who can read the
messages table takes the live code from it."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.families.models import FamilyAccount
from everychild.notifications.backends import LocalBackend
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
CODE_PAGE = "/family/code/"
SIX_DIGITS = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def _empty_outbox():
    LocalBackend.outbox.clear()  # what earlier tests sent is not this test's


@pytest.fixture
def parent():
    user = factories.make_user(Role.PARENT, email="dad@example.org")
    FamilyAccount.objects.create(user=user, email_code_required=True)
    return user


@pytest.fixture
def signed_in(client, parent):
    client.post(reverse("accounts:sign-in"), {"email": parent.email, "password": TEST_PASSWORD})
    return client


def _codes_sent(email) -> list[str]:
    return [
        SIX_DIGITS.search(m.body).group(1)
        for m in LocalBackend.outbox
        if m.to == email and "code" in m.subject.lower() and SIX_DIGITS.search(m.body)
    ]


def _open(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        if data:
            return client.post(CODE_PAGE, data)
        return client.get(CODE_PAGE)


def test_opening_the_code_page_again_sends_no_new_code(
    signed_in, parent, django_capture_on_commit_callbacks
):
    before = len(_codes_sent(parent.email))
    for _ in range(5):
        page = _open(signed_in, django_capture_on_commit_callbacks)
        assert page.status_code == 200
    sent = _codes_sent(parent.email)[before:]
    assert len(sent) == 1
    # And the one code sent still works.
    done = _open(signed_in, django_capture_on_commit_callbacks, code=sent[0])
    assert done.status_code == 302


def test_reloading_gives_no_fresh_guesses(signed_in, parent, django_capture_on_commit_callbacks):
    _open(signed_in, django_capture_on_commit_callbacks)
    [code] = _codes_sent(parent.email)[-1:]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        _open(signed_in, django_capture_on_commit_callbacks, code=wrong)
    for _ in range(3):
        _open(signed_in, django_capture_on_commit_callbacks)
    assert _codes_sent(parent.email)[-1] == code  # nothing new was sent
    refused = _open(signed_in, django_capture_on_commit_callbacks, code=code)
    assert refused.status_code == 200 and "not right" in refused.content.decode()


def test_a_new_code_when_asked_for_but_not_more_than_one_a_minute(
    signed_in, parent, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _open(signed_in, django_capture_on_commit_callbacks)
        page = _open(signed_in, django_capture_on_commit_callbacks, resend="1")
    assert len(_codes_sent(parent.email)) == 1
    assert "wait a minute" in page.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        _open(signed_in, django_capture_on_commit_callbacks, resend="1")
        first, second = _codes_sent(parent.email)[-2:]
        # The new code works; the one it replaced does not.
        if first != second:
            old = _open(signed_in, django_capture_on_commit_callbacks, code=first)
            assert "not right" in old.content.decode()
        assert _open(signed_in, django_capture_on_commit_callbacks, code=second).status_code == 302


def test_the_code_sent_is_kept_nowhere_readable(
    signed_in, parent, django_capture_on_commit_callbacks
):
    _open(signed_in, django_capture_on_commit_callbacks)
    [code] = _codes_sent(parent.email)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                assert not any(code in str(value) for value in row), table

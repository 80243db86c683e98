"""Issue 17, identity: repeated password guessing is slowed by a back-off that grows with
each lock-out of the account (from any address), while the lock itself stays on the account
*and* address, so a guesser elsewhere never locks the account's owner out of their own.

The attack: a guesser who waits out each 15-minute lock (or moves to a new address) and
carries on, five guesses at a time, for ever."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "parent@example.test"
GUESSER = "203.0.113.9"
ELSEWHERE = "198.51.100.77"
OWNER = "192.0.2.44"


@pytest.fixture
def parent():
    return factories.make_user(Role.PARENT, email=EMAIL)


def _try(client, password, address):
    return client.post(
        "/account/sign-in/", {"email": EMAIL, "password": password}, REMOTE_ADDR=address
    ).status_code


def _lock(client, address):
    """Five wrong passwords from one address: the fifth is answered with the lock."""
    statuses = [_try(client, f"wrong {n}", address) for n in range(5)]
    assert statuses[-1] == 429, statuses


def _locked_for(client, start, address) -> int:
    """Minutes, to the nearest quarter hour, that the account stays locked from the address
    after a lock made at `start` (by trying the right password at rising times)."""
    for minutes in range(15, 24 * 60 + 16, 15):
        with time_machine.travel(start + dt.timedelta(minutes=minutes, seconds=30), tick=False):
            if _try(client, TEST_PASSWORD, address) == 302:
                client.post("/account/sign-out/")
                return minutes
    return 10**6


def test_each_lock_out_of_the_account_lasts_twice_as_long_as_the_one_before(client, parent):
    start = timezone.now()
    lengths = []
    for episode in range(3):
        moment = start + dt.timedelta(days=episode)
        with time_machine.travel(moment, tick=False):
            _lock(client, GUESSER)
        # Wait it out without signing in, then guess again (a success would not reset the
        # account's count either: the owner signing in does not stop a guesser).
        lengths.append(_locked_for(client, moment, GUESSER))
    assert lengths == [15, 30, 60]


def test_moving_to_a_new_address_does_not_start_the_back_off_again(client, parent):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _lock(client, GUESSER)
    later = start + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        _lock(client, ELSEWHERE)
    assert _locked_for(client, later, ELSEWHERE) == 30


def test_the_back_off_stops_growing_at_a_day(client, parent):
    start = timezone.now()
    for episode in range(9):
        with time_machine.travel(start + dt.timedelta(minutes=episode), tick=False):
            _lock(client, f"203.0.113.{10 + episode}")
    last = start + dt.timedelta(minutes=8)
    with time_machine.travel(last + dt.timedelta(hours=23, minutes=59), tick=False):
        assert _try(client, TEST_PASSWORD, "203.0.113.18") == 429
    with time_machine.travel(last + dt.timedelta(hours=24, minutes=1), tick=False):
        assert _try(client, TEST_PASSWORD, "203.0.113.18") == 302


def test_the_owner_at_their_own_address_is_never_locked_by_a_guesser_elsewhere(client, parent):
    start = timezone.now()
    for episode in range(9):
        with time_machine.travel(start + dt.timedelta(minutes=episode), tick=False):
            _lock(client, f"203.0.113.{10 + episode}")
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert _try(client, TEST_PASSWORD, OWNER) == 302


def test_the_lock_out_page_says_how_long_the_lock_lasts(client, parent):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _lock(client, GUESSER)
        first = client.post(
            "/account/sign-in/", {"email": EMAIL, "password": "x"}, REMOTE_ADDR=GUESSER
        )
    assert "for 15 minutes" in first.content.decode()
    later = start + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        _lock(client, GUESSER)
        second = client.post(
            "/account/sign-in/", {"email": EMAIL, "password": "x"}, REMOTE_ADDR=GUESSER
        )
    assert "for 30 minutes" in second.content.decode()

"""Sign-in lock-out that grows (issue 17).

django-axes locks an account *and* address after five wrong passwords
(`AXES_LOCKOUT_PARAMETERS`), so a guesser elsewhere never locks the owner out of their own
address. What grows is the length of the lock: each lock-out of the account in the last
seven days, from any address, doubles it (15 minutes, 30, 60, … at most 24 hours), so a
guesser who waits each lock out, or moves to a new address, is slowed further and further,
without a captcha and without ever locking the owner. Decision 0173.

`cool_off` is django-axes' `AXES_COOLOFF_TIME` (a callable of the request). axes asks it
without the credentials, so `LockOutHandler` notes the account's address on the request
before axes asks, and cleans old attempts per account rather than by one request's length
(axes' own clean would, with a length that depends on the account, lift other accounts'
longer locks early).
"""

import datetime as dt

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.utils import timezone

from everychild.accounts.models import SignInLockOut

FIRST_LOCK = dt.timedelta(minutes=15)
LONGEST_LOCK = dt.timedelta(hours=24)
# Lock-outs older than this no longer lengthen the next one.
REMEMBERED_FOR = dt.timedelta(days=7)


def _username(request) -> str:
    return (getattr(request, "everychild_signin_username", None) or "").lower()


def lock_outs(username: str) -> int:
    """How many times the account was locked out lately, from any address."""
    if not username:
        return 0
    since = timezone.now() - REMEMBERED_FOR
    return SignInLockOut.objects.filter(username=username, at__gte=since).count()


def length_after(count: int) -> dt.timedelta:
    """The lock after the account's `count`-th recent lock-out: 15 minutes doubling, at most
    a day (the first lock, and the window in which failures add up, is 15 minutes)."""
    doublings = min(max(count - 1, 0), 10)  # 15 min × 2**7 is past a day already
    return min(FIRST_LOCK * 2**doublings, LONGEST_LOCK)


def cool_off(request=None) -> dt.timedelta:
    """settings.AXES_COOLOFF_TIME: how long this request's account stays locked."""
    return length_after(lock_outs(_username(request))) if request is not None else FIRST_LOCK


def note_lock_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' user_locked_out: record a new lock-out once, on the failure that reached the
    limit (axes sends the signal again for every try while locked; those are not new)."""
    if request is None or not username:
        return
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != get_failure_limit(request, getattr(request, "axes_credentials", None)):
        return
    SignInLockOut.objects.create(username=username.lower(), ip_address=ip_address)
    # What no longer lengthens a lock is not kept.
    SignInLockOut.objects.filter(at__lt=timezone.now() - REMEMBERED_FOR).delete()


def describe(length: dt.timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minutes"
    hours = minutes // 60
    return "1 hour" if hours == 1 else f"{hours} hours"


class LockOutHandler(AxesDatabaseHandler):
    """axes' database handler, told whose lock it is measuring (see the module's note)."""

    def _note(self, request, credentials):
        if request is not None:
            request.everychild_signin_username = get_client_username(request, credentials)

    def get_failures(self, request, credentials=None) -> int:
        self._note(request, credentials)
        return super().get_failures(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        self._note(request, credentials)
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        self._note(request, credentials)
        now = timezone.now()
        # Nobody's lock is longer than a day; an attempt older than that is done with.
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=now - LONGEST_LOCK).delete()
        username = _username(request) if request is not None else ""
        if username:
            mine = AccessAttempt.objects.filter(
                username=username, attempt_time__lte=now - cool_off(request)
            )
            count += mine.delete()[0]
        return count

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from everychild.access.policy import PUBLIC, access_rule_of, is_staff_member


def start_session_lifetime(sender, request, user, **kwargs):
    """On every sign-in (user_logged_in): the session's absolute lifetime starts now."""
    if request is not None and hasattr(request, "session"):
        request.session["signed_in_at"] = int(time.time())


class SessionIdleTimeoutMiddleware:
    """Sign a user out after a period without activity (a shared office computer), and after
    an absolute lifetime however busy the session (a stolen cookie kept alive by use)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:sign-in')}?timed_out=1")
            # A session from before the lifetime was kept starts its lifetime now.
            started = request.session.setdefault("signed_in_at", now)
            if now - started > settings.SESSION_ABSOLUTE_LIFETIME_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:sign-in')}?timed_out=lifetime")
            request.session["last_activity"] = now
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff of partner organisations must confirm a second factor before anything else
    (production always; the demonstration may relax it with EVERYCHILD_RELAX_2FA)."""

    ALLOWED_URL_NAMES = {"two-factor", "two-factor-setup", "sign-out"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_STAFF_2FA or not request.user.is_authenticated:
            return None
        if access_rule_of(view_func) == PUBLIC:
            return None
        match = request.resolver_match
        if match and match.namespace == "accounts" and match.url_name in self.ALLOWED_URL_NAMES:
            return None
        if request.user.is_verified() or not is_staff_member(request.user):
            return None
        # Encoded, so a "next" with its own query string ("?q=a&page=2") comes back whole.
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:two-factor')}?{query}")

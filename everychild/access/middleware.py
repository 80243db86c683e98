"""Deny by default: a view that has not declared its access rule is never run."""

import ipaddress
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from everychild.access.policy import (
    PUBLIC,
    CapabilityRefused,
    access_rule_of,
    has_capability,
)

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class AccessPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rule = access_rule_of(view_func)
        if rule is None:
            logger.error("View %r at %s declares no access rule: refused", view_func, request.path)
            if _is_api(request):
                return JsonResponse(
                    {"errors": [{"code": "permission_denied", "message": "Not allowed."}]},
                    status=403,
                )
            raise PermissionDenied("This page has not declared who may use it.")
        if rule == PUBLIC:
            return None
        if getattr(view_func, "cls", None) is not None:
            # REST framework views: PolicyPermission applies the same rule after DRF has
            # authenticated the token, and answers with a structured error.
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not has_capability(request.user, rule):
            raise CapabilityRefused(rule)
        return None


class NoStoreMiddleware:
    """Nothing a signed-in person is shown, and no API answer, is kept by a browser's cache or
    a proxy: the next user of a shared computer must not find a child's record in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read after the view: REST framework sets the user from a token during the view.
        user = getattr(request, "user", None)
        if "no-store" in response.get("Cache-Control", ""):
            return response  # a view that already said so (the subject access PDF)
        if _is_api(request) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response


# Headers a client could write to pass for someone else or for HTTPS; only a trusted proxy's
# are believed (issue 17).
_FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)


def _trusted_networks():
    return [
        ipaddress.ip_network(str(entry).strip(), strict=False)
        for entry in settings.EVERYCHILD_TRUSTED_PROXIES
        if str(entry).strip()
    ]


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def real_client(remote: str, forwarded: str, proxies) -> str:
    """The client's address: `remote` (the connection's) unless it is a trusted proxy; then
    the nearest address in X-Forwarded-For that is not one, read from the right, since
    everything to the left of what our proxies appended is the client's own writing.
    `proxies` is a list of networks, or a number: every request passes that many proxies."""
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    if isinstance(proxies, int):
        return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
    for hop in reversed(chain):
        address = _address(hop)
        if address is None or not any(address in network for network in proxies):
            return hop
    return chain[0]


class TrustedProxyMiddleware:
    """First of all middleware: believe X-Forwarded-* only from the proxies named by
    EVERYCHILD_TRUSTED_PROXIES (addresses or networks, or a number of proxies every request
    passes), and then set REMOTE_ADDR to the real client, so the lock-out (django-axes), the
    rate limits and the audit log all see the same person. From anyone else the headers are
    removed, so X-Forwarded-Proto cannot make a plain request look like HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        remote = meta.get("REMOTE_ADDR", "")
        setting = settings.EVERYCHILD_TRUSTED_PROXIES
        if isinstance(setting, int) and not isinstance(setting, bool):
            proxies = setting
            trusted = setting > 0
        else:
            proxies = _trusted_networks()
            address = _address(remote)
            trusted = address is not None and any(address in network for network in proxies)
        if trusted:
            meta["EVERYCHILD_PROXY_ADDR"] = remote
            meta["REMOTE_ADDR"] = real_client(
                remote, meta.get("HTTP_X_FORWARDED_FOR", ""), proxies
            ).strip("[]")
        else:
            for header in _FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)

"""Deny by default: a view that has not declared its access rule is never run."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

from everychild.access.policy import PUBLIC, access_rule_of, has_capability

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
            raise PermissionDenied("You do not have access to this page.")
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

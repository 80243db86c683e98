"""The access policy for the REST API: who may call, with what credential, how often, and how
much one call may return."""

from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.settings import api_settings

from everychild.access import tokens
from everychild.access.policy import PUBLIC, has_capability
from everychild.accounts.models import ApiToken


class PolicyPermission(permissions.BasePermission):
    """Deny by default: the view must carry `access_rule`, and the caller must hold it."""

    message = "You do not have access to this."

    def has_permission(self, request, view):
        rule = getattr(view, "access_rule", None)
        if rule is None:
            return False
        if rule == PUBLIC:
            return True
        if not request.user or not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        return has_capability(request.user, rule)


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token …`, checked against the stored hashes (access.tokens): a token
    that is unknown, expired, revoked or whose owner is inactive gets 401, and every use is
    audited."""

    def authenticate(self, request):
        self._request = request
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = tokens.authenticate(key, request=getattr(self, "_request", None))
        if token is None:
            raise exceptions.AuthenticationFailed(
                "The token is not right, has expired or was revoked."
            )
        return token.user, token


class ApiTokenRateThrottle(throttling.SimpleRateThrottle):
    """Each token has its own allowance (scope "api_token"), whoever holds it; calls made with
    a session are left to the other throttles. The counts are in the default cache, which
    every worker shares (settings.CACHES)."""

    scope = "api_token"

    def get_rate(self):
        # Read when asked, not when the class is made, so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.key_hash[:32]}

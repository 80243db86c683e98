"""The access policy for the REST API."""

from rest_framework import exceptions, permissions

from everychild.access.policy import PUBLIC, has_capability


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

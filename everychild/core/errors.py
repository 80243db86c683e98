"""Error pages in the service's own style; the API answers in JSON."""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader


def _json(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"errors": [{"field": None, "code": code, "message": message}]}, status=status
    )


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        return _json(403, "permission_denied", "You do not have access to this.")
    # A refusal by capability (access.policy.CapabilityRefused) says what the page is for and
    # which roles include it; other refusals (a form's own rule) say only that it was refused.
    context = {
        "purpose": getattr(exception, "purpose", ""),
        "roles": getattr(exception, "roles", []),
    }
    return render(request, "403.html", context, status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _json(404, "not_found", "Not found.")
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _json(500, "server_error", "Something went wrong. Nothing was changed.")
    # Rendered without the request's context: a broken database must not break this page.
    return HttpResponseServerError(
        loader.get_template("500.html").render({"service_name": "EveryChild"})
    )

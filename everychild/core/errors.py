"""Error pages in the service's own style; the API answers in JSON."""

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
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


def _caused_by_the_database(exception) -> bool:
    while exception is not None:
        if isinstance(exception, DatabaseError):
            return True
        exception = exception.__cause__ or exception.__context__
    return False


def bad_request(request, exception=None):
    # Django answers 400 when the session cannot be saved at the end of a request
    # (SessionInterrupted), and saving fails when the database is down. That is the service's
    # fault, not the request's: say so, as for any other failure, and ask to try again.
    if _caused_by_the_database(exception):
        if request.path.startswith("/api/"):
            return _json(503, "unavailable", "Something went wrong. Try again later.")
        return HttpResponse(_server_error_page(), status=503)
    if request.path.startswith("/api/"):
        return _json(400, "bad_request", "The request could not be understood.")
    # Without the request's context: a host refused as not ours must not be asked for again.
    return HttpResponse(loader.get_template("400.html").render({}), status=400)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return _json(404, "not_found", "Not found.")
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return _json(500, "server_error", "Something went wrong. Nothing was changed.")
    return HttpResponseServerError(_server_error_page())


def _server_error_page() -> str:
    # Rendered without the request's context: a broken database must not break this page.
    return loader.get_template("500.html").render({"service_name": "EveryChild"})

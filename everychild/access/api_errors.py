"""Structured API errors: every error as {"errors": [{"field", "code", "message"}]}.
(Separate from access.api because REST framework imports its permission classes early.)"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler


def _flatten(detail, path=""):
    """Turn DRF's nested error detail into a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            sub = key if not path else f"{path}.{key}"
            if key == "non_field_errors":
                sub = path
            yield from _flatten(value, sub)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not isinstance(value, exceptions.ErrorDetail):
                yield from _flatten(value, f"{path}[{index}]")
            else:
                yield from _flatten(value, path)
    else:
        yield {
            "field": path or None,
            "code": getattr(detail, "code", "invalid"),
            "message": str(detail),
        }


def from_django_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A model's ValidationError as REST framework's, keeping each message's code (such as
    "upn_check") so the API's callers can act on it, not just "invalid"."""
    if not hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            [
                exceptions.ErrorDetail(m, code=e.code or "invalid")
                for e in error.error_list
                for m in e
            ]
        )
    detail = {}
    for field, errors in error.error_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        detail[key] = [
            exceptions.ErrorDetail(message, code=e.code or "invalid")
            for e in errors
            for message in e
        ]
    return exceptions.ValidationError(detail)


def structured_exception_handler(exc, context):
    """Every API error as {"errors": [{"field", "code", "message"}]}."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    response.data = {"errors": list(_flatten(detail))}
    return response


# The largest id a database row can have (SQLite INTEGER and PostgreSQL bigint alike). A
# larger number can name no record; passed on to the database it would be an error, not a 404.
LARGEST_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """An id from a URL or query string, or None if it cannot name a record."""
    try:
        value = int(str(raw))
    except ValueError:
        return None
    return value if 1 <= value <= LARGEST_ID else None


def id_query_param(request, name: str) -> int | None:
    """The id in ?name=..., None if absent; a structured 400 if it cannot be an id."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    value = parse_id(raw)
    if value is None:
        raise exceptions.ValidationError(
            {name: [exceptions.ErrorDetail("Give an id (a whole number).", "invalid")]}
        )
    return value

"""Small pieces of wording and refusal every module's services and pages share."""

import datetime as dt

from django.core.exceptions import ValidationError


def long_date(day: dt.date) -> str:
    """A date as GOV.UK writes it: "3 March 2026" (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def refuse(field: str, message: str, code: str = "invalid"):
    """Refuse a service call with a message for one field (or "__all__"); nothing is written."""
    raise ValidationError({field: ValidationError(message, code=code)})

"""Small pieces of wording and refusal every module's services and pages share: a date as
GOV.UK writes it, and the refusals of a service call (`refuse`, and the checks of a piece of
text and of a date that refuse with a message saying what to fix)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from everychild.core.dates import today
from everychild.core.prose import (  # noqa: F401  (re-exported)
    date_and_time,
    in_sentence,
    long_date,
    thousands,
)
from everychild.statutory.rules import SEND_REGULATIONS_IN_FORCE

MAX_TEXT = 5000


def refuse(field: str, message: str, code: str = "invalid"):
    """Refuse a service call with a message for one field (or "__all__"); nothing is written."""
    raise ValidationError({field: ValidationError(message, code=code)})


def _capital(what: str) -> str:
    return f"{what[0].upper()}{what[1:]}"


def text(field: str, value, what: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    """The text given for `field`, stripped; refused if it is not text, is missing when
    required, or is longer than max_length."""
    if value is not None and not isinstance(value, str):
        refuse(field, f"Enter {what} as text.")
    stripped = (value or "").strip()
    if required and not stripped:
        refuse(field, f"Enter {what}.", "required")
    if len(stripped) > max_length:
        refuse(field, f"{_capital(what)} must be {thousands(max_length)} characters or fewer.")
    return stripped


def date(
    field: str,
    day,
    what: str,
    *,
    not_before: tuple = (),
    future_allowed: bool = False,
    explain: bool = True,
) -> dt.date:
    """Refuse a missing, impossible or out-of-order date with a message saying what to fix.
    `not_before` is a sequence of (date or None, "what that date is"). A date before the SEND
    Regulations 2014 came into force (1 September 2014) is refused: they are the law the
    service applies. With explain=False the refusals of a future or too-early date are the
    short ones the plan services have always given (no reason, and "invalid" for too early)."""
    if day is None:
        refuse(field, f"Enter {what}.", "required")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        refuse(field, f"Enter {what} as a real date, like 27/3/2025.", "invalid_date")
    if not future_allowed and day > today():
        reason = ": record what has happened" if explain else ""
        refuse(field, f"{_capital(what)} cannot be in the future{reason}.", "future")
    if day < SEND_REGULATIONS_IN_FORCE:
        if explain:
            refuse(
                field,
                f"{_capital(what)} cannot be before 1 September 2014, when the SEND "
                "Regulations 2014 came into force.",
                "before_2014",
            )
        refuse(field, f"{_capital(what)} cannot be before 1 September 2014.")
    for earlier, label in not_before:
        if earlier is not None and day < earlier:
            refuse(
                field,
                f"{_capital(what)} must be on or after {label} ({long_date(earlier)}).",
                "out_of_order",
            )
    return day

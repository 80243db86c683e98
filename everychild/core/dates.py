"""Dates, the one way: today in the service's time zone, and the one form field every page
that asks for a date uses (GOV.UK style: one text box, typed as day, month and year).

The field reads every form of date any page accepted before they were made one
(docs/decisions/0120): 27/3/2025, 27/3/25, 27 3 2025, 27 3 25, 27-3-2025, 27-3-25 and
2025-03-27 (what a browser's date box sends). A form with a two-digit year is tried before
its four-digit twin: `strptime("27/3/25", "%d/%m/%Y")` succeeds as the year 25, so 27/3/25
must be read as 2025 first. Two-digit years follow Python's rule (69-99 are 1969-1999,
00-68 are 2000-2068)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

FORMATS = [
    "%d/%m/%y",
    "%d/%m/%Y",
    "%d %m %y",
    "%d %m %Y",
    "%d-%m-%y",
    "%d-%m-%Y",
    "%Y-%m-%d",
]
EXAMPLE = "27/3/2025"
HINT = f"For example, {EXAMPLE}"


def today() -> dt.date:
    """Today in the service's time zone (Europe/London), not the server's."""
    return timezone.localdate()


class DateField(forms.DateField):
    """The one date field: every form of date in FORMATS, and a refusal that says what a real
    date looks like. Pages pass their own label, hint, messages and widget."""

    input_formats = FORMATS
    default_error_messages = {
        "required": "Enter the date.",
        "invalid": f"Enter a real date, like {EXAMPLE}.",
    }


def date_field(label: str, *, required: bool = True, hint: str = HINT) -> DateField:
    """A date question whose messages name what is asked: "Enter the date of the decision."."""
    what = label[0].lower() + label[1:]
    return DateField(
        label=label,
        help_text=hint,
        required=required,
        error_messages={
            "required": f"Enter {what}.",
            "invalid": f"Enter {what} as a real date, like {EXAMPLE}.",
        },
    )

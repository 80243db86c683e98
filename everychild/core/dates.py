"""Dates, the one way: today in the service's time zone, and the one form field every page
that asks for a date uses: the GOV.UK date input (three boxes, day, month and year, in a
fieldset whose legend is the question; docs/decisions/0201).

The field reads the three boxes, posted as NAME-day, NAME-month and NAME-year. It also reads a
single value posted under the field's own name (API clients, scripts, older tests), in every
form of date any page accepted before they were made one (docs/decisions/0120): 27/3/2025,
27/3/25, 27 3 2025, 27 3 25, 27-3-2025, 27-3-25 and 2025-03-27. A whole date typed (or pasted)
into the day box alone is read the same way. A form with a two-digit year is tried before its
four-digit twin: `strptime("27/3/25", "%d/%m/%Y")` succeeds as the year 25, so 27/3/25 must be
read as 2025 first. Two-digit years follow Python's rule (69-99 are 1969-1999, 00-68 are
2000-2068), in the boxes as in a single value, so the same inputs are read everywhere."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from everychild.core.digits import ascii_digits

FORMATS = [
    "%d/%m/%y",
    "%d/%m/%Y",
    "%d %m %y",
    "%d %m %Y",
    "%d-%m-%y",
    "%d-%m-%Y",
    "%Y-%m-%d",
]
EXAMPLE = "27/3/2025"  # in messages about a single posted value
HINT = "For example, 27 3 2025"
PARTS = ("day", "month", "year")
# A hint written for one box ("For example, 31/7/2027") is shown as the three boxes are typed.
_SLASHED = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")


def today() -> dt.date:
    """Today in the service's time zone (Europe/London), not the server's."""
    return timezone.localdate()


def spaced(hint: str) -> str:
    """A hint's example dates as the three boxes take them: "31/7/2027" -> "31 7 2027"."""
    return _SLASHED.sub(r"\1 \2 \3", hint)


def parse(text: str) -> dt.date | None:
    """A date typed in one of FORMATS, or None."""
    text = " ".join(text.split())
    for format in FORMATS:
        try:
            return dt.datetime.strptime(text, format).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class DateParts:
    """What was typed in the three boxes, as typed (stripped)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def of(cls, value) -> DateParts:
        """The boxes' contents for a value: a date, parts already, or a single typed value."""
        if isinstance(value, DateParts):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = parse(value) or value
        if isinstance(value, dt.date):
            return cls(str(value.day), str(value.month), str(value.year))
        # A single value that is not a date goes back into the day box, as it was typed.
        return cls(day=str(value) if value else "")

    def missing(self) -> list[str]:
        return [part for part in PARTS if not getattr(self, part)]


class DateInput(forms.Widget):
    """The GOV.UK date input's data: the three boxes, or one value under the field's name.

    It renders through the shared field template (core/field.html, kind "date"), which writes
    the fieldset, the legend, the hint, the error message and the boxes."""

    input_type = "date-parts"

    def value_from_datadict(self, data, files, name):
        single = data.get(name)
        if single not in (None, ""):
            return single
        parts = [data.get(f"{name}-{part}") for part in PARTS]
        if all(part is None for part in parts):
            return single
        return DateParts(*((part or "").strip() for part in parts))

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)

    def format_value(self, value):
        return DateParts.of(value)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


class DateField(forms.DateField):
    """The one date field: the three GOV.UK boxes or a single value in any of FORMATS, with
    GOV.UK's messages ("Date of birth must include a month", "... must be a real date"). Pages
    pass their own label, hint and messages; "required" and "invalid" name what is asked."""

    widget = DateInput
    input_formats = FORMATS
    default_error_messages = {
        "required": "Enter the date.",
        "invalid": f"Enter a real date, like {EXAMPLE}.",
        "incomplete": "{label} must include a {missing}",
        "unreal": "{label} must be a real date",
    }

    def __init__(self, **kwargs):
        # Pages built before the one field passed a one-box widget; the boxes replace it.
        kwargs.pop("widget", None)
        super().__init__(**kwargs)

    def _label(self) -> str:
        return str(self.label or "Date").rstrip("?").strip()

    def to_python(self, value):
        if isinstance(value, DateParts):
            return self._from_parts(value)
        if isinstance(value, str) and value.strip():
            found = parse(value)
            if found is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return found
        return super().to_python(value)

    def _from_parts(self, parts: DateParts):
        missing = parts.missing()
        if len(missing) == 3:
            return None
        if missing == ["month", "year"]:
            # A whole date typed or pasted into the day box.
            found = parse(parts.day)
            if found is not None:
                return found
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"].format(
                    label=self._label(), missing=_and(missing)
                ),
                code="incomplete",
            )
        numbers = [parts.day, parts.month, parts.year]
        if not all(ascii_digits(n) for n in numbers) or len(parts.year) not in (2, 4):
            raise self._unreal()
        year = int(parts.year)
        if len(parts.year) == 2:  # the same rule as %y in FORMATS
            year += 1900 if year >= 69 else 2000
        try:
            return dt.date(year, int(parts.month), int(parts.day))
        except ValueError:
            raise self._unreal() from None

    def _unreal(self) -> ValidationError:
        return ValidationError(
            self.error_messages["unreal"].format(label=self._label()), code="unreal"
        )

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return super().has_changed(initial, data)


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

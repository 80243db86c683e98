"""Wording with no Django in it, so the pure modules (the forecast model, the statutory engine's
explanations) can share it with the pages: a date as GOV.UK writes it, a label inside a sentence,
a count with its thousands grouped.
`everychild.core.wording` re-exports both for the pages and services."""

from __future__ import annotations

import datetime as dt
import re


def long_date(day: dt.date) -> str:
    """A date as GOV.UK writes it: "3 March 2026" (no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def date_and_time(moment: dt.datetime) -> str:
    """A moment as GOV.UK writes it: "7 December 2026, 4:08pm" ("midday" and "midnight" for
    12pm and 12am). Given in the time it is to be read in: the caller turns it to UK time
    (`django.utils.timezone.localtime`), as this module knows nothing of Django."""
    if moment.minute == 0 and moment.hour in (0, 12):
        clock = "midnight" if moment.hour == 0 else "midday"
    else:
        clock = f"{moment.hour % 12 or 12}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"
    return f"{long_date(moment)}, {clock}"


_ACRONYM = re.compile(r"^[A-Z0-9]{2,}\b")


def in_sentence(label: str) -> str:
    """A label ("Resourced provision or SEN unit") as words inside a sentence: only its first
    letter lowered ("resourced provision or SEN unit"), and not even that when the label starts
    with an acronym ("SEN support", "EHC plan"). `label.lower()` gave "sen unit"."""
    label = str(label)
    if not label or _ACRONYM.match(label):
        return label
    return label[0].lower() + label[1:]


def thousands(number) -> str:
    """A count as GOV.UK writes it: 12345 -> "12,345" (anything not a whole number unchanged)."""
    try:
        return f"{int(number):,}"
    except (TypeError, ValueError):
        return str(number)

"""Calendar arithmetic for statutory periods.

The SEND Regulations 2014 count calendar weeks, days and months; no working days appear in
them (DOMAIN.md section 2). The conventions, written once here and used by every rule:

* "within N weeks of" an event: the event day is day 0, so the limit ends on event + 7N days
  (6 weeks = +42, 16 weeks = +112, 20 weeks = +140);
* "within N days of" an event: event + N days;
* "N days beginning with" a day: that day is day 1, so the period ends on day + (N - 1)
  ("15 days beginning with the day the draft is served" ends on served + 14);
* "N months": the same day of the month N months on, clamped to the end of a shorter month
  (31 January + 1 month = 28/29 February; 29 February + 12 months = 28 February);
* "the period of N months starting with" a day (the annual review, CFA 2014 s.44(1)): that
  day is the period's first day, so the period ends the day before the same date N months on
  (20 May 2024 -> 19 May 2025), or on the last day of the month where that date does not
  exist (29 February 2024 -> 28 February 2025);
* a council that counts the day of receipt as day 1 (``count_start_as_day_one``) gets every
  "within ... of" limit one day earlier. "Beginning with" periods already count the first
  day as day 1, so the setting does not change them.

Working days (mediation certificates, SEND Regulations 2014 reg 34) are in ``calendars``.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

__all__ = [
    "add_months",
    "anniversary",
    "days_after",
    "days_beginning_with",
    "months_after",
    "months_before",
    "months_starting_with",
    "weeks_after",
    "weeks_before",
]

# Reused timedelta objects: the engine adds the same handful of offsets millions of times.
_DELTAS = tuple(timedelta(days=n) for n in range(0, 400))


def _plus(start: date, days: int) -> date:
    if 0 <= days < 400:
        return start + _DELTAS[days]
    return start + timedelta(days=days)


def weeks_after(start: date, weeks: int, *, count_start_as_day_one: bool = False) -> date:
    """Last day of "within `weeks` weeks of `start`": start + 7 x weeks (start is day 0)."""
    return _plus(start, 7 * weeks - count_start_as_day_one)


def weeks_before(day: date, weeks: int) -> date:
    """Latest day that is "at least `weeks` weeks before `day`": day - 7 x weeks."""
    return day - timedelta(days=7 * weeks)


def days_after(start: date, days: int, *, count_start_as_day_one: bool = False) -> date:
    """Last day of "within `days` days of `start`": start + days (start is day 0)."""
    return _plus(start, days - count_start_as_day_one)


def days_beginning_with(start: date, days: int) -> date:
    """Last day of "`days` days beginning with `start`": start is day 1, so start + days - 1."""
    return _plus(start, days - 1)


def add_months(start: date, months: int) -> date:
    """The same day of the month `months` months on (or back), clamped to the month's end.

    29 February + 12 months = 28 February; 31 August + 6 months = 28 (or 29) February.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    day = start.day
    if day > 28:
        day = min(day, monthrange(year, month)[1])
    return date(year, month, day)


def months_after(start: date, months: int, *, count_start_as_day_one: bool = False) -> date:
    """Last day of "within `months` months of `start`" (month arithmetic, clamped)."""
    due = add_months(start, months)
    return due - _DELTAS[1] if count_start_as_day_one else due


def months_starting_with(start: date, months: int) -> date:
    """Last day of "the period of `months` months starting with `start`" (CFA 2014 s.44(1)).

    `start` is the first day of the period, so it ends the day before the corresponding date
    `months` months on; where that month has no corresponding date (29 February, 31 April) the
    period ends on the last day of the month. 20 May 2024 -> 19 May 2025; 29 February 2024 ->
    28 February 2025; 1 March 2023 -> 29 February 2024.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    last_day = monthrange(year, month)[1]
    if start.day > last_day:
        return date(year, month, last_day)
    return date(year, month, start.day) - _DELTAS[1]


def months_before(day: date, months: int) -> date:
    """Latest day that is "at least `months` months before `day`" (clamped)."""
    return add_months(day, -months)


def anniversary(start: date, years: int = 1) -> date:
    """The same date `years` years on: "12 months" from 29 February is 28 February."""
    return add_months(start, 12 * years)

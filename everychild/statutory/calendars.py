"""Calendars: England and Wales bank holidays, working days, setting closures.

Bank holidays come from the ``holidays`` package (``country_holidays("GB", subdiv="ENG")``),
built once per year and cached. That package also lists a holiday's own date when it falls at
a weekend (Christmas Day on a Sunday) as well as the weekday substitute; GOV.UK lists only the
substitute, which is the day that is actually a bank holiday. We keep weekday dates only, so the
set matches GOV.UK's list (a test checks 2019-2027 against ``govuk-bank-holidays``' bundled data).

Setting closures (school and college holidays) are facts supplied by the area's configuration:
each is the first and last day the setting is closed. SEND Regulations 2014 reg 5(4)(a) and
10(4)(a)/(b) turn on a closure "for a continuous period of not less than 4 weeks".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays as _holidays

__all__ = [
    "CLOSURE_MIN_DAYS",
    "add_working_days",
    "bank_holidays",
    "closure_exception_window",
    "is_bank_holiday",
    "is_working_day",
    "merge_closures",
    "working_days_beginning_with",
]

_ONE_DAY = timedelta(days=1)

#: A closure counts for reg 5(4)(a) and 10(4)(a)/(b) only if it lasts at least 4 weeks.
CLOSURE_MIN_DAYS = 28


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in `year` (weekday dates, as GOV.UK lists them)."""
    calendar = _holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in calendar if day.weekday() < 5)


def is_bank_holiday(day: date) -> bool:
    """True if `day` is an England and Wales bank holiday."""
    return day in bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """True if `day` is neither a Saturday, a Sunday nor an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, working_days: int) -> date:
    """The `working_days`-th working day after `start` (`start` itself is not counted).

    "Within 3 working days" of a Friday is the following Wednesday (or later if a bank holiday
    intervenes). With ``working_days == 0`` the start day is returned unchanged.
    """
    if working_days < 0:
        raise ValueError("working_days must not be negative")
    day = start
    remaining = working_days
    while remaining:
        day += _ONE_DAY
        if day.weekday() < 5 and day not in bank_holidays(day.year):
            remaining -= 1
    return day


def working_days_beginning_with(start: date, working_days: int) -> date:
    """The last of `working_days` working days beginning with `start`: `start` is the first of
    them when it is a working day, otherwise the next working day is (SEND Regulations 2014 reg
    15(2): "within 15 working days beginning with the day on which it did become aware")."""
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    if is_working_day(start):
        return add_working_days(start, working_days - 1)
    return add_working_days(start, working_days)


def merge_closures(periods: Iterable[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    """Merge overlapping or back-to-back closures (first and last closed day) into one each.

    Area configuration may list a holiday in pieces (a half-term and an adjoining training day);
    the law asks whether the setting was closed continuously, so the pieces are joined.
    """
    merged: list[list[date]] = []
    for first, last in sorted(periods):
        if merged and first <= merged[-1][1] + _ONE_DAY:
            if last > merged[-1][1]:
                merged[-1][1] = last
        else:
            merged.append([first, last])
    return tuple((first, last) for first, last in merged)


def closure_exception_window(first_closed: date, last_closed: date) -> tuple[date, date] | None:
    """Days on which an advice request to the setting lifts the limit (reg 5(4)(a), 10(4)(a)/(b)).

    The period begins one week before the first closed day and ends one week before the day the
    setting re-opens (the day after the last closed day): [first - 7, last + 1 - 7], both days
    included. Returns None if the closure is shorter than 4 continuous weeks.
    """
    if (last_closed - first_closed).days + 1 < CLOSURE_MIN_DAYS:
        return None
    reopens = last_closed + _ONE_DAY
    return first_closed - timedelta(days=7), reopens - timedelta(days=7)

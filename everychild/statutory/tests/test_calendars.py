"""Bank holidays, working days and setting closures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from govuk_bank_holidays.bank_holidays import BankHolidays

from everychild.statutory.calendars import (
    add_working_days,
    bank_holidays,
    closure_exception_window,
    is_bank_holiday,
    is_working_day,
    merge_closures,
    working_days_beginning_with,
)


@pytest.fixture(scope="module")
def govuk() -> BankHolidays:
    # The package's bundled copy of GOV.UK's list: no network.
    return BankHolidays(use_cached_holidays=True)


@pytest.mark.parametrize("year", range(2019, 2028))
def test_bank_holidays_match_govuk(govuk, year):
    expected = {
        holiday["date"]
        for holiday in govuk.get_holidays(division=BankHolidays.ENGLAND_AND_WALES, year=year)
    }
    assert expected, f"govuk-bank-holidays has no {year} data"
    assert bank_holidays(year) == expected


def test_special_bank_holidays_are_included():
    assert date(2022, 6, 3) in bank_holidays(2022)  # Platinum Jubilee
    assert date(2022, 9, 19) in bank_holidays(2022)  # State Funeral
    assert date(2023, 5, 8) in bank_holidays(2023)  # Coronation
    # Christmas Day 2022 was a Sunday: the bank holiday was the substitute, Tuesday 27th.
    assert date(2022, 12, 25) not in bank_holidays(2022)
    assert date(2022, 12, 27) in bank_holidays(2022)


def test_bank_holidays_are_cached():
    assert bank_holidays(2025) is bank_holidays(2025)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 4, 17), True),  # Thursday before Easter
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 4, 19), False),  # Saturday
        (date(2025, 4, 20), False),  # Sunday
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2025, 4, 22), True),
        (date(2025, 12, 26), False),  # Boxing Day
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working
    assert is_bank_holiday(day) is (not working and day.weekday() < 5)


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (date(2025, 3, 7), 3, date(2025, 3, 12)),  # Friday: Mon, Tue, Wed
        (date(2025, 3, 10), 3, date(2025, 3, 13)),  # Monday: Tue, Wed, Thu
        (date(2025, 4, 17), 3, date(2025, 4, 24)),  # over Easter
        (date(2025, 12, 23), 3, date(2025, 12, 30)),  # over Christmas
        (date(2025, 4, 19), 1, date(2025, 4, 22)),  # from a Saturday of Easter weekend
        (date(2025, 3, 8), 0, date(2025, 3, 8)),  # zero working days: the start day itself
    ],
)
def test_add_working_days(start, count, due):
    assert add_working_days(start, count) == due


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 3, 7), -1)


@pytest.mark.parametrize(
    ("start", "count", "last"),
    [
        (date(2025, 6, 2), 15, date(2025, 6, 20)),  # Monday: it is day 1
        (date(2025, 8, 25), 15, date(2025, 9, 15)),  # a bank holiday: Tuesday is day 1
        (date(2025, 3, 8), 1, date(2025, 3, 10)),  # a Saturday: Monday is day 1 and the last
        (date(2025, 3, 10), 1, date(2025, 3, 10)),  # one working day beginning with a Monday
    ],
)
def test_working_days_beginning_with_count_the_start_as_the_first(start, count, last):
    assert working_days_beginning_with(start, count) == last
    # The period holds exactly `count` working days, the last of them its end.
    days = [start + timedelta(days=n) for n in range((last - start).days + 1)]
    assert sum(is_working_day(day) for day in days) == count and is_working_day(last)


def test_working_days_beginning_with_refuses_an_empty_period():
    with pytest.raises(ValueError):
        working_days_beginning_with(date(2025, 3, 7), 0)


def test_merge_closures_joins_overlapping_and_adjoining_pieces():
    pieces = [
        (date(2025, 8, 4), date(2025, 9, 2)),
        (date(2025, 7, 21), date(2025, 8, 3)),  # adjoins the next piece
        (date(2025, 10, 27), date(2025, 10, 31)),
        (date(2025, 10, 29), date(2025, 11, 2)),  # overlaps
        (date(2025, 12, 22), date(2025, 12, 23)),
        (date(2025, 12, 25), date(2026, 1, 2)),  # a gap day: stays separate
    ]
    assert merge_closures(pieces) == (
        (date(2025, 7, 21), date(2025, 9, 2)),
        (date(2025, 10, 27), date(2025, 11, 2)),
        (date(2025, 12, 22), date(2025, 12, 23)),
        (date(2025, 12, 25), date(2026, 1, 2)),
    )


def test_closure_exception_window():
    # Closed 21 Jul - 2 Sep 2025, re-opens 3 Sep: one week before each is 14 Jul and 27 Aug.
    assert closure_exception_window(date(2025, 7, 21), date(2025, 9, 2)) == (
        date(2025, 7, 14),
        date(2025, 8, 27),
    )
    # Exactly 4 weeks counts; a day less does not.
    assert closure_exception_window(date(2025, 7, 21), date(2025, 8, 17)) is not None
    assert closure_exception_window(date(2025, 7, 21), date(2025, 8, 16)) is None

"""The counting conventions of DOMAIN.md section 2."""

from __future__ import annotations

from datetime import date

import pytest

from everychild.statutory.counting import (
    add_months,
    anniversary,
    days_after,
    days_beginning_with,
    months_after,
    months_before,
    months_starting_with,
    weeks_after,
    weeks_before,
)


@pytest.mark.parametrize(
    ("weeks", "due"),
    [(6, date(2025, 2, 17)), (16, date(2025, 4, 28)), (20, date(2025, 5, 26))],
)
def test_n_weeks_of_counts_the_start_day_as_day_zero(weeks, due):
    assert weeks_after(date(2025, 1, 6), weeks) == due


def test_day_one_setting_makes_limits_one_day_earlier():
    assert weeks_after(date(2025, 1, 6), 6, count_start_as_day_one=True) == date(2025, 2, 16)
    assert days_after(date(2025, 4, 1), 15, count_start_as_day_one=True) == date(2025, 4, 15)
    assert months_after(date(2025, 3, 31), 2, count_start_as_day_one=True) == date(2025, 5, 30)


def test_fifteen_days_beginning_with_ends_on_start_plus_14():
    assert days_beginning_with(date(2025, 4, 1), 15) == date(2025, 4, 15)
    assert days_after(date(2025, 4, 1), 15) == date(2025, 4, 16)


def test_six_weeks_across_29_february():
    assert weeks_after(date(2024, 2, 1), 6) == date(2024, 3, 14)
    assert weeks_after(date(2023, 2, 1), 6) == date(2023, 3, 15)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day: 28 Feb next year
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # four years on there is a 29 Feb
        (date(2025, 3, 31), 2, date(2025, 5, 31)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),  # clamped to the month's end
        (date(2023, 12, 31), 2, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 5, 15), -5, date(2024, 12, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
    ],
)
def test_month_arithmetic_clamps_to_the_end_of_the_month(start, months, due):
    assert add_months(start, months) == due


def test_twelve_months_is_the_same_date_next_year():
    assert anniversary(date(2024, 2, 29)) == date(2025, 2, 28)
    assert anniversary(date(2025, 9, 1)) == date(2026, 9, 1)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (date(2024, 5, 20), 12, date(2025, 5, 19)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2023, 3, 1), 12, date(2024, 2, 29)),
        (date(2025, 1, 1), 12, date(2025, 12, 31)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 1, 30), 1, date(2025, 2, 28)),
    ],
)
def test_a_period_of_months_starting_with_a_day_ends_the_day_before_its_anniversary(
    start, months, last_day
):
    """CFA 2014 s.44(1): "in the period of 12 months starting with the date on which the plan
    was first made". The start is the first day, so the period ends the day before the same
    date 12 months on, or on the month's last day where that date does not exist."""
    assert months_starting_with(start, months) == last_day


def test_counting_back_from_an_event():
    assert weeks_before(date(2025, 2, 20), 2) == date(2025, 2, 6)
    assert months_before(date(2025, 9, 1), 5) == date(2025, 4, 1)
    assert months_before(date(2025, 7, 31), 5) == date(2025, 2, 28)

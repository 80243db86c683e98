"""The one date field: every page that asks for a date reads the same forms of date."""

import datetime as dt

import pytest
from django import forms

from everychild.core import dates


class _Form(forms.Form):
    on = dates.DateField(label="Date")


def _read(typed: str):
    form = _Form({"on": typed})
    return form.cleaned_data["on"] if form.is_valid() else form.errors["on"]


@pytest.mark.parametrize(
    "typed",
    [
        "27/3/2025",
        "27/03/2025",
        "27/3/25",
        "27 3 2025",
        "27 3 25",
        "27-3-2025",
        "27-03-25",
        "2025-03-27",
        " 27/3/2025 ",
    ],
)
def test_every_form_of_date_is_read_the_same(typed):
    assert _read(typed) == dt.date(2025, 3, 27)


def test_every_listed_format_is_read_by_the_field():
    day = dt.date(2025, 3, 27)
    for format in dates.FORMATS:
        assert _read(day.strftime(format)) == day, format


def test_a_two_digit_year_is_this_century_not_the_year_25():
    assert _read("27/3/25") == dt.date(2025, 3, 27)
    assert _read("1 9 14") == dt.date(2014, 9, 1)


@pytest.mark.parametrize("typed", ["31/2/2025", "29/2/2025", "2025-02-30", "27/13/2025", "soon"])
def test_an_impossible_date_is_refused_with_a_clear_message(typed):
    assert _read(typed) == ["Enter a real date, like 27/3/2025."]


def test_a_page_names_what_it_asks_for_in_its_messages():
    class Form(forms.Form):
        decided_on = dates.date_field("Date of the decision")

    assert Form({"decided_on": ""}).errors["decided_on"] == ["Enter date of the decision."]
    assert Form({"decided_on": "31/2/2025"}).errors["decided_on"] == [
        "Enter date of the decision as a real date, like 27/3/2025."
    ]

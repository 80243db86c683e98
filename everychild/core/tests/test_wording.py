"""The one refusal, text check and date check every service uses: the field, message and
code each refusal carries are what the pages and the API show."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from everychild.core import wording
from everychild.core.dates import today


def _refusal(call) -> tuple[str, str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    [(field, [error])] = caught.value.error_dict.items()
    return field, error.message, error.code


def test_text_is_stripped_and_refused_when_missing_too_long_or_not_text():
    assert wording.text("note", "  a note ", "the note") == "a note"
    assert wording.text("note", None, "the note", required=False) == ""
    assert _refusal(lambda: wording.text("note", " ", "the note")) == (
        "note",
        "Enter the note.",
        "required",
    )
    assert _refusal(lambda: wording.text("note", "abc", "the note", max_length=2)) == (
        "note",
        "The note must be 2 characters or fewer.",
        "invalid",
    )
    assert _refusal(lambda: wording.text("note", 7, "the note"))[1] == "Enter the note as text."


@time_machine.travel(dt.datetime(2025, 3, 27, 12, tzinfo=dt.UTC), tick=False)
def test_a_date_is_refused_with_a_message_saying_what_to_fix():
    day = dt.date(2025, 3, 1)
    assert wording.date("on", day, "the date") == day
    assert today() == dt.date(2025, 3, 27)
    assert _refusal(lambda: wording.date("on", None, "the date")) == (
        "on",
        "Enter the date.",
        "required",
    )
    assert _refusal(lambda: wording.date("on", "1/3/2025", "the date"))[2] == "invalid_date"
    assert _refusal(lambda: wording.date("on", dt.date(2025, 3, 28), "the date")) == (
        "on",
        "The date cannot be in the future: record what has happened.",
        "future",
    )
    assert wording.date("on", dt.date(2025, 3, 28), "the date", future_allowed=True)
    assert _refusal(lambda: wording.date("on", dt.date(2014, 8, 31), "the date"))[2] == (
        "before_2014"
    )
    assert _refusal(
        lambda: wording.date("on", day, "the date", not_before=((dt.date(2025, 3, 2), "x"),))
    ) == ("on", "The date must be on or after x (2 March 2025).", "out_of_order")


@time_machine.travel(dt.datetime(2025, 3, 27, 12, tzinfo=dt.UTC), tick=False)
def test_the_short_form_the_plan_services_give():
    assert _refusal(
        lambda: wording.date("on", dt.date(2025, 3, 28), "the date", explain=False)
    ) == ("on", "The date cannot be in the future.", "future")
    assert _refusal(
        lambda: wording.date("on", dt.date(2014, 8, 31), "the date", explain=False)
    ) == ("on", "The date cannot be before 1 September 2014.", "invalid")

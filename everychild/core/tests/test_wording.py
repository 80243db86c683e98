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


# --- issue 20: labels in sentences, dates in words, greetings by name ------------------------


@pytest.mark.parametrize(
    ("label", "in_a_sentence"),
    [
        ("Resourced provision or SEN unit", "resourced provision or SEN unit"),
        ("SEN support", "SEN support"),
        ("EHC plan", "EHC plan"),
        ("Mainstream school", "mainstream school"),
        ("", ""),
    ],
)
def test_a_label_in_a_sentence_keeps_its_acronyms(label, in_a_sentence):
    from django.template import Context, Template

    assert wording.in_sentence(label) == in_a_sentence
    # The template filter is the same judgement (pages used `|lower`: "an ehc needs ...").
    rendered = Template("{% load govuk %}{{ label|in_sentence }}").render(Context({"label": label}))
    assert rendered == in_a_sentence


def test_a_date_in_words_has_no_leading_zero_and_the_template_filter_agrees():
    from django.template import Context, Template

    day = dt.date(2026, 9, 1)
    assert wording.long_date(day) == "1 September 2026"
    rendered = Template("{% load govuk %}{{ day|long_date }}").render(Context({"day": day}))
    assert rendered == "1 September 2026"


@pytest.mark.parametrize(
    ("moment", "in_words"),
    [
        (dt.datetime(2026, 12, 7, 16, 8), "7 December 2026, 4:08pm"),
        (dt.datetime(2026, 3, 1, 9, 5), "1 March 2026, 9:05am"),
        (dt.datetime(2026, 3, 1, 0, 30), "1 March 2026, 12:30am"),
        (dt.datetime(2026, 3, 1, 12, 0), "1 March 2026, midday"),
        (dt.datetime(2026, 3, 1, 0, 0), "1 March 2026, midnight"),
    ],
)
def test_a_moment_in_words_is_as_gov_uk_writes_it(moment, in_words):
    assert wording.date_and_time(moment) == in_words


def test_a_scenario_lever_is_described_in_proper_words():
    from everychild.finance.forecast.levers import Lever

    lever = Lever(
        kind="extra_places",
        value=50,
        starts_on=dt.date(2027, 9, 1),
        placement_type="resourced",
        source_type="special_independent",
    )
    text = lever.describe()
    assert "SEN unit" in text and "sen unit" not in text
    assert "from 1 September 2027" in text and "01 September" not in text


@pytest.mark.parametrize(
    ("full_name", "greeted"),
    [
        ("Dr Amina Shah", "Amina"),
        ("Dr. Amina Shah", "Amina"),
        ("Dr Shah", "Dr Shah"),
        ("Mrs Jo Bloggs", "Jo"),
        ("Sam Patel", "Sam"),
    ],
)
def test_a_greeting_uses_the_persons_name_never_a_title_alone(full_name, greeted):
    from everychild.accounts.models import User

    assert User(full_name=full_name, email="x@example.org").get_short_name() == greeted


def test_who_made_a_public_request_is_said_in_a_staff_sentence_not_the_familys_words():
    from everychild.families.models import PublicRequest

    assert PublicRequest(relationship="parent").relationship_described == "their parent or carer"
    assert PublicRequest(relationship="young_person").relationship_described == "the young person"


def test_a_moment_on_a_page_is_in_uk_time_as_gov_uk_writes_it():
    """Family pages showed "4:08 p.m." (Django's "g:ia"); GOV.UK writes "4:08pm", in UK time
    (15:08 UTC on 1 July is 4:08pm British Summer Time)."""
    from django.template import Context, Template

    moment = dt.datetime(2026, 7, 1, 15, 8, tzinfo=dt.UTC)
    rendered = Template("{% load govuk %}{{ moment|date_and_time }}").render(
        Context({"moment": moment})
    )
    assert rendered == "1 July 2026, 4:08pm"


def test_a_limit_in_the_thousands_is_written_grouped():
    assert _refusal(lambda: wording.text("note", "n" * 5001, "the note"))[1] == (
        "The note must be 5,000 characters or fewer."
    )

"""The one date field: every page that asks for a date reads the same forms of date."""

import datetime as dt

import lxml.html
import pytest
from django import forms
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from everychild.core import dates
from everychild.core.forms import GovukForm, field_anchor


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


# --- the GOV.UK date input: three boxes, and still one value under the field's own name ----

DAYS = st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31))


def _parts(on: dt.date, *, pad: bool = False, short_year: bool = False) -> dict:
    day, month = (f"{on.day:02}", f"{on.month:02}") if pad else (str(on.day), str(on.month))
    year = f"{on.year % 100:02}" if short_year else str(on.year)
    return {"on-day": day, "on-month": month, "on-year": year}


@given(DAYS, st.booleans(), st.booleans())
def test_any_real_date_round_trips_through_the_three_boxes(on, pad, short_year):
    form = _Form(_parts(on, pad=pad, short_year=short_year))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == on


@given(DAYS, st.sampled_from(dates.FORMATS))
def test_any_real_date_round_trips_through_each_single_format(on, format):
    assert _read(on.strftime(format)) == on


@given(DAYS)
def test_a_whole_date_typed_in_the_day_box_is_read(on):
    form = _Form({"on-day": on.strftime("%d/%m/%Y"), "on-month": "", "on-year": ""})
    assert form.is_valid() and form.cleaned_data["on"] == on


@given(
    st.tuples(st.text(max_size=4), st.text(max_size=4), st.text(max_size=6)).filter(
        lambda parts: any(p.strip() for p in parts)
    )
)
def test_parts_that_are_not_a_real_date_are_refused_with_a_message(parts):
    day, month, year = parts
    form = _Form({"on-day": day, "on-month": month, "on-year": year})
    if form.is_valid():  # then they really were a date
        assert isinstance(form.cleaned_data["on"], dt.date)
    else:
        [message] = form.errors["on"]
        assert message.startswith("Date must ")


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("27", "", "2025", "Date of birth must include a month"),
        ("", "3", "", "Date of birth must include a day and year"),
        ("27", "3", "", "Date of birth must include a year"),
        ("31", "2", "2025", "Date of birth must be a real date"),
        ("27", "13", "2025", "Date of birth must be a real date"),
        ("27", "March", "2025", "Date of birth must be a real date"),
        ("27", "3", "202", "Date of birth must be a real date"),
    ],
)
def test_missing_or_impossible_parts_get_the_gov_uk_messages(day, month, year, message):
    class Form(forms.Form):
        born_on = dates.date_field("Date of birth")

    form = Form({"born_on-day": day, "born_on-month": month, "born_on-year": year})
    assert form.errors["born_on"] == [message]


def test_empty_boxes_are_an_unanswered_question():
    class Form(forms.Form):
        decided_on = dates.date_field("Date of the decision")
        maybe_on = dates.date_field("Date it ended", required=False)

    form = Form({"decided_on-day": "", "decided_on-month": "", "decided_on-year": ""})
    assert form.errors["decided_on"] == ["Enter date of the decision."]
    assert "maybe_on" not in form.errors and form.cleaned_data["maybe_on"] is None


def test_the_same_inputs_are_read_on_every_page_that_asks_for_a_date():
    # Each app's forms once had their own date field: finance read "27 3 2025", casework not.
    from everychild.casework.forms import DecisionForm
    from everychild.finance.forms import date_field as finance_date
    from everychild.timelines.forms import date_field as timeline_date

    for field in (DecisionForm.base_fields["decided_on"], finance_date("On"), timeline_date("On")):
        assert isinstance(field, dates.DateField)
        assert isinstance(field.widget, dates.DateInput)
        assert field.clean("27 3 2025") == dt.date(2025, 3, 27)


class _Asked(GovukForm):
    decided_on = dates.date_field("Date of the decision", hint="For example, 31/7/2027")


def _rendered(form) -> lxml.html.HtmlElement:
    html = Template("{% load govuk %}{% govuk_field form.decided_on %}").render(
        Context({"form": form})
    )
    return lxml.html.fromstring(f"<div>{html}</div>")


def test_the_question_is_the_gov_uk_date_input_in_a_fieldset():
    page = _rendered(_Asked())
    fieldset = page.find(".//fieldset")
    assert fieldset.get("role") == "group"
    assert fieldset.find("legend").text_content().strip() == "Date of the decision"
    assert page.find_class("govuk-date-input")
    boxes = page.xpath(".//input")
    assert [b.get("name") for b in boxes] == [
        "decided_on-day",
        "decided_on-month",
        "decided_on-year",
    ]
    labels = [page.xpath(f".//label[@for='{b.get('id')}']")[0].text_content() for b in boxes]
    assert labels == ["Day", "Month", "Year"]
    assert page.xpath(".//input[@type='date']") == []
    # The hint is written for the three boxes, not one.
    assert page.get_element_by_id("id_decided_on-hint").text_content() == "For example, 31 7 2027"


def test_what_was_typed_comes_back_in_the_boxes_with_the_error_and_the_link_lands():
    form = _Asked({"decided_on-day": "31", "decided_on-month": "2", "decided_on-year": "2025"})
    assert not form.is_valid()
    page = _rendered(form)
    assert [b.get("value") for b in page.xpath(".//input")] == ["31", "2", "2025"]
    error = page.get_element_by_id("id_decided_on-error").text_content()
    assert "Date of the decision must be a real date" in error
    assert "govuk-input--error" in page.get_element_by_id("id_decided_on-day").get("class")
    [item] = form.error_summary()
    assert item["href"] == "#id_decided_on-day" == f"#{page.xpath('.//input')[0].get('id')}"
    assert field_anchor(form, "decided_on") == "#id_decided_on-day"


def test_a_date_already_known_is_shown_in_the_boxes():
    page = _rendered(_Asked(initial={"decided_on": dt.date(2026, 9, 1)}))
    assert [b.get("value") for b in page.xpath(".//input")] == ["1", "9", "2026"]

"""The identifier and date checks on a child's record, as properties: every correctly formed
number passes, and every single-character slip a check digit exists to catch is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.gb import upn as stdnum_upn

from everychild.children import validators
from everychild.testing.factories import nhs_check_digit, nhs_number_for, upn_check_letter, upn_for

DIGITS = "0123456789"
# The letters a UPN uses (no I, O or S).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
KNOWN_LA_NUMBERS = sorted(
    {f"{n:03d}" for n in stdnum_upn._la_numbers} | validators.NEWER_LA_NUMBERS
)
UPN_CODES = {"upn_format", "upn_length", "upn_check", "upn_la"}

digits = st.text(alphabet=DIGITS, min_size=1, max_size=1)


@st.composite
def permanent_upns(draw) -> str:
    body = draw(st.sampled_from(KNOWN_LA_NUMBERS)) + draw(
        st.text(alphabet=DIGITS, min_size=9, max_size=9)
    )
    return upn_check_letter(body) + body


@st.composite
def temporary_upns(draw) -> str:
    """A temporary UPN ends in a letter instead of the last serial digit."""
    body = (
        draw(st.sampled_from(KNOWN_LA_NUMBERS))
        + draw(st.text(alphabet=DIGITS, min_size=8, max_size=8))
        + draw(st.sampled_from(UPN_LETTERS))
    )
    return upn_check_letter(body) + body


@st.composite
def nhs_numbers(draw) -> str:
    first_nine = draw(st.text(alphabet=DIGITS, min_size=9, max_size=9))
    check = nhs_check_digit(first_nine)
    assume(check is not None)
    return f"{first_nine}{check}"


def code_of(check, value) -> str:
    with pytest.raises(ValidationError) as caught:
        check(value)
    return caught.value.code


# --- UPN ----------------------------------------------------------------------------------


def test_known_good_upns_pass():
    validators.validate_upn("B801200005001")  # python-stdnum's own example
    validators.validate_upn(upn_for(1))  # Bournemouth, Christchurch and Poole (LA 839)
    validators.validate_upn("")  # not known: the reason is recorded instead


@pytest.mark.parametrize("la_number", sorted(validators.NEWER_LA_NUMBERS))
def test_upns_of_las_created_since_2011_pass(la_number):
    # python-stdnum's LA list predates BCP, Dorset, the Northamptonshires and Cumbria's split.
    validators.validate_upn(upn_for(123456789, la_number))


@given(permanent_upns())
def test_every_correctly_formed_permanent_upn_passes(upn):
    validators.validate_upn(upn)


@given(temporary_upns())
def test_every_correctly_formed_temporary_upn_passes(upn):
    validators.validate_upn(upn)


@given(permanent_upns(), st.integers(min_value=1, max_value=12), digits)
def test_changing_any_digit_of_a_upn_is_refused(upn, position, digit):
    assume(upn[position] != digit)
    changed = upn[:position] + digit + upn[position + 1 :]
    # Changing an LA digit may also give an unknown LA: refused either way.
    assert code_of(validators.validate_upn, changed) in {"upn_check", "upn_la"}


@given(permanent_upns(), st.sampled_from(UPN_LETTERS))
def test_a_wrong_check_letter_is_refused(upn, letter):
    assume(upn[0] != letter)
    assert code_of(validators.validate_upn, letter + upn[1:]) == "upn_check"


@given(permanent_upns(), st.integers(0, 12), st.integers(0, 12))
def test_swapping_any_two_different_characters_of_a_upn_is_refused(upn, i, j):
    i, j = sorted((i, j))
    assume(upn[i] != upn[j])
    swapped = upn[:i] + upn[j] + upn[i + 1 : j] + upn[i] + upn[j + 1 :]
    # Moving the check letter inside makes the shape wrong; swapping digits breaks the check.
    assert code_of(validators.validate_upn, swapped) in UPN_CODES


@given(permanent_upns())
def test_lower_case_spaces_and_wrong_lengths_are_refused_with_the_reason(upn):
    assert code_of(validators.validate_upn, upn.lower()) == "upn_format"
    assert code_of(validators.validate_upn, f" {upn}") == "upn_format"
    assert code_of(validators.validate_upn, f"{upn[:5]} {upn[5:]}") == "upn_format"
    assert code_of(validators.validate_upn, upn[:-1]) == "upn_length"
    assert code_of(validators.validate_upn, upn + "1") == "upn_length"


def test_upn_refusals_say_why():
    good = upn_for(42)
    cases = {
        "Z" + good[1:] if good[0] != "Z" else "Y" + good[1:]: "check letter is wrong",
        "A000123456789": "not a known local authority",
        good[:5] + "X" + good[6:]: "a letter followed by 11 digits",
        good[:12]: "13 characters long",
    }
    for value, reason in cases.items():
        with pytest.raises(ValidationError) as caught:
            validators.validate_upn(value)
        assert reason in caught.value.messages[0], value


# --- NHS number ---------------------------------------------------------------------------


def test_known_good_nhs_numbers_pass():
    validators.validate_nhs_number("9434765870")
    validators.validate_nhs_number(nhs_number_for(7))
    validators.validate_nhs_number("")


@given(nhs_numbers())
def test_every_correctly_formed_nhs_number_passes(number):
    validators.validate_nhs_number(number)


@given(nhs_numbers(), st.integers(0, 9), digits)
def test_changing_any_digit_of_an_nhs_number_is_refused(number, position, digit):
    assume(number[position] != digit)
    changed = number[:position] + digit + number[position + 1 :]
    assert code_of(validators.validate_nhs_number, changed) == "nhs_check"


@given(nhs_numbers(), st.integers(0, 9), st.integers(0, 9))
def test_swapping_any_two_different_digits_of_an_nhs_number_is_refused(number, i, j):
    i, j = sorted((i, j))
    assume(number[i] != number[j])
    swapped = number[:i] + number[j] + number[i + 1 : j] + number[i] + number[j + 1 :]
    assert code_of(validators.validate_nhs_number, swapped) == "nhs_check"


@pytest.mark.parametrize(
    "value",
    [
        "943 476 5870",  # spaces (the service removes them before validating)
        "943476587",
        "94347658700",
        "94347658X0",
        "٩٤٣٤٧٦٥٨٧٠",  # Arabic-Indic digits: isdigit() says yes, but not an NHS number
        "94347658７0",  # a full-width digit
    ],
)
def test_nhs_numbers_that_are_not_ten_plain_digits_are_refused_as_badly_formed(value):
    assert code_of(validators.validate_nhs_number, value) == "nhs_format"


def test_only_ten_plain_digits_make_a_unique_learner_number():
    validators.validate_uln("1234567890")
    for value in ("123456789", "12345678901", "12345６7890", "ABCDEFGHIJ"):
        assert code_of(validators.validate_uln, value) == "uln_format"


# --- Date of birth ------------------------------------------------------------------------

TODAY = dt.date(2025, 6, 15)


def test_born_today_or_in_the_past_up_to_the_day_before_the_25th_birthday_is_accepted():
    validators.validate_date_of_birth(TODAY, today=TODAY)
    validators.validate_date_of_birth(dt.date(2000, 6, 16), today=TODAY)  # 25 tomorrow


def test_a_date_of_birth_in_the_future_is_refused():
    with pytest.raises(ValidationError) as caught:
        validators.validate_date_of_birth(TODAY + dt.timedelta(days=1), today=TODAY)
    assert caught.value.code == "dob_future"
    assert "today or in the past" in caught.value.messages[0]


@pytest.mark.parametrize("born", [dt.date(2000, 6, 15), dt.date(2000, 6, 14), dt.date(1980, 1, 1)])
def test_a_person_aged_25_or_more_is_refused(born):
    with pytest.raises(ValidationError) as caught:
        validators.validate_date_of_birth(born, today=TODAY)
    assert caught.value.code == "dob_too_old"
    assert "25 or older" in caught.value.messages[0]


def test_born_on_29_february_is_25_on_1_march():
    born = dt.date(2004, 2, 29)
    validators.validate_date_of_birth(born, today=dt.date(2029, 2, 28))
    with pytest.raises(ValidationError):
        validators.validate_date_of_birth(born, today=dt.date(2029, 3, 1))


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_a_date_of_birth_is_accepted_exactly_when_under_25_and_not_in_the_future(born):
    accepted = born <= TODAY and validators.twenty_fifth_birthday(born) > TODAY
    try:
        validators.validate_date_of_birth(born, today=TODAY)
    except ValidationError:
        assert not accepted
    else:
        assert accepted

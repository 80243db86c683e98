"""Identifier and date checks for a child's record. Each raises ValidationError with a
message a caseworker can act on; none alters the value it is given."""

import datetime as dt

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.gb import nhs as stdnum_nhs
from stdnum.gb import upn as stdnum_upn

from everychild.core.digits import ascii_digits

# The EHC duties run from birth to the 25th birthday (CFA 2014 s.83(2)).
MAX_AGE_YEARS = 25

# LA numbers created since python-stdnum's list (January 2011), which refuses them: Dorset
# and Bournemouth, Christchurch and Poole (2019), North and West Northamptonshire (2021),
# Cumberland and Westmorland and Furness (2023).
NEWER_LA_NUMBERS = frozenset({"838", "839", "940", "941", "942", "943"})

_UPN_CHECK_WRONG = "This UPN's check letter is wrong: check it was copied correctly."


def validate_upn(value: str) -> None:
    """A UPN is 13 characters: a check letter, a 3-digit LA number, then 9 more."""
    if not value:
        return
    if value != value.strip().upper() or " " in value:
        raise ValidationError("Enter the UPN in capital letters with no spaces.", code="upn_format")
    try:
        stdnum_upn.validate(value)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError("A UPN is 13 characters long.", code="upn_length") from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(_UPN_CHECK_WRONG, code="upn_check") from None
    except stdnum_exceptions.InvalidComponent:
        # Raised before the check letter is looked at, so check it here for newer LAs.
        if value[1:4] not in NEWER_LA_NUMBERS:
            raise ValidationError(
                "This UPN's LA number (characters 2 to 4) is not a known local authority.",
                code="upn_la",
            ) from None
        if stdnum_upn.calc_check_digit(value[1:]) != value[0]:
            raise ValidationError(_UPN_CHECK_WRONG, code="upn_check") from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            "A UPN is a letter followed by 11 digits and a final digit or letter.",
            code="upn_format",
        ) from None


def validate_nhs_number(value: str) -> None:
    """An NHS number is 10 digits, the last a modulus-11 check digit."""
    if not value:
        return
    if not ascii_digits(value) or len(value) != 10:
        raise ValidationError("An NHS number is 10 digits with no spaces.", code="nhs_format")
    try:
        stdnum_nhs.validate(value)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            "This NHS number's check digit is wrong: check it was copied correctly.",
            code="nhs_check",
        ) from None


def validate_uln(value: str) -> None:
    """A unique learner number is 10 digits."""
    if value and (not ascii_digits(value) or len(value) != 10):
        raise ValidationError("A unique learner number (ULN) is 10 digits.", code="uln_format")


def twenty_fifth_birthday(date_of_birth: dt.date) -> dt.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + MAX_AGE_YEARS)
    except ValueError:  # 29 February
        return dt.date(date_of_birth.year + MAX_AGE_YEARS, 3, 1)


def validate_date_of_birth_not_future(value: dt.date, *, today: dt.date | None = None) -> None:
    """Checked on every save: nobody is born tomorrow."""
    today = today or dt.date.today()
    if value > today:
        raise ValidationError("Date of birth must be today or in the past.", code="dob_future")


def validate_date_of_birth(value: dt.date, *, today: dt.date | None = None) -> None:
    """Checked when a child is added or their date of birth is changed. Not on every save: a
    young person whose plan ceased years ago is now over 25, and their record must still be
    correctable."""
    today = today or dt.date.today()
    validate_date_of_birth_not_future(value, today=today)
    if twenty_fifth_birthday(value) <= today:
        raise ValidationError(
            "This person is 25 or older: EHC plans are for children and young people up to 25.",
            code="dob_too_old",
        )

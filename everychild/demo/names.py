"""The demonstration area's made-up names and identifiers: word lists that first names,
surnames, school and place names are drawn from, postcodes in BCP's districts, the texts of
requests and exceptions, and the check digits of UPNs and NHS numbers.

No real person's name is intended. NHS numbers are made in the 999 range the NHS reserves for
testing. Every generator takes the caller's `random.Random`, so the same stream gives the same
names."""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError
from stdnum.gb import nhs as stdnum_nhs
from stdnum.gb import upn as stdnum_upn

from everychild.children.validators import validate_upn


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BOYS = _words(
    "Oliver Harry George Noah Jack Leo Arthur Oscar Charlie Freddie Alfie Theo Archie Henry "
    "Finley Teddy Thomas Isaac Max Joshua Ethan Logan Reuben Toby Mason Jacob Lucas Harrison "
    "Riley Dylan Albie Ezra Rory Sonny Jude Kai Zac Elliot Callum Owen Kian Ibrahim Yusuf Mateo "
    "Luca Aarav Tomasz Kacper Jayden Bobby Ollie Sam Ruben Stanley Hugo Felix Milo Louie"
)
GIRLS = _words(
    "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace Daisy "
    "Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Matilda Ruby Harper Millie Maisie "
    "Esme Erin Imogen Lola Alice Hannah Niamh Zara Amira Maya Zofia Leah Chloe Jessica Megan "
    "Holly Layla Nell Bonnie Iris Aisha Tilly Lottie Edie Ada Orla Thea Mabel"
)
MOTHERS = _words(
    "Sarah Emma Laura Rebecca Claire Gemma Kelly Lisa Joanne Nicola Hayley Victoria Amy Katie "
    "Charlotte Rachel Jennifer Natalie Stacey Leanne Zoe Kirsty Samantha Danielle Aleksandra "
    "Fatima Priya Ewa Shona Bethany"
)
FATHERS = _words(
    "James Mark Daniel Christopher Matthew Paul Lee Stuart Craig Gareth Richard Andrew Michael "
    "Ben Adam Tom Jamie Ryan Carl Darren Wayne Neil Marcin Imran Rajesh Dean Simon Ashley"
)
SURNAME_HEADS = _words(
    "Ash Brack Brook Chal Colt Dene Fern Hale Heath Holt Kings Lang Lyn Marsh Mill Moor Nor "
    "Pen Rad Rook Sand Stan Thorn Wal Wes Whit Wood Yar Alder Bram Cran Dun Elm Hart Lark"
)
SURNAME_TAILS = _words(
    "bury by combe croft den field ford gate ham hurst ley lock mere more ridge ston ton well "
    "wick worth"
)
PLACE_HEADS = _words(
    "Sand Salt Heron Gull Chine Pine Harbour Cliff Tide Shell Dune Reed Heath Oak Willow Brook "
    "Kestrel Lark Wren Fern Marl Holly Beacon Quay Cob Tern Sedge Gorse Plover Otter"
)
PLACE_TAILS = _words(
    "banks marsh gate cliff wood side field lea down combe water hill ford haven mead view"
)
# BCP's postcode districts (Bournemouth, Poole, Christchurch).
POSTCODE_DISTRICTS = tuple(f"BH{n}" for n in (*range(1, 19), 23))
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters used in inward codes

REQUEST_REASONS = (
    "Not making expected progress despite SEN support over three cycles of assess, plan, do, "
    "review.",
    "Significant speech and language delay; needs beyond what the setting can provide.",
    "Escalating distress and school refusal; the school's graduated response is exhausted.",
    "Autism diagnosis this year; needs a high level of adult support through the day.",
    "Complex medical and physical needs; moving from nursery to school next September.",
    "Repeated fixed-term suspensions; unmet social, emotional and mental health needs.",
    "Global developmental delay; the family asks for a specialist placement to be considered.",
    "Literacy far below age-related expectations despite specialist teaching.",
    "Hearing impairment with language delay; needs specialist teaching and equipment.",
    "Young person at college whose needs have increased; support plan no longer enough.",
)
PERSONAL_CIRCUMSTANCES = (
    "Parent in hospital for several weeks; assessment appointments postponed.",
    "Bereavement in the family; the family asked for the assessment to pause.",
    "Child seriously ill; advice appointments rearranged.",
    "Family moved to temporary accommodation after a house fire.",
)
ABSENCES = (
    "Family abroad caring for a relative.",
    "Child in hospital outside the area.",
    "Family away from the area on an armed forces posting.",
)


# Every surname and every place name the lists make, in a fixed order.
SURNAMES = tuple(h + t for h in SURNAME_HEADS for t in SURNAME_TAILS)
PLACES = tuple(h + t for h in PLACE_HEADS for t in PLACE_TAILS)


def staff_name(rng: random.Random) -> str:
    first = rng.choice(MOTHERS + FATHERS)
    return f"{first} {rng.choice(SURNAME_HEADS)}{rng.choice(SURNAME_TAILS)}"


def postcode(rng: random.Random) -> str:
    return (
        f"{rng.choice(POSTCODE_DISTRICTS)} {rng.randint(1, 9)}"
        f"{rng.choice(POSTCODE_LETTERS)}{rng.choice(POSTCODE_LETTERS)}"
    )


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit from python-stdnum's modulus-11 checksum (the digit that brings it to
    0); None when no digit does, so those 9 digits are never issued."""
    check = -stdnum_nhs.checksum(first_nine + "0") % 11
    return None if check == 10 else check


def upn_la_accepted(la: str) -> bool:
    """Whether the project's UPN check accepts LA number `la` (python-stdnum's list predates
    2019; the project's validator adds the newer LAs)."""
    body = f"{la}200119001"
    try:
        validate_upn(stdnum_upn.calc_check_digit(body) + body)
    except ValidationError:
        return False
    return True


def first_day_at_setting(born, today):
    """When a demonstration child joined the setting they are at now: the September they
    began its stage (an early years setting at 2, primary at 4, secondary at 11, college at
    16), never after today. The records say where a child is; this makes the history of
    settings (decision 0240) start somewhere plausible."""
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    stage = 2 if age < 4 else 4 if age < 11 else 11 if age < 16 else 16
    # A child born September to December starts school the year after they turn the age.
    year = born.year + stage + (1 if born.month >= 9 else 0)
    first = today.replace(year=year, month=9, day=1)
    return min(first, today)

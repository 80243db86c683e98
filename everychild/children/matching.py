"""Is this child already known? Likely duplicates of a child record, by the identifiers that
follow a child (UPN, NHS number) or by name, date of birth and postcode allowing for the ways
the same child is written down differently: accents, hyphens and spaces in names, a short form
of a first name (Alex for Alexander), a double-barrelled surname given in part, first and last
names the wrong way round, a postcode without its space, and day and month of birth swapped.

One child should have one record (UK GDPR art. 5(1)(d), accuracy; the SEN2 return counts each
child once). A likely match is only offered: a caseworker decides, and merges."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Q

from everychild.children.models import Child

SAME_UPN = "same UPN"
SAME_NHS = "same NHS number"
SAME_PERSON = "same name, date of birth and postcode"
NO_POSTCODE = "same name and date of birth (one record has no postcode)"
# The least a short form of a first name must keep: "Al" is too many people.
SHORT_FORM = 3


@dataclass(frozen=True)
class Likeness:
    child: Child
    reasons: tuple[str, ...]


def name_parts(text: str) -> tuple[str, ...]:
    """ "Zoë Smith-Jones" -> ("zoe", "smith", "jones"): accents, case, hyphens and apostrophes
    are how a name was typed, not who the child is."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = plain.replace("'", "").replace("\u2019", "")
    return tuple("".join(c if c.isalpha() else " " for c in plain).split())


def postcode_key(text: str) -> str:
    return "".join((text or "").split()).upper()


def _first_names_agree(a: Iterable[str], b: Iterable[str]) -> bool:
    for x in a:
        for y in b:
            short, long = sorted((x, y), key=len)
            if x == y or (len(short) >= SHORT_FORM and long.startswith(short)):
                return True
    return False


def _last_names_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return bool(a and b and (set(a) & set(b) or "".join(a) == "".join(b)))


def names_agree(first_a, last_a, first_b, last_b, known_as_a="", known_as_b="") -> bool:
    fa = name_parts(first_a) + name_parts(known_as_a)
    fb = name_parts(first_b) + name_parts(known_as_b)
    la, lb = name_parts(last_a), name_parts(last_b)
    if _last_names_agree(la, lb) and _first_names_agree(fa, fb):
        return True
    # First and last names the wrong way round on one form (either one: a match must not
    # depend on which record is looked at first).
    return (_last_names_agree(name_parts(first_a), lb) and _first_names_agree(la, fb)) or (
        _last_names_agree(la, name_parts(first_b)) and _first_names_agree(fa, lb)
    )


def birthdays(day: dt.date) -> list[dt.date]:
    """The date of birth and, when it makes a date, the one with day and month swapped."""
    found = [day]
    if day.day <= 12 and day.day != day.month:
        found.append(day.replace(month=day.day, day=day.month))
    return found


def _same_name_and_birthday(a: Child, b: Child) -> bool:
    return b.date_of_birth in birthdays(a.date_of_birth) and names_agree(
        a.first_name, a.last_name, b.first_name, b.last_name, a.preferred_name, b.preferred_name
    )


def reasons(a: Child, b: Child) -> tuple[str, ...]:
    found = []
    if a.upn and a.upn == b.upn:
        found.append(SAME_UPN)
    if a.nhs_number and a.nhs_number == b.nhs_number:
        found.append(SAME_NHS)
    if _same_name_and_birthday(a, b):
        here, there = postcode_key(a.postcode), postcode_key(b.postcode)
        if here and here == there:
            found.append(SAME_PERSON)
        elif not here or not there:
            # The public form does not insist on a postcode: without one, name and date of
            # birth are offered for the caseworker to check.
            found.append(NO_POSTCODE)
    return tuple(found)


def likely_duplicates(candidate: Child, among) -> list[Likeness]:
    """Records in `among` (a queryset of children) that are likely the same child as
    `candidate` (saved or not), leaving out the candidate itself and merged records."""
    query = Q(date_of_birth__in=birthdays(candidate.date_of_birth))
    if candidate.upn:
        query |= Q(upn=candidate.upn)
    if candidate.nhs_number:
        query |= Q(nhs_number=candidate.nhs_number)
    others = among.filter(query, area_id=candidate.area_id, merged_into__isnull=True)
    if candidate.pk:
        others = others.exclude(pk=candidate.pk)
    found = []
    for other in others.select_related("current_setting"):
        why = reasons(candidate, other)
        if why:
            found.append(Likeness(other, why))
    return found


def likely_duplicate_pairs(among) -> list[tuple[Child, Child, tuple[str, ...]]]:
    """Every pair of records in `among` that are likely one child, newest record first."""
    children = list(among.filter(merged_into__isnull=True))
    groups: dict[tuple, list[Child]] = defaultdict(list)
    for child in children:
        if child.upn:
            groups[("upn", child.upn)].append(child)
        if child.nhs_number:
            groups[("nhs", child.nhs_number)].append(child)
        # Keyed by both orders of day and month, so a swapped pair meets in one group; not by
        # postcode, which one record may lack.
        groups[("born", frozenset(birthdays(child.date_of_birth)))].append(child)
    seen: dict[tuple[int, int], tuple[Child, Child]] = {}
    for group in groups.values():
        for a, b in combinations(sorted(set(group), key=lambda c: c.pk), 2):
            seen.setdefault((a.pk, b.pk), (a, b))
    pairs = []
    for (_a, _b), (older, newer) in seen.items():
        why = reasons(newer, older)
        if why:
            pairs.append((newer, older, why))
    pairs.sort(key=lambda pair: -pair[0].pk)
    return pairs

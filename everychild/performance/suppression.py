"""Small numbers are not shown to people who see figures only (the SEND Board, the parent
carer forum, finance): a count of 1 to 4, or a percentage or median resting on one, could
point to a child. Staff who may open the records behind a figure see it whole.

Rules (docs/decisions/0020-performance-measures-and-dfe-statistics.md):
- a count from 1 to 4 is shown as "fewer than 5"; 0 is shown (it describes no one);
- a percentage is withheld when its numerator, its denominator or the difference between them
  is from 1 to 4 (any of the three would give the others away);
- a median is withheld when it rests on fewer than 5 records;
- in a breakdown, a category from 1 to 4 is withheld, and if only one is, the next smallest is
  withheld too, so that it cannot be worked out from the total: a zero if no other category
  has anyone in it (a lone withheld cell beside zeros is the total itself).
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL = 5
WITHHELD = "fewer than 5"
WITHHELD_SHORT = "[c]"  # the GSS symbol for a figure withheld for confidentiality


def is_small(n: int | None) -> bool:
    return n is not None and 0 < n < SMALL


@dataclass
class Shown:
    """A figure as one viewer may see it: `value` is None when it is withheld."""

    value: float | None
    numerator: int | None
    denominator: int | None
    withheld: bool = False


def shown(figure, unit: str, aggregate: str, *, suppress: bool) -> Shown:
    value, numerator, denominator = figure.value, figure.numerator, figure.denominator
    if not suppress or value is None:
        return Shown(value, numerator, denominator)
    if unit == "percent" and denominator is not None and aggregate != "growth":
        if is_small(numerator) or is_small(denominator) or is_small(denominator - numerator):
            return Shown(None, None, None, withheld=True)
        return Shown(value, numerator, denominator)
    if aggregate == "growth":
        before = figure.extra.get("before") if figure.extra else denominator
        now = figure.extra.get("now") if figure.extra else None
        if is_small(before) or is_small(now):
            return Shown(None, None, None, withheld=True)
        return Shown(value, numerator, denominator)
    if aggregate == "median":
        if is_small(numerator):
            return Shown(None, None, None, withheld=True)
        return Shown(value, numerator, None)
    if is_small(numerator if numerator is not None else value):
        return Shown(None, None, None, withheld=True)
    return Shown(value, numerator, denominator)


def breakdown(counts: dict[str, int], *, suppress: bool) -> dict[str, int | None]:
    """Counts by category with small ones withheld (None), and the secondary cell withheld
    when only one is."""
    if not suppress:
        return dict(counts)
    out: dict[str, int | None] = {k: (None if is_small(v) else v) for k, v in counts.items()}
    withheld = [k for k, v in out.items() if v is None]
    if len(withheld) == 1:
        # Complementary suppression: the smallest other category with anyone in it, else a
        # zero (the total less the zeros shown would otherwise be the withheld cell).
        others = sorted((v == 0, v, k) for k, v in out.items() if v is not None)
        if others:
            out[others[0][2]] = None
    return out

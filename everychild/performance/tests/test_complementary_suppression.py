"""Small-number suppression is complementary: a category withheld from a breakdown cannot be
worked out from the total (which is shown) and the cells left showing, zeros included (ONS/GSS
disclosure control: secondary suppression)."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from everychild.performance.suppression import SMALL, breakdown

counts_strategy = st.dictionaries(
    st.sampled_from("abcdef"), st.integers(min_value=0, max_value=12), min_size=2, max_size=6
)


def _possible_values(shown: dict, total: int, key: str) -> set[int]:
    """What an observer who knows the total and every shown cell could believe `key` holds:
    any split of the remainder over the withheld cells in which one of them is small (one
    must be, or nothing would be withheld)."""
    withheld = [k for k, v in shown.items() if v is None]
    assert key in withheld
    remainder = total - sum(v for v in shown.values() if v is not None)
    others = len(withheld) - 1
    found = set()
    # Each value `key` might hold, and whether the rest can be split over the other withheld
    # cells with one cell small: worked out, not enumerated (six withheld cells and a remainder
    # of 70 are 10^11 splits; test_the_worked_out_answer_is_every_split_counted checks this).
    for value in range(remainder + 1):
        rest = remainder - value
        if others == 0:
            possible = rest == 0 and 0 < value < SMALL
        elif 0 < value < SMALL:
            possible = True  # any rest goes to the other cells
        elif others == 1:
            possible = 0 < rest < SMALL  # the one other cell must be the small one
        else:
            possible = rest >= 1  # one other cell takes 1 (small), another the rest
        if possible:
            found.add(value)
    return found


def _possible_values_counted(shown: dict, total: int, key: str) -> set[int]:
    """The same, by counting every split (only for small remainders)."""
    withheld = [k for k, v in shown.items() if v is None]
    remainder = total - sum(v for v in shown.values() if v is not None)
    found = set()
    for split in itertools.product(range(remainder + 1), repeat=len(withheld)):
        if sum(split) == remainder and any(0 < v < SMALL for v in split):
            found.add(split[withheld.index(key)])
    return found


def test_the_worked_out_answer_is_every_split_counted():
    for withheld in range(1, 5):
        for remainder in range(0, 14):
            shown = {**{f"w{i}": None for i in range(withheld)}, "x": 7}
            total = remainder + 7
            assert _possible_values(shown, total, "w0") == _possible_values_counted(
                shown, total, "w0"
            ), (withheld, remainder)


def test_a_lone_small_category_beside_zeros_is_not_given_away_by_the_total():
    shown = breakdown({"a": 3, "b": 0, "c": 0}, suppress=True)
    assert shown["a"] is None
    assert _possible_values(shown, 3, "a") != {3}


@given(counts_strategy)
def test_no_withheld_category_can_be_worked_out_from_the_total(counts):
    shown = breakdown(counts, suppress=True)
    total = sum(counts.values())
    for key, value in shown.items():
        if value is None:
            assert len(_possible_values(shown, total, key)) > 1, (counts, shown, key)
        else:
            assert value == counts[key]

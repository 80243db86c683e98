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
    remainder = total - sum(v for v in shown.values() if v is not None)
    found = set()
    for split in itertools.product(range(remainder + 1), repeat=len(withheld)):
        if sum(split) == remainder and any(0 < v < SMALL for v in split):
            found.add(split[withheld.index(key)])
    return found


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

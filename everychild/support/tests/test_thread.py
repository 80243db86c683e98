"""The golden thread's rules hold whatever is added and removed (hypothesis)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from everychild.support.thread import add_item, empty_thread, remove_item

TODAY = dt.date(2026, 12, 6)

steps = st.lists(
    st.tuples(
        st.sampled_from(["add_need", "add_outcome", "add_provision", "remove"]),
        st.integers(min_value=0, max_value=5),
    ),
    max_size=25,
)


@given(steps)
def test_ids_are_unique_and_links_point_at_items_that_exist(actions):
    thread = empty_thread()
    ever_given: set[str] = set()
    for action, n in actions:
        needs = [i["id"] for i in thread["needs"]]
        outcomes = [i["id"] for i in thread["outcomes"]]
        if action == "add_need":
            thread = add_item(thread, "needs", {"text": f"need {n}"}, today=TODAY)
        elif action == "add_outcome":
            thread = add_item(
                thread, "outcomes", {"text": "o", "needs": needs[n : n + 2]}, today=TODAY
            )
        elif action == "add_provision":
            thread = add_item(
                thread, "provision", {"what": "p", "outcomes": outcomes[:n]}, today=TODAY
            )
        else:
            everything = [
                (k, i["id"]) for k in ("needs", "outcomes", "provision") for i in thread[k]
            ]
            if everything:
                kind, item_id = everything[n % len(everything)]
                thread = remove_item(thread, kind, item_id)
        ids = [i["id"] for k in ("needs", "outcomes", "provision") for i in thread[k]]
        assert len(ids) == len(set(ids))
        if action.startswith("add"):
            kind = {"add_need": "needs", "add_outcome": "outcomes"}.get(action, "provision")
            # An id is never given twice: a cycle's review of a removed outcome must not show
            # a later outcome's words.
            newest = thread[kind][-1]["id"]
            assert newest not in ever_given
            ever_given.add(newest)
        need_ids = {i["id"] for i in thread["needs"]}
        outcome_ids = {i["id"] for i in thread["outcomes"]}
        assert all(set(o["needs"]) <= need_ids for o in thread["outcomes"])
        assert all(set(p["outcomes"]) <= outcome_ids for p in thread["provision"])


def test_a_link_to_an_item_not_in_the_plan_is_refused():
    with pytest.raises(ValidationError) as refused:
        add_item(empty_thread(), "outcomes", {"text": "o", "needs": ["b9"]}, today=TODAY)
    assert "needs" in refused.value.message_dict


def test_an_outcome_date_in_the_past_is_refused():
    thread = add_item(empty_thread(), "needs", {"text": "n"}, today=TODAY)
    with pytest.raises(ValidationError, match="must be in the future"):
        add_item(
            thread,
            "outcomes",
            {"text": "o", "needs": ["b1"], "by_when": TODAY - dt.timedelta(days=1)},
            today=TODAY,
        )


def test_a_removed_outcomes_id_is_not_given_to_the_next_outcome():
    thread = add_item(empty_thread(), "needs", {"text": "n"}, today=TODAY)
    thread = add_item(thread, "outcomes", {"text": "Reads aloud", "needs": ["b1"]}, today=TODAY)
    thread = remove_item(thread, "outcomes", "e1")
    thread = add_item(thread, "outcomes", {"text": "Joins in", "needs": ["b1"]}, today=TODAY)
    assert thread["outcomes"][0]["id"] == "e2"

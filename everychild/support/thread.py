"""The golden thread of a support plan: needs -> outcomes -> provision, as the items of EHC
plan sections B, E and F (plans/sections.py) so that an EHC plan can start from them. Pure:
functions of a dict, refusing bad items with a message naming the field."""

from __future__ import annotations

import copy
import datetime as dt

from everychild.core.wording import refuse, text

ITEM_LISTS = ("needs", "outcomes", "provision")
# The same prefixes as the EHC plan's sections B, E and F.
ID_PREFIX = {"needs": "b", "outcomes": "e", "provision": "f"}
PROVISION_FIELDS = ("how_often", "how_long", "by_whom", "qualification")
WHAT = {
    "how_often": "how often",
    "how_long": "for how long",
    "by_whom": "who provides it",
    "qualification": "their qualification",
}


#: Ids of items removed from the plan. A cycle's review results are kept by outcome id, so an
#: id is never given to a new item once used: the old review must not show a new outcome's words.
RETIRED = "retired"


def empty_thread() -> dict:
    return {"needs": [], "outcomes": [], "provision": [], RETIRED: []}


def normalised(thread: dict | None) -> dict:
    full = empty_thread()
    for key in (*ITEM_LISTS, RETIRED):
        full[key] = copy.deepcopy((thread or {}).get(key, []))
    return full


def _next_id(thread: dict, kind: str) -> str:
    used = {item.get("id") for key in ITEM_LISTS for item in thread[key]}
    used.update(thread[RETIRED])
    number = 1
    while f"{ID_PREFIX[kind]}{number}" in used:
        number += 1
    return f"{ID_PREFIX[kind]}{number}"


def _links(thread: dict, field: str, chosen, among: str, message: str) -> list[str]:
    known = {item["id"] for item in thread[among]}
    chosen = list(chosen or [])
    if any(choice not in known for choice in chosen):
        refuse(field, message)
    return chosen


def add_item(thread: dict, kind: str, fields: dict, *, today: dt.date) -> dict:
    """A copy of the thread with one more need, outcome or line of provision."""
    thread = normalised(thread)
    # The day it was added: a setting the child has left reads only what was there in its time.
    item = {"id": _next_id(thread, kind), "added_on": today.isoformat()}
    if kind == "needs":
        item["text"] = text("text", fields.get("text"), "the need")
    elif kind == "outcomes":
        item["text"] = text("text", fields.get("text"), "the outcome")
        item["needs"] = _links(
            thread, "needs", fields.get("needs"), "needs", "Choose needs from this plan."
        )
        by_when = fields.get("by_when")
        if by_when is not None and (not isinstance(by_when, dt.date) or by_when < today):
            refuse("by_when", "The date an outcome is to be reached by must be in the future.")
        item["by_when"] = by_when.isoformat() if by_when else ""
        item["measured_by"] = text(
            "measured_by", fields.get("measured_by"), "how it will be measured", required=False
        )
    elif kind == "provision":
        item["what"] = text("what", fields.get("what"), "what the provision is")
        for field in PROVISION_FIELDS:
            item[field] = text(
                field, fields.get(field), WHAT[field], required=False, max_length=500
            )
        item["outcomes"] = _links(
            thread,
            "outcomes",
            fields.get("outcomes"),
            "outcomes",
            "Choose outcomes from this plan.",
        )
        if fields.get("offer_id"):
            item["offer_id"] = int(fields["offer_id"])
    else:
        refuse("kind", "Choose a need, an outcome or provision.")
    thread[kind].append(item)
    return thread


def as_of(thread: dict | None, until: dt.date) -> dict:
    """The items added on or before `until` (as a setting the child has left may read them).
    Items recorded before items were dated are left out: when they were added is not known."""
    thread = normalised(thread)
    for kind in ITEM_LISTS:
        thread[kind] = [
            item for item in thread[kind] if item.get("added_on", "9999") <= until.isoformat()
        ]
    return thread


def remove_item(thread: dict, kind: str, item_id: str) -> dict:
    """A copy without the item, and without any link to it."""
    thread = normalised(thread)
    if kind not in ITEM_LISTS:
        refuse("kind", "Choose a need, an outcome or provision.")
    kept = [item for item in thread[kind] if item.get("id") != item_id]
    if len(kept) == len(thread[kind]):
        refuse("item", "That item is not in this plan (it may have been removed already).")
    thread[kind] = kept
    thread[RETIRED].append(item_id)
    for outcome in thread["outcomes"]:
        outcome["needs"] = [n for n in outcome.get("needs", []) if n != item_id]
    for line in thread["provision"]:
        line["outcomes"] = [o for o in line.get("outcomes", []) if o != item_id]
    return thread


def as_plan_sections(plan) -> dict:
    """The support plan in the EHC plan's section shape (A, B, E, F), for the shared quality
    rules and for an EHC plan that starts from it."""
    thread = normalised(plan.thread)
    views = "\n\n".join(v for v in (plan.child_views, plan.family_views) if v)
    return {
        "A": {"text": views},
        "B": {
            "primary_need": plan.primary_need,
            "secondary_need": plan.secondary_need,
            "needs": thread["needs"],
        },
        "E": {"outcomes": thread["outcomes"]},
        "F": {"provision": thread["provision"]},
    }

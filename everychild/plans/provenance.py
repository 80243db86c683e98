"""Where each line of a plan came from (issue 19, decision 0195).

An item of sections B-H accepted from structured advice carries a `source` in the version's
sections JSON, so it is frozen with the version, copied into every later draft, and read by
the document, section K and the quality check without another query:

    "source": {"advice_request": 12, "advice_item": 40, "paragraph": 3,
               "kind": "Psychological advice", "body": "Riverside EP Service",
               "date": "2026-03-12", "edited": false}

`paragraph` is the item's place (1, 2, 3...) in the advice as its author wrote it and as the
advice page lists it (by plan section, then the order written); submitted advice can no longer
change, so the number holds.

Which section a suggestion goes to: the section the advice giver mapped it to (advice.AdviceItem
.section, checked against its kind when written: needs B/C/D, outcomes E, provision F/G/H1/H2).
The default below, by the kind of advice, is only for an item with no usable section.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from everychild.core.wording import long_date
from everychild.plans.sections import ITEM_LIST, PROVISION_SECTIONS, SECTION_KEYS

# Default section for an advice item by its kind and the kind of advice (casework.AdviceKind
# values): education and psychology -> B/F, health -> C/G, social care -> D/H2.
DEFAULT_SECTION = {
    "need": {"ep": "B", "education": "B", "health": "C", "social_care": "D", "other": "B"},
    "outcome": {},
    "provision": {"ep": "F", "education": "F", "health": "G", "social_care": "H2", "other": "F"},
}
ALLOWED = {
    "need": ("B", "C", "D"),
    "outcome": ("E",),
    "provision": PROVISION_SECTIONS,
}


def section_for(item_kind: str, item_section: str, advice_kind: str) -> str:
    """The plan section a structured advice item is offered into."""
    if item_section in ALLOWED.get(item_kind, ()):
        return item_section
    if item_kind == "outcome":
        return "E"
    return DEFAULT_SECTION.get(item_kind, {}).get(advice_kind, "B" if item_kind == "need" else "F")


def make_source(
    *,
    advice_request_id: int,
    advice_item_id: int,
    paragraph: int,
    kind: str,
    body: str,
    date: dt.date | None,
    edited: bool = False,
) -> dict:
    return {
        "advice_request": advice_request_id,
        "advice_item": advice_item_id,
        "paragraph": paragraph,
        "kind": kind,
        "body": body,
        "date": date.isoformat() if date else "",
        "edited": bool(edited),
    }


def label(source: dict | None) -> str:
    """ "From: Psychological advice, Riverside EP Service, 12 March 2026, paragraph 3"."""
    if not source:
        return ""
    parts = [source.get("kind") or "Advice"]
    if source.get("body"):
        parts.append(source["body"])
    with contextlib.suppress(ValueError):
        parts.append(long_date(dt.date.fromisoformat(source.get("date") or "")))
    if source.get("paragraph"):
        parts.append(f"paragraph {source['paragraph']}")
    text = "From: " + ", ".join(parts)
    return text + (" (edited when accepted)" if source.get("edited") else "")


def sourced_items(sections: dict) -> list[tuple[str, dict]]:
    """(section, item) for every item of B-H that carries a source, in plan order."""
    found = []
    for key in SECTION_KEYS:
        if key == "K" or key not in ITEM_LIST:
            continue
        for item in sections.get(key, {}).get(ITEM_LIST[key], []) or []:
            if isinstance(item.get("source"), dict):
                found.append((key, item))
    return found


def accepted_advice_items(sections: dict) -> set[int]:
    """The advice items already taken into the plan (never offered twice)."""
    return {item["source"].get("advice_item") for _, item in sourced_items(sections)}


def items_by_advice(sections: dict) -> dict[int, list[tuple[str, dict]]]:
    """The items taken from each advice request, for section K."""
    grouped: dict[int, list[tuple[str, dict]]] = {}
    for key, item in sourced_items(sections):
        grouped.setdefault(item["source"].get("advice_request"), []).append((key, item))
    return grouped

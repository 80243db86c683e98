"""The EHC plan's sections A-K (SEND Code of Practice 9.62) as structured data.

A version of a plan holds its sections as one JSON document of this shape, so a version is
one row that can be frozen, compared and rendered whole (decision 0070). Items that link to
each other (the "golden thread": need -> outcome -> provision) carry short ids ("b1", "e3",
"f12") that stay the same from one version to the next, so a comparison can say what changed
in an item rather than that one item went and another came.

    A   {"text"}                                     views, interests and aspirations
    B   {"primary_need", "secondary_need", "needs": [{"id", "text"}]}
    C,D {"needs": [{"id", "text"}]}                  health / social care needs
    E   {"outcomes": [{"id", "text", "needs": [ids], "by_when", "measured_by"}]}
    F,G,H1,H2 {"provision": [{"id", "what", "how_often", "how_long", "by_whom",
                              "qualification", "outcomes": [ids]}]}
    I   {"setting_id", "setting_name", "urn", "ukprn", "setting_code", "setting_type"}
    J   {"requested", "text", "amount"}              personal budget
    K   {"advice": [{"advice_request", "kind", "organisation", "provided_on", "summary"}]}

An item of B-H taken from structured advice also carries its "source" (plans.provenance).
"""

from __future__ import annotations

import copy

SECTION_KEYS = ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K")

SECTION_TITLES = {
    "A": "The views, interests and aspirations of the child and their parents",
    "B": "Special educational needs",
    "C": "Health needs related to special educational needs",
    "D": "Social care needs related to special educational needs",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision under section 2 of the Chronically Sick and Disabled "
    "Persons Act 1970",
    "H2": "Other social care provision",
    "I": "Placement: the school or other institution",
    "J": "Personal budget",
    "K": "Advice and information",
}
# Section A of a young person's plan records their own views (SEND Regulations 2014 reg
# 12(1)(a): "of the child and the child's parent or of the young person").
YOUNG_PERSON_SECTION_A = "The views, interests and aspirations of the young person"

NEED_SECTIONS = ("B", "C", "D")
PROVISION_SECTIONS = ("F", "G", "H1", "H2")
ITEM_LIST = {
    "B": "needs",
    "C": "needs",
    "D": "needs",
    "E": "outcomes",
    "F": "provision",
    "G": "provision",
    "H1": "provision",
    "H2": "provision",
    "K": "advice",
}
ID_PREFIX = {"B": "b", "C": "c", "D": "d", "E": "e", "F": "f", "G": "g", "H1": "h", "H2": "s"}

PROVISION_FIELDS = ("what", "how_often", "how_long", "by_whom", "qualification")
PROVISION_LABELS = {
    "what": "What",
    "how_often": "How often",
    "how_long": "For how long",
    "by_whom": "By whom",
    "qualification": "Qualification",
    "outcomes": "Outcomes it works towards",
}
OUTCOME_LABELS = {
    "text": "Outcome",
    "needs": "Needs it answers",
    "by_when": "By when",
    "measured_by": "How it will be measured",
}


def empty_sections() -> dict:
    return {
        "A": {"text": ""},
        "B": {"primary_need": "", "secondary_need": "", "needs": []},
        "C": {"needs": []},
        "D": {"needs": []},
        "E": {"outcomes": []},
        "F": {"provision": []},
        "G": {"provision": []},
        "H1": {"provision": []},
        "H2": {"provision": []},
        "I": {
            "setting_id": None,
            "setting_name": "",
            "urn": "",
            "ukprn": "",
            "setting_code": "",
            "setting_type": "",
        },
        "J": {"requested": False, "text": "", "amount": ""},
        "K": {"advice": []},
    }


def normalised(sections: dict | None) -> dict:
    """A full copy with every section and key present (older or partial documents filled in)."""
    full = empty_sections()
    for key, value in (sections or {}).items():
        if key in full and isinstance(value, dict):
            full[key].update(copy.deepcopy(value))
    return full


def next_id(sections: dict, section: str) -> str:
    """A fresh item id for `section`, never reused within the plan's document."""
    prefix = ID_PREFIX[section]
    used = {
        item.get("id", "")
        for key in SECTION_KEYS
        if key in ITEM_LIST
        for item in sections.get(key, {}).get(ITEM_LIST[key], [])
    }
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def all_needs(sections: dict) -> list[tuple[str, dict]]:
    """Every need in B, C and D with its section."""
    return [(key, need) for key in NEED_SECTIONS for need in sections[key]["needs"]]


def all_provision(sections: dict) -> list[tuple[str, dict]]:
    return [(key, line) for key in PROVISION_SECTIONS for line in sections[key]["provision"]]


def item_label(section: str, item: dict) -> str:
    """A short name for an item, for messages and comparisons."""
    text = item.get("text") or item.get("what") or item.get("organisation") or item.get("id")
    text = " ".join(str(text).split())
    return text if len(text) <= 80 else text[:77] + "..."

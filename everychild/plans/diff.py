"""What changed between two versions of a plan, section by section. Pure.

Items are matched by their id (kept from version to version), so a changed line of provision
shows as one change with the fields that moved, not as one removed and one added."""

from __future__ import annotations

from dataclasses import dataclass, field

from everychild.plans.sections import (
    ITEM_LIST,
    OUTCOME_LABELS,
    PROVISION_LABELS,
    SECTION_KEYS,
    SECTION_TITLES,
    item_label,
    normalised,
)

FIELD_LABELS = {
    **PROVISION_LABELS,
    **OUTCOME_LABELS,
    "text": "Text",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "setting_name": "Setting",
    "urn": "URN",
    "ukprn": "UKPRN",
    "setting_code": "SEN2 setting code",
    "setting_type": "Type of setting",
    "requested": "Personal budget requested",
    "amount": "Amount",
    "kind": "Kind of advice",
    "organisation": "From",
    "provided_on": "Received on",
}


@dataclass
class Change:
    kind: str  # "added", "removed", "changed"
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)


@dataclass
class SectionDiff:
    section: str
    title: str
    changes: list[Change]

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def _show(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _field_changes(before: dict, after: dict, skip=("id", "setting_id")) -> list:
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in skip]
    return [
        (FIELD_LABELS.get(k, k), _show(before.get(k)), _show(after.get(k)))
        for k in keys
        if _show(before.get(k)) != _show(after.get(k))
    ]


def compare(old: dict, new: dict) -> list[SectionDiff]:
    """Every section, with its changes from `old` to `new` (empty where nothing changed)."""
    old, new = normalised(old), normalised(new)
    result = []
    for key in SECTION_KEYS:
        changes: list[Change] = []
        list_name = ITEM_LIST.get(key)
        before_rest = {k: v for k, v in old[key].items() if k != list_name}
        after_rest = {k: v for k, v in new[key].items() if k != list_name}
        rest = _field_changes(before_rest, after_rest)
        if rest:
            changes.append(Change("changed", SECTION_TITLES[key], rest))
        if list_name:
            if key == "K":
                ident = lambda item: (item.get("kind"), item.get("organisation"))  # noqa: E731
            else:
                ident = lambda item: item.get("id")  # noqa: E731
            before = {ident(i): i for i in old[key][list_name]}
            after = {ident(i): i for i in new[key][list_name]}
            for item_id, item in after.items():
                if item_id not in before:
                    changes.append(Change("added", item_label(key, item), _field_changes({}, item)))
                else:
                    moved = _field_changes(before[item_id], item)
                    if moved:
                        changes.append(Change("changed", item_label(key, item), moved))
            for item_id, item in before.items():
                if item_id not in after:
                    changes.append(Change("removed", item_label(key, item)))
        result.append(SectionDiff(key, SECTION_TITLES[key], changes))
    return result

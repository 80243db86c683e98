"""Which records are about a child: every model, in every module, with a chain of foreign keys
ending at `children.Child`. Found from the models themselves, so a module added later is in
subject access exports and retention without anyone remembering to add it (a test checks that
each such model's free text is classified for anonymisation)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

CHILD = "children.Child"
# Records about a child kept elsewhere or not at all: the audit log is exported on its own
# (who saw the record) and is never altered; chain heads hold no one.
SEPARATE = {"access.AuditEntry", "access.AuditChainHead"}
MAX_DEPTH = 5


@dataclass(frozen=True)
class ChildRecords:
    model: type[models.Model]
    path: str  # the lookup from the model to the child, e.g. "assessment_request__child"

    @property
    def label(self) -> str:
        return self.model._meta.label


def _forward_links(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model
    ]


def _path_to_child(model) -> str | None:
    """The shortest chain of foreign keys from `model` to a child (breadth first)."""
    start = model._meta.label
    queue = deque([(model, [])])
    seen = {start}
    while queue:
        current, path = queue.popleft()
        if len(path) >= MAX_DEPTH:
            continue
        for field in _forward_links(current):
            target = field.related_model
            label = target._meta.label
            if label == CHILD:
                return "__".join([*path, field.name])
            # Not through accounts and areas: they are shared, not about one child.
            if label in seen or target._meta.app_label in ("accounts", "areas", "auth"):
                continue
            seen.add(label)
            queue.append((target, [*path, field.name]))
    return None


@cache
def child_record_models() -> tuple[ChildRecords, ...]:
    found = []
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("everychild.") or label in SEPARATE or label == CHILD:
            continue
        path = _path_to_child(model)
        if path is not None:
            found.append(ChildRecords(model, path))
    return tuple(sorted(found, key=lambda r: r.label))


def records_of(child, records: ChildRecords):
    return records.model._default_manager.filter(**{records.path: child}).order_by("pk")

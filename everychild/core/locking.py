"""Optimistic locking for every record a person edits (as a case's `version` and a draft
plan's `lock_version`): the form carries the version the person opened; the service locks the
row, refuses if it has moved on, and bumps the version with the change. A stale save is a
ValidationError on the whole form, so every page shows it in its GOV.UK error summary, and the
transaction it is raised in saves nothing."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import F

CHANGED_CODE = "changed"


def changed_message(what: str) -> str:
    return (
        f"This {what} changed since you opened it: someone else saved a change first. Nothing "
        f"you entered has been saved. Check the {what} as it is now, then save again."
    )


def check_version(current, version: int | None, what: str) -> None:
    """Refuse if the locked row `current` is no longer at `version` (None: not checked, for
    callers with nothing to compare, such as the import commands)."""
    if version is not None and current.version != int(version):
        raise stale(what)


def stale(what: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: changed_message(what)}, code=CHANGED_CODE)


def locked(queryset, pk, version: int | None, what: str):
    """The row, locked for this transaction, if it is still at `version`. Only the row itself
    (`of=("self",)`): PostgreSQL cannot lock the nullable side of an outer join, which a
    select_related of an optional relation makes."""
    current = queryset.select_for_update(of=("self",)).get(pk=pk)
    check_version(current, version, what)
    return current


def bump(instance) -> None:
    """Move the record's version on with this save (the caller saves `version` with it)."""
    instance.version = (instance.version or 0) + 1


def bump_in_database(model, pk) -> None:
    model.objects.filter(pk=pk).update(version=F("version") + 1)

"""Reads of children's records. Every function filters through the access policy and writes
an audit entry for each child it returns to a person."""

import datetime as dt
import re

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.children import matching
from everychild.children.models import Child, ChildMerge, SettingPeriod
from everychild.children.policy import editable_children, visible_children

UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


def of_the_child(field: str, child_key: str = "child_id") -> Subquery:
    """One column of each row's child, looked up by the child's key row by row, for the long
    lists of one area's records (every plan due a review, the forecast's plans).

    Joining the children instead lets PostgreSQL read every child in the database to hash
    them, so one area's list slowed with each other area sharing the database (issue 21: the
    review backlog's plans 8 -> 32 ms with ten areas); by key the cost follows the area's own
    records, alone or among ten. Not for lists whose tables are watched for changes from the
    query's joins (performance.dataset.watched_tables): a subquery is not a join there."""
    # By the primary key, so one row at most: no ordering, no LIMIT, for the planner to drop.
    return Subquery(Child.objects.filter(pk=OuterRef(child_key)).order_by().values(field))


def search_children(user, query: str = "") -> QuerySet:
    """Children the user may see, matching a name, a UPN or a date of birth (DD/MM/YYYY or
    YYYY-MM-DD)."""
    qs = visible_children(user).select_related("current_setting")
    query = (query or "").strip()
    if not query:
        return qs
    upper = query.upper().replace(" ", "")
    if UPN_SHAPE.match(upper):
        return qs.filter(upn=upper)
    date = _parse_date(query)
    if date is not None:
        return qs.filter(date_of_birth=date)
    condition = Q()
    for word in query.split()[:4]:
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return qs.filter(condition)


def _parse_date(text: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %m %Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def audit_shown(user, children, *, request=None, action=AuditAction.SEARCH) -> None:
    """One entry per child shown in a list: who saw whose name, when."""
    audit.record_shown(
        user,
        ((child.pk, "children.Child", str(child.pk)) for child in children),
        action=action,
        request=request,
    )


def child_for_viewing(user, child_id: int, *, request=None) -> Child:
    """The child, if the user may see them (Child.DoesNotExist otherwise), with the read
    audited."""
    related = ("current_setting", "area", "own_account")
    try:
        child = visible_children(user).select_related(*related).get(pk=child_id)
    except Child.DoesNotExist:
        # A record merged into one the user may see still opens, to say where it went.
        child = Child.objects.select_related(*related).get(
            pk=child_id, merged_into__in=visible_children(user)
        )
    audit.record(action=AuditAction.VIEW, actor=user, child=child, record=child, request=request)
    return child


# --- One record per child --------------------------------------------------------------------


def likely_duplicates(user, candidate: Child, *, request=None) -> list[matching.Likeness]:
    """Records the user may change that are likely the same child as `candidate` (saved or
    about to be), each shown audited. Only staff who may change records are offered them: the
    public form never learns whether a child is known."""
    found = matching.likely_duplicates(candidate, editable_children(user))
    audit_shown(user, [likeness.child for likeness in found], request=request)
    return found


def likely_duplicate_pairs(user, *, request=None) -> list[tuple[Child, Child, tuple[str, ...]]]:
    """The council's list: pairs of records in the user's areas that are likely one child
    (typically a request made on the public form for a child already known)."""
    pairs = matching.likely_duplicate_pairs(editable_children(user))
    audit_shown(
        user, [child for newer, older, _ in pairs for child in (newer, older)], request=request
    )
    return pairs


def merges_of(child: Child) -> list[ChildMerge]:
    """The merges a record took part in, kept or merged, newest first: its history."""
    return list(
        ChildMerge.objects.filter(models.Q(kept=child) | models.Q(merged=child)).select_related(
            "kept", "merged", "merged_by", "undone_by"
        )
    )


def acts_for_themselves(user) -> bool:
    """Whether the signed-in person is a young person with their own record (and no child of
    their own linked to them): the portal then speaks to them as "you" (CFA 2014 s.80)."""
    if user is None or not user.is_authenticated:
        return False
    return (
        Child.objects.filter(own_account=user).exists()
        and not Child.objects.filter(family_links__user=user).exists()
    )


def setting_history(child: Child):
    """The child's periods at settings (decision 0240), earliest first, with the settings'
    names. Shown on the record the council keeps, within an audited read of the child."""
    return SettingPeriod.objects.filter(child=child).select_related("setting", "recorded_by")

"""Reads of children's records. Every function filters through the access policy and writes
an audit entry for each child it returns to a person."""

import datetime as dt
import re

from django.db.models import Q, QuerySet

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.children.models import Child
from everychild.children.policy import visible_children

UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


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
    child = (
        visible_children(user)
        .select_related("current_setting", "area", "own_account")
        .get(pk=child_id)
    )
    audit.record(action=AuditAction.VIEW, actor=user, child=child, record=child, request=request)
    return child

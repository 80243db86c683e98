"""Reads for the data protection officer's pages."""

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, la_area_ids
from everychild.children.models import Child


def officers_children(user):
    """The children of the officer's council's area: a subject access request may be about any
    of them (each one found or exported is audited by the callers)."""
    return Child.objects.filter(area_id__in=la_area_ids(user, Capability.DATA_PROTECTION))


def la_area_ids_for_exports(user) -> set[int]:
    """The areas whose subject access exports the officer may see."""
    return la_area_ids(user, Capability.DATA_PROTECTION)


def find_children(user, *, upn="", last_name="", date_of_birth=None, request=None) -> list[Child]:
    """Children matching a UPN, or a surname and date of birth; each one found is audited as a
    search for a subject access request."""
    children = officers_children(user)
    if upn:
        children = children.filter(upn__iexact=upn.strip())
    else:
        children = children.filter(last_name__iexact=last_name.strip(), date_of_birth=date_of_birth)
    found = list(children.order_by("last_name", "first_name")[:20])
    audit.record_many(
        audit.AuditEvent(
            action=AuditAction.SEARCH,
            actor=user,
            child_id=child.pk,
            record_type="children.Child",
            record_id=str(child.pk),
            ip_address=audit.client_address(request),
            reason="Subject access request",
        )
        for child in found
    )
    return found

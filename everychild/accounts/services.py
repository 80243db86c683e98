"""Writes to accounts that other apps ask for without naming a role."""

from everychild.accounts.models import Membership, Role


def join_family(user, *, parent: bool) -> Membership:
    """Give someone who accepted a family invitation their family role (a parent or carer, or
    the young person themselves), once: accepting a second invitation adds no second role."""
    role = Role.PARENT if parent else Role.YOUNG_PERSON
    membership, _created = Membership.objects.get_or_create(user=user, organisation=None, role=role)
    return membership

"""Who sees and writes which support plan.

- a setting's SENCO: the plans of the children now on their setting's roll, and writes them
  while the plan is open (the plan moves with the child: the old setting's SENCO no longer
  sees it once the child's current setting changes; decision 0220);
- the LA's casework staff and panel: every plan of their area, to read (the evidence of the
  graduated approach behind a request, Code 9.14);
- a parent or young person: their own (children.policy.family_children);
- aggregate roles (board, finance, leaders, administrators): none.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from everychild.access.policy import (
    Action,
    Capability,
    any_of,
    has_capability,
    la_area_ids,
    organisation_ids,
    rule,
    setting_ids,
)
from everychild.accounts.models import OrganisationKind
from everychild.children.policy import family_children
from everychild.support.models import Consultation, SupportPlan


def _plan_q(user) -> Q | None:
    parts: list[Q] = []
    areas = la_area_ids(user, Capability.CASEWORK)
    if areas:
        parts.append(Q(area_id__in=areas))
    if has_capability(user, Capability.SUPPORT_PLANS):
        settings_ids = setting_ids(user)
        if settings_ids:
            parts.append(Q(child__current_setting_id__in=settings_ids))
    if has_capability(user, Capability.FAMILY_PORTAL):
        parts.append(Q(child__in=family_children(user).values("pk")))
    return any_of(parts)


def visible_support_plans(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the support plans this user may see. Every list and page uses it."""
    qs = queryset if queryset is not None else SupportPlan.objects.all()
    if not has_capability(user, Capability.SEE_CHILDREN):
        return qs.none()
    condition = _plan_q(user)
    if condition is None:
        return qs.none()
    return qs.filter(condition, child__merged_into__isnull=True).distinct()


def writable_setting_ids(user) -> set[int]:
    """The settings whose pupils' support plans this user writes (as their SENCO)."""
    if not has_capability(user, Capability.SUPPORT_PLANS):
        return set()
    return setting_ids(user)


@rule(Action.VIEW_SUPPORT_PLAN, SupportPlan)
def may_view_support_plan(user, plan: SupportPlan) -> bool:
    return visible_support_plans(user).filter(pk=plan.pk).exists()


@rule(Action.EDIT_SUPPORT_PLAN, SupportPlan)
def may_edit_support_plan(user, plan: SupportPlan) -> bool:
    return plan.is_open and plan.child.current_setting_id in writable_setting_ids(user)


# The services a setting can ask for advice before a statutory request.
CONSULTED_KINDS = (
    OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
    OrganisationKind.NHS_PROVIDER,
    OrganisationKind.SOCIAL_CARE,
)


def visible_consultations(user, queryset: QuerySet | None = None) -> QuerySet:
    """The consultations this user sees: those of the plans they see, and, for a service's
    staff, those addressed to their organisation (only those: the advice portal's isolation)."""
    qs = queryset if queryset is not None else Consultation.objects.all()
    parts = []
    agencies = organisation_ids(user, Capability.ANSWER_CONSULTATIONS)
    if agencies:
        parts.append(Q(organisation_id__in=agencies))
    plans = visible_support_plans(user)
    if has_capability(user, Capability.SEE_CHILDREN):
        parts.append(Q(plan__in=plans.values("pk")))
    condition = any_of(parts)
    return qs.none() if condition is None else qs.filter(condition)


def answerable_consultations(user) -> QuerySet:
    agencies = organisation_ids(user, Capability.ANSWER_CONSULTATIONS)
    return (
        Consultation.objects.filter(organisation_id__in=agencies)
        if agencies
        else (Consultation.objects.none())
    )

"""Who sees and writes which support plan.

- a setting's SENCO: the plans of the children now on their setting's roll, and writes them
  while the plan is open (the plan moves with the child: the old setting's SENCO no longer
  sees it once the child's current setting changes; decision 0220);
- a SENCO of a setting the child has left: nothing, unless the area lets past settings read
  the support history (SupportSettings.past_settings_read_history); then, to read only, the
  plans that were running while the child was with them, and of those only what was recorded
  up to the day the child left (`read_until`; decision 0240);
- the LA's casework staff and panel: every plan of their area, to read (the evidence of the
  graduated approach behind a request, Code 9.14);
- a parent or young person: their own (children.policy.family_children);
- aggregate roles (board, finance, leaders, administrators): none.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

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
from everychild.children.models import SettingPeriod
from everychild.children.policy import family_children
from everychild.support.models import Consultation, SupportPlan


def _past_periods(settings_ids) -> QuerySet:
    """The child's ended periods at these settings that overlap the plan's life (the plan
    started before the child left, and had not ended before they arrived)."""
    return SettingPeriod.objects.filter(
        child_id=OuterRef("child_id"),
        setting_id__in=settings_ids,
        ended_on__isnull=False,
        ended_on__gte=OuterRef("started_on"),
    )


def _past_setting_q(settings_ids) -> Q:
    periods = _past_periods(settings_ids)
    return Q(area__support_settings__past_settings_read_history=True) & (
        Q(Exists(periods), ended_on__isnull=True)
        | Q(Exists(periods.filter(started_on__lte=OuterRef("ended_on"))))
    )


def _plan_q(user, *, past_settings: bool = True) -> Q | None:
    parts: list[Q] = []
    areas = la_area_ids(user, Capability.CASEWORK)
    if areas:
        parts.append(Q(area_id__in=areas))
    if has_capability(user, Capability.SUPPORT_PLANS):
        settings_ids = setting_ids(user)
        if settings_ids:
            parts.append(Q(child__current_setting_id__in=settings_ids))
            if past_settings:
                parts.append(_past_setting_q(settings_ids))
    if has_capability(user, Capability.FAMILY_PORTAL):
        parts.append(Q(child__in=family_children(user).values("pk")))
    return any_of(parts)


def visible_support_plans(
    user, queryset: QuerySet | None = None, *, past_settings: bool = True
) -> QuerySet:
    """Selector: the support plans this user may see. Every list and page uses it. Without
    `past_settings`, only those they see other than as a setting the child has left (a
    SENCO's working list is of their own pupils)."""
    qs = queryset if queryset is not None else SupportPlan.objects.all()
    if not has_capability(user, Capability.SEE_CHILDREN):
        return qs.none()
    condition = _plan_q(user, past_settings=past_settings)
    if condition is None:
        return qs.none()
    return qs.filter(condition, child__merged_into__isnull=True).distinct()


def read_until(user, plans) -> dict[int, dt.date]:
    """For the plans among `plans` (visible to the user) that they see only as a setting the
    child has left: the last day the child was with them. What was recorded after it (cycles,
    advice, views, requests) is not theirs to read. Plans seen fully are not in the result."""
    ids = [plan.pk for plan in plans]
    if not ids or not has_capability(user, Capability.SUPPORT_PLANS):
        return {}
    settings_ids = setting_ids(user)
    if not settings_ids:
        return {}
    fully = set(
        visible_support_plans(
            user, SupportPlan.objects.filter(pk__in=ids), past_settings=False
        ).values_list("pk", flat=True)
    )
    partly = [plan for plan in plans if plan.pk not in fully]
    if not partly:
        return {}
    last_days = dict(
        SettingPeriod.objects.filter(
            child_id__in={plan.child_id for plan in partly},
            setting_id__in=settings_ids,
            ended_on__isnull=False,
        )
        .values("child_id")
        .annotate(last=Max("ended_on"))
        .values_list("child_id", "last")
    )
    return {plan.pk: last_days[plan.child_id] for plan in partly if plan.child_id in last_days}


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

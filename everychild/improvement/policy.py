"""Who sees and changes the improvement plan. It holds no child's data: the board and those who
see the partnership's figures see all of it; other partner staff see their own organisation's
actions; only staff of the owning organisation update an action; the local authority's team
managers write priorities and actions and name their owners."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from everychild.access.policy import (
    Capability,
    any_of,
    has_capability,
    la_area_ids,
    organisation_ids,
    work_areas,
)
from everychild.improvement.models import ImprovementAction


def improvement_area_ids(user) -> set[int]:
    """Areas whose improvement plan the user takes part in."""
    return {area.pk for area in work_areas(user, Capability.IMPROVEMENT)}


def visible_improvement_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: improvement actions the user sees. Those who see the partnership's figures
    (SEE_AGGREGATES: the board, the LA's managers, finance) see every action of their area's
    plan; other partner staff see the actions their own organisation owns."""
    qs = queryset if queryset is not None else ImprovementAction.objects.all()
    if not has_capability(user, Capability.IMPROVEMENT):
        return qs.none()
    whole_plan = [
        area.pk for area in work_areas(user, Capability.SEE_AGGREGATES, Capability.IMPROVEMENT)
    ]
    own = organisation_ids(user, Capability.UPDATE_IMPROVEMENT)
    condition = any_of(
        ([Q(priority__area_id__in=whole_plan)] if whole_plan else [])
        + ([Q(owner_organisation_id__in=own)] if own else [])
    )
    return qs.none() if condition is None else qs.filter(condition)


def editable_improvement_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the actions the user may update: those their own organisation owns, for
    holders of a partner role (never the board, who watch the plan)."""
    qs = queryset if queryset is not None else ImprovementAction.objects.all()
    own = organisation_ids(user, Capability.UPDATE_IMPROVEMENT)
    return qs.filter(owner_organisation_id__in=own) if own else qs.none()


def may_plan_improvement(user, area_id: int) -> bool:
    """Whether the user may add priorities and actions to an area's plan and name owners."""
    return area_id in la_area_ids(user, Capability.PLAN_IMPROVEMENT)

"""Who may see which EHC plan, record its reviews and write it.

A plan is seen as its case file is (casework/policy.py): by the LA's casework staff of the
plan's area or with a break-glass grant, including plans made before the area's history in
EveryChild began (which have no request). Annual reviews are also seen and recorded by a
SENCO for the pupils currently at their own setting, which usually holds the review meeting
(reg 20). The VIEW_PLAN rule is registered with the access kernel for `may`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from everychild.access.policy import (
    Action,
    Capability,
    any_of,
    has_capability,
    la_area_ids,
    rule,
    setting_ids,
)
from everychild.casework.policy import casework_condition
from everychild.plans.models import EHCPlan


def visible_plans(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the EHC plans this user may open: as for case files, including plans made
    before the area's history in EveryChild began (which have no request)."""
    qs = queryset if queryset is not None else EHCPlan.objects.all()
    condition = casework_condition(user)
    return qs.none() if condition is None else qs.filter(condition)


def visible_reviewable_plans(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the EHC plans whose annual reviews the user may see and record: LA casework
    staff of the plan's area (as `visible_plans`), and a SENCO for the pupils currently at
    their own setting (the setting usually holds the review meeting, reg 20)."""
    qs = queryset if queryset is not None else EHCPlan.objects.all()
    if not has_capability(user, Capability.PLAN_REVIEWS):
        return qs.none()
    settings_ids = setting_ids(user)
    condition = any_of(
        [c for c in (casework_condition(user),) if c is not None]
        + ([Q(child__current_setting_id__in=settings_ids)] if settings_ids else [])
    )
    return qs.none() if condition is None else qs.filter(condition)


@rule(Action.VIEW_PLAN, EHCPlan)
def may_view_plan(user, plan: EHCPlan) -> bool:
    return visible_plans(user).filter(pk=plan.pk).exists()


def may_write_plans(user, area_id: int) -> bool:
    """The area's caseworkers and team managers write drafts and plans."""
    return area_id in la_area_ids(user, Capability.WRITE_CASES)


def may_decide_reviews(user, area_id: int) -> bool:
    """The local authority's SEND team (casework staff and panel) decides after a review."""
    return area_id in la_area_ids(user, Capability.CASEWORK)


def may_record_review(user, plan: EHCPlan) -> bool:
    return visible_reviewable_plans(user).filter(pk=plan.pk).exists()

"""Who may open and work on which case file and request for advice.

Case files are for the LA's casework staff of the case's area (caseworkers, team managers and
the panel) and for anyone holding a break-glass grant for the child; an agency sees the
requests for advice it was asked, and works on them while the advice is awaited. The rules are
registered with the access kernel, so `may(user, Action.VIEW_CASE, case)` answers by them; the
services refuse with PermissionDenied where these say no.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from everychild.access.policy import (
    Action,
    Capability,
    advice_organisation_ids,
    any_of,
    la_area_ids,
    members_with,
    rule,
)
from everychild.areas.models import DecisionOwner
from everychild.casework.models import AdviceRequest, AssessmentRequest
from everychild.children.policy import active_break_glass_child_ids, family_children


def casework_condition(user) -> Q | None:
    """Case files and plans (rows with an area and a child): LA casework staff of the record's
    area, or a break-glass grant for the child. None: no record at all."""
    areas = la_area_ids(user)
    grants = active_break_glass_child_ids(user)
    return any_of(
        ([Q(area_id__in=areas)] if areas else []) + ([Q(child_id__in=grants)] if grants else [])
    )


def visible_assessment_requests(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the case files this user may open (LA casework staff of the area only)."""
    qs = queryset if queryset is not None else AssessmentRequest.objects.all()
    condition = casework_condition(user)
    return qs.none() if condition is None else qs.filter(condition)


def visible_advice_requests(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: advice requests the user may see: the LA's for its area; an agency's own."""
    qs = queryset if queryset is not None else AdviceRequest.objects.all()
    parts = []
    areas = la_area_ids(user)
    if areas:
        parts.append(Q(assessment_request__area_id__in=areas))
    agencies = advice_organisation_ids(user)
    if agencies:
        parts.append(Q(organisation_id__in=agencies))
    condition = any_of(parts)
    return qs.none() if condition is None else qs.filter(condition)


def family_cases(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the cases (assessment requests) of the children in `family_children`."""
    qs = queryset if queryset is not None else AssessmentRequest.objects.all()
    return qs.filter(child__in=family_children(user).values("pk"))


@rule(Action.VIEW_CASE, AssessmentRequest)
def may_view_case(user, case: AssessmentRequest) -> bool:
    return visible_assessment_requests(user).filter(pk=case.pk).exists()


@rule(Action.EDIT_CASE, AssessmentRequest)
def may_edit_case(user, case: AssessmentRequest) -> bool:
    """The area's casework staff and panel record the steps of a case."""
    return case.area_id in la_area_ids(user, Capability.CASEWORK)


@rule(Action.VIEW_ADVICE_REQUEST, AdviceRequest)
def may_view_advice_request(user, advice: AdviceRequest) -> bool:
    return visible_advice_requests(user).filter(pk=advice.pk).exists()


@rule(Action.GIVE_ADVICE, AdviceRequest)
def may_give_advice(user, advice: AdviceRequest) -> bool:
    """The staff of the agency asked, while the advice is awaited."""
    return (
        advice.organisation_id in advice_organisation_ids(user)
        and advice.provided_on is None
        and advice.cancelled_on is None
    )


def may_act_on_advice(user, advice: AdviceRequest) -> bool:
    """The LA's casework staff, or the staff of the agency asked, while the advice is awaited
    (the agency portal records its own advice as given, and its own missed appointments)."""
    return may_edit_case(user, advice.assessment_request) or may_give_advice(user, advice)


def may_decide(user, case: AssessmentRequest) -> bool:
    """The area's decision-makers (the panel): the panel meeting and its agenda."""
    return case.area_id in la_area_ids(user, Capability.DECIDE)


def may_sit_on_panel(user, area_id: int) -> bool:
    """The area's panel members: its meetings and their agenda."""
    return area_id in la_area_ids(user, Capability.DECIDE)


# The three decisions of a case whose owner each area names (decision 0192), the Area field
# that names it, and the capability each owner holds.
ASSESS, ISSUE, FINAL_PLAN = "assess", "issue", "final_plan"
DECISION_SETTING = {
    ASSESS: "assess_decided_by",
    ISSUE: "issue_decided_by",
    FINAL_PLAN: "final_plan_issued_by",
}
OWNER_CAPABILITY = {
    DecisionOwner.PANEL: Capability.DECIDE,
    DecisionOwner.MANAGER: Capability.MANAGE_TEAM,
    DecisionOwner.CASEWORKER: Capability.WRITE_CASES,
}
DECISION_WORDS = {
    ASSESS: "decide whether to assess",
    ISSUE: "decide whether to issue a plan",
    FINAL_PLAN: "issue the final plan",
}


def decision_owner(area, which: str) -> str:
    """Who the area's settings name for one decision (a DecisionOwner value)."""
    return getattr(area, DECISION_SETTING[which])


def may_take_decision(user, case: AssessmentRequest, which: str) -> bool:
    """Whether `user` holds, in the case's area, the role the area names for this decision.
    Deny by default: an unknown decision or an unknown owner is no."""
    if which not in DECISION_SETTING:
        return False
    capability = OWNER_CAPABILITY.get(decision_owner(case.area, which))
    if capability is None:
        return False
    return case.area_id in la_area_ids(user, capability)


def decision_owner_refusal(case: AssessmentRequest, which: str) -> str:
    """The words of a refusal: who, in this area, may take the step."""
    owner = decision_owner(case.area, which)
    words = DECISION_WORDS[which]
    if owner not in DecisionOwner.values:
        return f"{case.area.name} has not named who can {words}: ask a team manager."
    label = DecisionOwner(owner).label
    return f"In {case.area.name}, only {label[0].lower()}{label[1:]} can {words}."


def may_manage_cases(user, area_id: int) -> bool:
    """The area's team managers allocate cases."""
    return area_id in la_area_ids(user, Capability.MANAGE_TEAM)


def may_write_cases(user, area_id: int) -> bool:
    """The area's caseworkers and team managers open requests, hold cases and write plans."""
    return area_id in la_area_ids(user, Capability.WRITE_CASES)


def is_casework_staff(user, area_id: int) -> bool:
    """Whether someone may be allocated a case of the area (its caseworkers and managers)."""
    return (
        members_with(Capability.WRITE_CASES, area_id=area_id, local_authority=True)
        .filter(user=user)
        .exists()
    )

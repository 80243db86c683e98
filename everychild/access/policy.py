"""The access policy: the one place that answers "may this user do this?".

Deny by default. A page or API endpoint declares the capability it needs (`requires`) or that
it is public (`public`); the AccessPolicyMiddleware refuses any view that declares neither.
Record-level questions ("may this user see this child?") are answered by `may` and by the
selectors `visible_children` and friends (`visible_assessment_requests`, `visible_plans`,
`visible_advice_requests`), which every list and detail view uses, so a list
never shows what the detail page would refuse.

Who sees a child (ARCHITECTURE.md principle 3):
- LA casework staff (caseworker, team manager, decision-maker): every child of their LA's area;
- an advice-giving agency (EP service, health, social care): only children it has an open
  advice request for, and then only what the advice needs;
- a setting's SENCO: the pupils of their own setting;
- a parent or carer: their own children, where they have parental responsibility and a
  young person acting for themselves has not withdrawn their access;
- a young person: their own record;
- SEND Board members, finance officers, senior leaders and system administrators: no child at all
  (aggregates only), unless a break-glass grant is in force.

The improvement plan holds no child's data: the board and those who see the partnership's
figures see all of it; other partner staff see their own organisation's actions; only staff of
the owning organisation update an action (`visible_improvement_actions`,
`editable_improvement_actions`, `may_plan_improvement`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.db.models import Q, QuerySet
from django.utils import timezone

from everychild.accounts.models import Membership, OrganisationKind, Role


class Capability(enum.StrEnum):
    """What a page or endpoint needs, before any record-level check."""

    SIGNED_IN = "signed_in"
    SEE_CHILDREN = "see_children"  # lists and search of the children the user may see
    EDIT_CHILDREN = "edit_children"
    CASEWORK = "casework"  # caseloads and case pages
    MANAGE_TEAM = "manage_team"  # allocation, team view, break-glass review
    DECIDE = "decide"  # panel decisions
    GIVE_ADVICE = "give_advice"
    MANAGE_ADVICE = "manage_advice"
    SEE_AGGREGATES = "see_aggregates"  # performance, benchmarks: no child-level data
    FINANCE = "finance"
    ADMINISTER = "administer"
    BREAK_GLASS = "break_glass"  # may ask for exceptional access with a reason
    REVIEW_AUDIT = "review_audit"
    # The improvement plan: see it (the board all of it, a partner its own actions) and update
    # the actions one's own organisation owns. No child-level data.
    IMPROVEMENT = "improvement"
    RETURNS = "returns"  # the SEN2 return: run the checks on the area's data
    DATA_PROTECTION = "data_protection"  # subject access exports, retention
    # The family portal: a parent's or young person's own children, in plain English.
    FAMILY_PORTAL = "family_portal"
    # Annual reviews of EHC plans: the LA's casework staff, and settings' SENCOs for their
    # own pupils (they hold and record most review meetings).
    PLAN_REVIEWS = "plan_reviews"


class Action(enum.StrEnum):
    """Record-level actions."""

    VIEW_CHILD = "view_child"
    EDIT_CHILD = "edit_child"
    VIEW_CASE = "view_case"
    EDIT_CASE = "edit_case"
    VIEW_ADVICE_REQUEST = "view_advice_request"
    VIEW_PLAN = "view_plan"
    # Work on a request for advice: its agency's staff, while the advice is awaited.
    GIVE_ADVICE = "give_advice"


PUBLIC = "public"

_ALL_STAFF = {
    Role.CASEWORKER,
    Role.TEAM_MANAGER,
    Role.DECISION_MAKER,
    Role.EDUCATIONAL_PSYCHOLOGIST,
    Role.EP_MANAGER,
    Role.HEALTH_ADVISER,
    Role.SOCIAL_CARE_ADVISER,
    Role.SENCO,
    Role.BOARD_MEMBER,
    Role.FINANCE_OFFICER,
    Role.SENIOR_LEADER,
    Role.SYSTEM_ADMINISTRATOR,
    Role.DATA_PROTECTION_OFFICER,
}

ROLE_CAPABILITIES: dict[str, set[Capability]] = {
    Role.CASEWORKER: {
        Capability.SEE_CHILDREN,
        Capability.EDIT_CHILDREN,
        Capability.CASEWORK,
        Capability.RETURNS,
    },
    Role.TEAM_MANAGER: {
        Capability.SEE_CHILDREN,
        Capability.EDIT_CHILDREN,
        Capability.CASEWORK,
        Capability.MANAGE_TEAM,
        Capability.SEE_AGGREGATES,
        Capability.REVIEW_AUDIT,
        Capability.RETURNS,
    },
    Role.DECISION_MAKER: {Capability.SEE_CHILDREN, Capability.CASEWORK, Capability.DECIDE},
    Role.EDUCATIONAL_PSYCHOLOGIST: {Capability.SEE_CHILDREN, Capability.GIVE_ADVICE},
    Role.EP_MANAGER: {
        Capability.SEE_CHILDREN,
        Capability.GIVE_ADVICE,
        Capability.MANAGE_ADVICE,
        Capability.SEE_AGGREGATES,
    },
    Role.HEALTH_ADVISER: {Capability.SEE_CHILDREN, Capability.GIVE_ADVICE},
    Role.SOCIAL_CARE_ADVISER: {Capability.SEE_CHILDREN, Capability.GIVE_ADVICE},
    Role.SENCO: {Capability.SEE_CHILDREN},
    Role.PARENT: {Capability.SEE_CHILDREN},
    Role.YOUNG_PERSON: {Capability.SEE_CHILDREN},
    Role.BOARD_MEMBER: {Capability.SEE_AGGREGATES},
    Role.FINANCE_OFFICER: {Capability.SEE_AGGREGATES, Capability.FINANCE},
    # The high-needs budget and forecast: finance officers and senior leaders only.
    Role.SENIOR_LEADER: {Capability.SEE_AGGREGATES, Capability.FINANCE},
    Role.SYSTEM_ADMINISTRATOR: {Capability.ADMINISTER, Capability.REVIEW_AUDIT},
    # Subject access requests, retention and the audit of exceptional access (UK GDPR
    # Arts. 15 and 5(1)(e)); no casework, and a child's record only through an export.
    Role.DATA_PROTECTION_OFFICER: {Capability.DATA_PROTECTION, Capability.REVIEW_AUDIT},
}
# Staff whose work can genuinely need a record outside their usual reach (e.g. a caseworker
# covering a colleague's case in another team, an adviser asked informally by phone).
BREAK_GLASS_ROLES = {
    Role.CASEWORKER,
    Role.TEAM_MANAGER,
    Role.DECISION_MAKER,
    Role.EDUCATIONAL_PSYCHOLOGIST,
    Role.EP_MANAGER,
    Role.HEALTH_ADVISER,
    Role.SOCIAL_CARE_ADVISER,
}
for _role in BREAK_GLASS_ROLES:
    ROLE_CAPABILITIES[_role].add(Capability.BREAK_GLASS)
# Partner staff who own and update improvement actions for their organisation.
IMPROVEMENT_EDITOR_ROLES = {
    Role.TEAM_MANAGER,
    Role.EP_MANAGER,
    Role.HEALTH_ADVISER,
    Role.SOCIAL_CARE_ADVISER,
}
# The local authority leads the improvement plan (it is the body under direction): its team
# managers write priorities and actions and name their owners.
IMPROVEMENT_PLANNER_ROLES = {Role.TEAM_MANAGER}
for _role in IMPROVEMENT_EDITOR_ROLES | {Role.BOARD_MEMBER, Role.FINANCE_OFFICER}:
    ROLE_CAPABILITIES[_role].add(Capability.IMPROVEMENT)
for _role in (Role.PARENT, Role.YOUNG_PERSON):
    ROLE_CAPABILITIES[_role].add(Capability.FAMILY_PORTAL)

for _role in (Role.CASEWORKER, Role.TEAM_MANAGER, Role.DECISION_MAKER, Role.SENCO):
    ROLE_CAPABILITIES[_role].add(Capability.PLAN_REVIEWS)

LA_CHILD_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER, Role.DECISION_MAKER}
LA_EDIT_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}
AGENCY_ROLES = {
    Role.EDUCATIONAL_PSYCHOLOGIST,
    Role.EP_MANAGER,
    Role.HEALTH_ADVISER,
    Role.SOCIAL_CARE_ADVISER,
}


def memberships(user) -> list[Membership]:
    """The user's active memberships, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_everychild_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True).select_related(
                "organisation", "organisation__area"
            )
        )
        user._everychild_memberships = cached
    return cached


def roles(user) -> set[str]:
    return {m.role for m in memberships(user)}


def capabilities(user) -> set[Capability]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    caps = {Capability.SIGNED_IN}
    for role in roles(user):
        caps |= ROLE_CAPABILITIES.get(role, set())
    return caps


def has_capability(user, capability: Capability | str) -> bool:
    if capability == PUBLIC:
        return True
    return Capability(capability) in capabilities(user)


def is_staff_member(user) -> bool:
    """Anyone signing in for an organisation of the partnership (needs a second factor)."""
    return bool(roles(user) & _ALL_STAFF)


def la_area_ids(user, role_set=LA_CHILD_ROLES) -> set[int]:
    return {
        m.organisation.area_id
        for m in memberships(user)
        if m.role in role_set
        and m.organisation_id
        and m.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        and m.organisation.area_id
    }


def _agency_org_ids(user) -> set[int]:
    return {
        m.organisation_id for m in memberships(user) if m.role in AGENCY_ROLES and m.organisation_id
    }


def _senco_setting_ids(user) -> set[int]:
    return {
        m.organisation_id for m in memberships(user) if m.role == Role.SENCO and m.organisation_id
    }


def _child_q(user, *, for_edit: bool = False) -> Q | None:
    """The condition on Child rows this user may see (or edit); None means none at all."""
    rs = roles(user)
    parts: list[Q] = []
    areas = la_area_ids(user, LA_EDIT_ROLES if for_edit else LA_CHILD_ROLES)
    if areas:
        parts.append(Q(area_id__in=areas))
    if for_edit:
        return _or(parts)
    agencies = _agency_org_ids(user)
    if agencies:
        # Only while the agency's advice is still wanted: access ends when it is given.
        parts.append(
            Q(
                assessment_requests__advice_requests__organisation_id__in=agencies,
                assessment_requests__advice_requests__provided_on__isnull=True,
                assessment_requests__advice_requests__cancelled_on__isnull=True,
            )
        )
    settings_ids = _senco_setting_ids(user)
    if settings_ids:
        parts.append(Q(current_setting_id__in=settings_ids))
    if Role.PARENT in rs:
        parts.append(
            Q(
                family_links__user_id=user.pk,
                family_links__has_parental_responsibility=True,
                family_links__young_person_allows_access=True,
            )
        )
    if Role.YOUNG_PERSON in rs:
        parts.append(Q(own_account_id=user.pk))
    grants = active_break_glass_child_ids(user)
    if grants:
        parts.append(Q(pk__in=grants))
    return _or(parts)


def _or(parts: list[Q]) -> Q | None:
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def active_break_glass_child_ids(user) -> set[int]:
    from everychild.access.models import BreakGlassGrant

    if not user.is_authenticated or not has_capability(user, Capability.BREAK_GLASS):
        return set()
    return set(
        BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values_list(
            "child_id", flat=True
        )
    )


def visible_children(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the children this user may see. Every list and detail of children uses it."""
    from everychild.children.models import Child

    qs = queryset if queryset is not None else Child.objects.all()
    # Every role that may hold a break-glass grant also has SEE_CHILDREN.
    if not has_capability(user, Capability.SEE_CHILDREN):
        return qs.none()
    condition = _child_q(user)
    if condition is None:
        return qs.none()
    # The joins through advice requests and family links can repeat a child: filter by id.
    return qs.filter(pk__in=Child.objects.filter(condition).values("pk"))


def editable_children(user, queryset: QuerySet | None = None) -> QuerySet:
    from everychild.children.models import Child

    qs = queryset if queryset is not None else Child.objects.all()
    if not has_capability(user, Capability.EDIT_CHILDREN):
        return qs.none()
    condition = _child_q(user, for_edit=True)
    return qs.none() if condition is None else qs.filter(condition)


def _casework_q(user) -> Q | None:
    """Case files and plans: LA casework staff of the record's area, or a break-glass grant."""
    areas = la_area_ids(user)
    grants = active_break_glass_child_ids(user)
    return _or(
        ([Q(area_id__in=areas)] if areas else []) + ([Q(child_id__in=grants)] if grants else [])
    )


def visible_assessment_requests(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the case files this user may open (LA casework staff of the area only)."""
    from everychild.casework.models import AssessmentRequest

    qs = queryset if queryset is not None else AssessmentRequest.objects.all()
    condition = _casework_q(user)
    return qs.none() if condition is None else qs.filter(condition)


def visible_plans(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the EHC plans this user may open: as for case files, including plans made
    before the area's history in EveryChild began (which have no request)."""
    from everychild.plans.models import EHCPlan

    qs = queryset if queryset is not None else EHCPlan.objects.all()
    condition = _casework_q(user)
    return qs.none() if condition is None else qs.filter(condition)


def visible_reviewable_plans(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the EHC plans whose annual reviews the user may see and record: LA casework
    staff of the plan's area (as `visible_plans`), and a SENCO for the pupils currently at
    their own setting (the setting usually holds the review meeting, reg 20)."""
    from everychild.plans.models import EHCPlan

    qs = queryset if queryset is not None else EHCPlan.objects.all()
    if not has_capability(user, Capability.PLAN_REVIEWS):
        return qs.none()
    settings_ids = _senco_setting_ids(user)
    condition = _or(
        [c for c in (_casework_q(user),) if c is not None]
        + ([Q(child__current_setting_id__in=settings_ids)] if settings_ids else [])
    )
    return qs.none() if condition is None else qs.filter(condition)


def visible_advice_requests(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: advice requests the user may see: the LA's for its area; an agency's own."""
    from everychild.casework.models import AdviceRequest

    qs = queryset if queryset is not None else AdviceRequest.objects.all()
    parts = []
    areas = la_area_ids(user)
    if areas:
        parts.append(Q(assessment_request__area_id__in=areas))
    agencies = _agency_org_ids(user)
    if agencies:
        parts.append(Q(organisation_id__in=agencies))
    condition = _or(parts)
    return qs.none() if condition is None else qs.filter(condition)


def advice_organisation_ids(user) -> set[int]:
    """The agencies (EP service, health, social care) the user gives advice for."""
    return _agency_org_ids(user)


def advice_manager_organisation_ids(user) -> set[int]:
    """The agencies in which the user allocates the work (holds MANAGE_ADVICE there)."""
    return {
        m.organisation_id
        for m in memberships(user)
        if Capability.MANAGE_ADVICE in ROLE_CAPABILITIES.get(m.role, set()) and m.organisation_id
    }


def reviewable_break_glass_grants(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the break-glass grants a reviewer sees: those for children of the areas where
    they hold a reviewing role (a grant's reason can itself say something about the child)."""
    from everychild.access.models import BreakGlassGrant

    qs = queryset if queryset is not None else BreakGlassGrant.objects.all()
    areas = {
        m.organisation.area_id
        for m in memberships(user)
        if Capability.REVIEW_AUDIT in ROLE_CAPABILITIES.get(m.role, set())
        and m.organisation_id
        and m.organisation.area_id
    }
    return qs.filter(child__area_id__in=areas) if areas else qs.none()


def improvement_area_ids(user) -> set[int]:
    """Areas whose improvement plan the user takes part in."""
    return {
        m.organisation.area_id
        for m in memberships(user)
        if Capability.IMPROVEMENT in ROLE_CAPABILITIES.get(m.role, set())
        and m.organisation_id
        and m.organisation.area_id
    }


def visible_improvement_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: improvement actions the user sees. Those who see the partnership's figures
    (SEE_AGGREGATES: the board, the LA's managers, finance) see every action of their area's
    plan; other partner staff see the actions their own organisation owns."""
    from everychild.improvement.models import ImprovementAction

    qs = queryset if queryset is not None else ImprovementAction.objects.all()
    if not has_capability(user, Capability.IMPROVEMENT):
        return qs.none()
    whole_plan = {
        m.organisation.area_id
        for m in memberships(user)
        if Capability.SEE_AGGREGATES in ROLE_CAPABILITIES.get(m.role, set())
        and Capability.IMPROVEMENT in ROLE_CAPABILITIES.get(m.role, set())
        and m.organisation_id
        and m.organisation.area_id
    }
    own = {
        m.organisation_id
        for m in memberships(user)
        if m.role in IMPROVEMENT_EDITOR_ROLES and m.organisation_id
    }
    condition = _or(
        ([Q(priority__area_id__in=whole_plan)] if whole_plan else [])
        + ([Q(owner_organisation_id__in=own)] if own else [])
    )
    return qs.none() if condition is None else qs.filter(condition)


def editable_improvement_actions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the actions the user may update: those their own organisation owns, for
    holders of a partner role (never the board, who watch the plan)."""
    from everychild.improvement.models import ImprovementAction

    qs = queryset if queryset is not None else ImprovementAction.objects.all()
    own = {
        m.organisation_id
        for m in memberships(user)
        if m.role in IMPROVEMENT_EDITOR_ROLES and m.organisation_id
    }
    return qs.filter(owner_organisation_id__in=own) if own else qs.none()


def may_plan_improvement(user, area_id: int) -> bool:
    """Whether the user may add priorities and actions to an area's plan and name owners."""
    return area_id in la_area_ids(user, IMPROVEMENT_PLANNER_ROLES)


def may(user, action: Action | str, obj) -> bool:
    """Record-level check. Unknown actions are refused."""
    from everychild.casework.models import AdviceRequest, AssessmentRequest
    from everychild.children.models import Child
    from everychild.plans.models import EHCPlan

    try:
        action = Action(action)
    except ValueError:
        return False
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action is Action.VIEW_CHILD and isinstance(obj, Child):
        return visible_children(user).filter(pk=obj.pk).exists()
    if action is Action.EDIT_CHILD and isinstance(obj, Child):
        return editable_children(user).filter(pk=obj.pk).exists()
    if action is Action.VIEW_CASE and isinstance(obj, AssessmentRequest):
        return visible_assessment_requests(user).filter(pk=obj.pk).exists()
    if action is Action.EDIT_CASE and isinstance(obj, AssessmentRequest):
        return obj.area_id in la_area_ids(user, LA_EDIT_ROLES | {Role.DECISION_MAKER})
    if action is Action.VIEW_ADVICE_REQUEST and isinstance(obj, AdviceRequest):
        return visible_advice_requests(user).filter(pk=obj.pk).exists()
    if action is Action.VIEW_PLAN and isinstance(obj, EHCPlan):
        return visible_plans(user).filter(pk=obj.pk).exists()
    if action is Action.GIVE_ADVICE and isinstance(obj, AdviceRequest):
        return (
            obj.organisation_id in advice_organisation_ids(user)
            and obj.provided_on is None
            and obj.cancelled_on is None
        )
    return False


# --- Declaring access on views ------------------------------------------------------------


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone. Keep the list short: the URL-coverage test lists them."""
    view.access_rule = PUBLIC
    return view


def requires(capability: Capability) -> Callable[[Callable], Callable]:
    """Mark a function view (or a class, for class-based and API views) with the capability it
    needs. The middleware enforces it; record-level checks happen inside with `may`."""

    def decorate(view):
        if isinstance(view, type):
            view.access_rule = capability
            return view

        @wraps(view)
        def wrapped(*args, **kwargs):
            return view(*args, **kwargs)

        wrapped.access_rule = capability
        return wrapped

    return decorate


def access_rule_of(view_func) -> str | None:
    """The rule a resolved view declared, looking through Django's and DRF's wrappers."""
    for candidate in (
        view_func,
        getattr(view_func, "view_class", None),
        getattr(view_func, "cls", None),
    ):
        rule = getattr(candidate, "access_rule", None)
        if rule is not None:
            return rule
    return None


def family_children(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector for the family portal: the children a parent or young person may see there,
    by the family rules only (a parent's own children unless a young person acting for
    themselves withdrew their access; a young person's own record), even if the same person
    also holds a staff role."""
    from everychild.children.models import Child

    qs = queryset if queryset is not None else Child.objects.all()
    if not has_capability(user, Capability.FAMILY_PORTAL):
        return qs.none()
    rs = roles(user)
    parts = []
    if Role.PARENT in rs:
        parts.append(
            Q(
                family_links__user_id=user.pk,
                family_links__has_parental_responsibility=True,
                family_links__young_person_allows_access=True,
            )
        )
    if Role.YOUNG_PERSON in rs:
        parts.append(Q(own_account_id=user.pk))
    condition = _or(parts)
    if condition is None:
        return qs.none()
    return qs.filter(pk__in=Child.objects.filter(condition).values("pk"))


def family_cases(user, queryset: QuerySet | None = None) -> QuerySet:
    """Selector: the cases (assessment requests) of the children in `family_children`."""
    from everychild.casework.models import AssessmentRequest

    qs = queryset if queryset is not None else AssessmentRequest.objects.all()
    return qs.filter(child__in=family_children(user).values("pk"))

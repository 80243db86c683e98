"""The kernel of access: who may use which page, and the look-ups every record rule stands on.

Deny by default. A page or API endpoint declares the capability it needs (`requires`) or that
it is public (`public`); the AccessPolicyMiddleware refuses any view that declares neither.
A role is never named outside accounts, access, demo and testing: code asks for a capability,
and `ROLE_CAPABILITIES` is the one table of which role holds which.

The kernel knows no record. The record rules ("may this user see this child?") live beside
their records, in `children/policy.py`, `casework/policy.py`, `plans/policy.py` and
`improvement/policy.py`, and are built from the look-ups here: the areas a user works in
(`work_areas`, `la_area_ids`), the organisations they work for (`organisation_ids`), and the
people who hold a capability (`roles_with`, `members_with`). `may(user, action, obj)` answers
a record-level question by the rule its record's app registered with `rule` (each app's
AppConfig.ready() imports its policy module), and refuses when no rule was registered.
The whole policy is read and checked in one place: access/tests/test_access_matrix.py.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import Resolver404, resolve

from everychild.accounts.models import ADVISER_ROLES, Membership, OrganisationKind, Role
from everychild.areas.models import Area


class Capability(enum.StrEnum):
    """What a page, an endpoint or a record rule needs, held through a role."""

    SIGNED_IN = "signed_in"
    SEE_CHILDREN = "see_children"  # lists and search of the children the user may see
    EDIT_CHILDREN = "edit_children"
    CASEWORK = "casework"  # caseloads and case pages: the LA's casework staff and panel
    # Open requests, hold cases and write drafts and plans: the LA's caseworkers and team
    # managers (not the panel, who decide).
    WRITE_CASES = "write_cases"
    # Carries a caseload of their own (the caseload opens on "mine"; the performance pages
    # filter by caseworker).
    CASELOAD = "caseload"
    MANAGE_TEAM = "manage_team"  # allocation, team view, break-glass review
    DECIDE = "decide"  # panel decisions
    # An agency's advisers (EP service, health, social care) and a setting's SENCO, who gives
    # the educational advice asked of the setting (reg 6(1)(b)): for their own organisation.
    GIVE_ADVICE = "give_advice"
    MANAGE_ADVICE = "manage_advice"  # an agency's managers, who allocate its work
    SEE_AGGREGATES = "see_aggregates"  # performance, benchmarks: no child-level data
    FINANCE = "finance"
    # Cost tables, assumptions and the budget are kept by finance officers; senior leaders
    # read them and may make scenarios.
    CONFIGURE_FINANCE = "configure_finance"
    ADMINISTER = "administer"
    # Invite, change and switch off the staff of the organisations one administers: one's own
    # organisation, or in a local authority every organisation of its area (decision 0180).
    MANAGE_STAFF = "manage_staff"
    BREAK_GLASS = "break_glass"  # may ask for exceptional access with a reason
    REVIEW_AUDIT = "review_audit"
    # Told by e-mail of every exceptional access in their area: the people who review it.
    HEAR_OF_BREAK_GLASS = "hear_of_break_glass"
    # The improvement plan: see it (the board all of it, a partner its own actions) and update
    # the actions one's own organisation owns. No child-level data.
    IMPROVEMENT = "improvement"
    UPDATE_IMPROVEMENT = "update_improvement"  # partner staff who own actions
    PLAN_IMPROVEMENT = "plan_improvement"  # write priorities and actions, name owners
    RETURNS = "returns"  # the SEN2 return: run the checks on the area's data
    # Load records from another system's SEN2 file into the area (a migration): writes many
    # children at once, so a manager's decision, not every caseworker's.
    IMPORT_RETURNS = "import_returns"
    DATA_PROTECTION = "data_protection"  # subject access exports, retention
    # The family portal: a parent's or young person's own children, in plain English.
    FAMILY_PORTAL = "family_portal"
    # A parent or carer's own children, where they have parental responsibility.
    SEE_OWN_CHILDREN = "see_own_children"
    SEE_OWN_RECORD = "see_own_record"  # a young person's own record
    SEE_PUPILS = "see_pupils"  # a setting's SENCO: the pupils of their own setting
    # Annual reviews of EHC plans: the LA's casework staff, and settings' SENCOs for their
    # own pupils (they hold and record most review meetings).
    PLAN_REVIEWS = "plan_reviews"
    # Make a request for an EHC needs assessment for a pupil of one's own setting, and follow
    # the setting's requests on the case's clock (reg 3, 4; Code of Practice 9.8-9.14).
    REQUEST_ASSESSMENT = "request_assessment"
    # SEN support: write the support plans of one's own setting's pupils (a SENCO).
    SUPPORT_PLANS = "support_plans"
    # Answer settings' requests for advice before any statutory request (issue 22): the
    # area's services (EP, health, social care), not a school.
    ANSWER_CONSULTATIONS = "answer_consultations"


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
    VIEW_SUPPORT_PLAN = "view_support_plan"
    EDIT_SUPPORT_PLAN = "edit_support_plan"


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
    Role.STAFF_ADMINISTRATOR,
}

ROLE_CAPABILITIES: dict[str, set[Capability]] = {
    Role.CASEWORKER: {
        Capability.SEE_CHILDREN,
        Capability.EDIT_CHILDREN,
        Capability.CASEWORK,
        Capability.WRITE_CASES,
        Capability.CASELOAD,
        Capability.RETURNS,
    },
    Role.TEAM_MANAGER: {
        Capability.SEE_CHILDREN,
        Capability.EDIT_CHILDREN,
        Capability.CASEWORK,
        Capability.WRITE_CASES,
        Capability.MANAGE_TEAM,
        Capability.SEE_AGGREGATES,
        Capability.REVIEW_AUDIT,
        Capability.HEAR_OF_BREAK_GLASS,
        Capability.RETURNS,
        Capability.IMPORT_RETURNS,
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
    # A setting's SENCO: their own pupils, the setting's requests for assessment, and the
    # educational advice the council asks of the setting (decisions 0193, 0194).
    Role.SENCO: {
        Capability.SEE_CHILDREN,
        Capability.SEE_PUPILS,
        Capability.REQUEST_ASSESSMENT,
        Capability.GIVE_ADVICE,
        Capability.SUPPORT_PLANS,
    },
    Role.PARENT: {Capability.SEE_CHILDREN, Capability.SEE_OWN_CHILDREN},
    Role.YOUNG_PERSON: {Capability.SEE_CHILDREN, Capability.SEE_OWN_RECORD},
    Role.BOARD_MEMBER: {Capability.SEE_AGGREGATES},
    Role.FINANCE_OFFICER: {
        Capability.SEE_AGGREGATES,
        Capability.FINANCE,
        Capability.CONFIGURE_FINANCE,
    },
    # The high-needs budget and forecast: finance officers and senior leaders only.
    Role.SENIOR_LEADER: {Capability.SEE_AGGREGATES, Capability.FINANCE},
    Role.SYSTEM_ADMINISTRATOR: {Capability.ADMINISTER, Capability.REVIEW_AUDIT},
    # No child-level data: people, their roles and organisations only.
    Role.STAFF_ADMINISTRATOR: {Capability.MANAGE_STAFF},
    # Subject access requests, retention and the audit of exceptional access (UK GDPR
    # Arts. 15 and 5(1)(e)); no casework, and a child's record only through an export.
    Role.DATA_PROTECTION_OFFICER: {
        Capability.DATA_PROTECTION,
        Capability.REVIEW_AUDIT,
        Capability.HEAR_OF_BREAK_GLASS,
    },
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
for _role in IMPROVEMENT_EDITOR_ROLES:
    ROLE_CAPABILITIES[_role].add(Capability.UPDATE_IMPROVEMENT)
# The local authority leads the improvement plan (it is the body under direction): its team
# managers write priorities and actions and name their owners.
ROLE_CAPABILITIES[Role.TEAM_MANAGER].add(Capability.PLAN_IMPROVEMENT)
for _role in IMPROVEMENT_EDITOR_ROLES | {Role.BOARD_MEMBER, Role.FINANCE_OFFICER}:
    ROLE_CAPABILITIES[_role].add(Capability.IMPROVEMENT)
for _role in (Role.PARENT, Role.YOUNG_PERSON):
    ROLE_CAPABILITIES[_role].add(Capability.FAMILY_PORTAL)

for _role in (Role.CASEWORKER, Role.TEAM_MANAGER, Role.DECISION_MAKER, Role.SENCO):
    ROLE_CAPABILITIES[_role].add(Capability.PLAN_REVIEWS)
for _role in ADVISER_ROLES:
    ROLE_CAPABILITIES[_role].add(Capability.ANSWER_CONSULTATIONS)


def roles_with(capability: Capability) -> set[str]:
    """The roles that give a capability, for ORM filters (`role__in=roles_with(…)`)."""
    return {role for role, held in ROLE_CAPABILITIES.items() if capability in held}


def gives(role: str, *wanted: Capability) -> bool:
    """Whether one role (one membership) gives every capability wanted."""
    held = ROLE_CAPABILITIES.get(role, set())
    return all(capability in held for capability in wanted)


# --- The user's memberships and what they give ------------------------------------------


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


def work_areas(user, *wanted: Capability, local_authority: bool = False) -> list[Area]:
    """The areas this user works in: those of the organisations where they hold a membership
    giving every capability wanted (any membership, if none is named), only councils' with
    `local_authority`. Each area once, lowest id first, so "the" area of someone who works in
    several is always the same one."""
    found = {
        m.organisation.area_id: m.organisation.area
        for m in memberships(user)
        if gives(m.role, *wanted)
        and m.organisation_id
        and m.organisation.area_id
        and (not local_authority or m.organisation.kind == OrganisationKind.LOCAL_AUTHORITY)
    }
    return [found[area_id] for area_id in sorted(found)]


def work_area(
    user, *wanted: Capability, local_authority: bool = False, refusal: str = ""
) -> Area | None:
    """The one area whose pages this user sees (the first of `work_areas`), or None; with a
    `refusal`, PermissionDenied with that message instead of None."""
    areas = work_areas(user, *wanted, local_authority=local_authority)
    if not areas and refusal:
        raise PermissionDenied(refusal)
    return areas[0] if areas else None


def la_area_ids(user, capability: Capability = Capability.CASEWORK) -> set[int]:
    """The areas where the user holds `capability` for the local authority (by default: its
    casework staff and panel)."""
    return {area.pk for area in work_areas(user, capability, local_authority=True)}


def organisation_ids(user, *wanted: Capability) -> set[int]:
    """The organisations the user works for with every capability wanted (an agency they
    advise for, a setting whose SENCO they are, a partner whose actions they own)."""
    return {
        m.organisation_id for m in memberships(user) if gives(m.role, *wanted) and m.organisation_id
    }


def advice_organisation_ids(user) -> set[int]:
    """The bodies the user gives advice for: agencies (EP service, health, social care), and
    for a SENCO their own setting when the council asks it for educational advice."""
    return organisation_ids(user, Capability.GIVE_ADVICE)


def advice_manager_organisation_ids(user) -> set[int]:
    """The agencies in which the user allocates the work (holds MANAGE_ADVICE there)."""
    return organisation_ids(user, Capability.MANAGE_ADVICE)


def requesting_setting_ids(user) -> set[int]:
    """The schools and settings for which the user makes requests for assessment."""
    return organisation_ids(user, Capability.REQUEST_ASSESSMENT)


def setting_ids(user) -> set[int]:
    """The schools and settings whose pupils the user sees as their SENCO."""
    return organisation_ids(user, Capability.SEE_PUPILS)


def members_with(
    capability: Capability,
    *,
    area_id: int | None = None,
    organisation_id: int | None = None,
    local_authority: bool = False,
) -> QuerySet:
    """The active memberships of active people that give a capability, in an area or an
    organisation: whom to tell, whom to allocate to."""
    found = Membership.objects.filter(
        role__in=roles_with(capability), is_active=True, user__is_active=True
    )
    if area_id is not None:
        found = found.filter(organisation__area_id=area_id)
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    if local_authority:
        found = found.filter(organisation__kind=OrganisationKind.LOCAL_AUTHORITY)
    return found


def any_of(parts: list[Q]) -> Q | None:
    """The conditions OR-ed together; None when there is none (the user may see nothing)."""
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


# --- Record rules: declared by each record's app, asked through `may` ----------------------

_RULES: dict[tuple[Action, type], Callable[[object, object], bool]] = {}


def rule(action: Action, model: type) -> Callable[[Callable], Callable]:
    """Declare the rule for one action on one model: `@rule(Action.VIEW_CHILD, Child)` over a
    function (user, record) -> bool in the record's app's policy module."""

    def declare(check: Callable[[object, object], bool]) -> Callable[[object, object], bool]:
        _RULES[(Action(action), model)] = check
        return check

    return declare


def may(user, action: Action | str, obj) -> bool:
    """Record-level check. Unknown actions, and actions on records no rule is declared for,
    are refused."""
    try:
        action = Action(action)
    except ValueError:
        return False
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    for model in type(obj).__mro__:
        check = _RULES.get((action, model))
        if check is not None:
            return check(user, obj)
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
        declared = getattr(candidate, "access_rule", None)
        if declared is not None:
            return declared
    return None


# What the pages that need each capability are for, said to someone refused them (the 403
# page, core/errors.py): a person should learn what the page does, that their role does not
# include it, and whom to ask (docs/decisions/0202).
PURPOSES: dict[Capability, str] = {
    Capability.SIGNED_IN: "the service's pages for staff and families",
    Capability.SEE_CHILDREN: "finding and reading the records of the children you work with",
    Capability.EDIT_CHILDREN: "changing a child's details",
    Capability.CASEWORK: "the local authority's caseloads and case pages",
    Capability.WRITE_CASES: "writing requests, drafts and plans: the caseworkers' and team "
    "managers' work",
    Capability.CASELOAD: "a caseload of your own",
    Capability.MANAGE_TEAM: "allocating cases and reviewing the team's work",
    Capability.DECIDE: "the panel's decisions",
    Capability.GIVE_ADVICE: "writing advice for an EHC needs assessment",
    Capability.MANAGE_ADVICE: "allocating an agency's requests for advice",
    Capability.SEE_AGGREGATES: "the area's performance figures",
    Capability.FINANCE: "the high needs budget and its forecasts",
    Capability.CONFIGURE_FINANCE: "keeping the cost tables, assumptions and budget",
    Capability.ADMINISTER: "administering the area's settings",
    Capability.MANAGE_STAFF: "inviting and changing staff accounts",
    Capability.BREAK_GLASS: "asking for exceptional access to a record",
    Capability.REVIEW_AUDIT: "reviewing the audit log",
    Capability.HEAR_OF_BREAK_GLASS: "hearing of exceptional access",
    Capability.IMPROVEMENT: "the SEND improvement plan and its actions",
    Capability.UPDATE_IMPROVEMENT: "updating the improvement actions your organisation owns",
    Capability.PLAN_IMPROVEMENT: "writing the improvement plan's priorities and actions",
    Capability.RETURNS: "checking the SEN2 return",
    Capability.IMPORT_RETURNS: "loading records from another system's SEN2 file",
    Capability.DATA_PROTECTION: "subject access requests and the retention of records",
    Capability.FAMILY_PORTAL: "the family portal, for parents and young people",
    Capability.SEE_OWN_CHILDREN: "a parent's own children's records",
    Capability.SEE_OWN_RECORD: "a young person's own record",
    Capability.SEE_PUPILS: "a setting's pupils",
    Capability.PLAN_REVIEWS: "the annual reviews of EHC plans",
}


class CapabilityRefused(PermissionDenied):
    """A page refused because the account's roles do not include what it needs: the 403 page
    says what the page is for and which roles include it (core/errors.py reads `purpose` and
    `roles`; core cannot import access)."""

    def __init__(self, capability: Capability | str):
        self.capability = Capability(capability)
        self.purpose = PURPOSES.get(self.capability, "")
        self.roles = sorted(str(Role(role).label) for role in roles_with(self.capability))
        super().__init__(f"This page needs {self.capability}.")


def may_open(user, path: str) -> bool:
    """Whether `user` may open the page at `path`, by the rule its view declared: the same
    check the AccessPolicyMiddleware makes, so a page offers only the links its reader can
    follow (issue 20). Record-level rules are the view's own; a page that links to a record
    asks those itself."""
    try:
        rule = access_rule_of(resolve(path.split("?")[0]).func)
    except Resolver404:
        return False
    if rule is None:
        return False
    if rule == PUBLIC:
        return True
    return bool(user and user.is_authenticated and has_capability(user, rule))

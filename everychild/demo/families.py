"""The family portal's demonstration: parent@demo.test, youngperson@demo.test and
youngadult@demo.test, made by seed_demo_area, get cases worth looking at. Built through the
casework, plans and family services (so every date comes from a true chronology); a second run
changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from everychild.accounts.models import User
from everychild.areas.models import DecisionOwner
from everychild.casework import policy as case_policy
from everychild.casework import services as casework
from everychild.casework.models import AssessmentRequest, RequestSource, Stage
from everychild.casework.policy import family_cases
from everychild.children.codes import NeedType
from everychild.children.policy import family_children
from everychild.families import services
from everychild.families.models import ViewsStatement
from everychild.plans import services as plans
from everychild.plans.models import EHCPlan

PARENT_EMAIL = "parent@demo.test"
YOUNG_PERSON_EMAIL = "youngperson@demo.test"
YOUNG_ADULT_EMAIL = "youngadult@demo.test"
# The area's setting names who takes each decision (decision 0192): the role that holds it.
DECIDER_ROLE = {
    DecisionOwner.PANEL: "decision_maker",
    DecisionOwner.MANAGER: "team_manager",
    DecisionOwner.CASEWORKER: "caseworker",
}


class DemoFamiliesError(Exception):
    pass


@dataclass
class Result:
    done: list[str] = field(default_factory=list)


def _user(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        raise DemoFamiliesError(f"{email} is missing: run seed_demo_area first.")
    return user


def _staff(area_id: int, role: str) -> User:
    user = (
        User.objects.filter(
            memberships__role=role,
            memberships__is_active=True,
            memberships__organisation__area_id=area_id,
            memberships__organisation__kind="la",
            is_active=True,
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        raise DemoFamiliesError(f"The demonstration area has no {role}: run seed_demo_area.")
    return user


def _decider(case: AssessmentRequest, which: str) -> User:
    return _staff(case.area_id, DECIDER_ROLE[case_policy.decision_owner(case.area, which)])


def _to_draft(case: AssessmentRequest, today: dt.date) -> AssessmentRequest:
    """Take an open case to a draft plan served today (the family's 15 days start)."""
    caseworker = _staff(case.area_id, "caseworker")
    if case.stage == Stage.AWAITING_DECISION:
        case = casework.decide_whether_to_assess(
            actor=_decider(case, case_policy.ASSESS),
            case=case,
            version=None,
            decision="assess",
            decided_on=min(today, case.received_on + dt.timedelta(days=28)),
            reasons="The evidence shows needs that may call for special educational provision.",
        )
    for advice in case.advice_requests.filter(provided_on=None, cancelled_on=None):
        casework.record_advice_provided(
            actor=caseworker, advice=advice, version=None, provided_on=today
        )
    case.refresh_from_db()
    return casework.serve_draft_plan(actor=caseworker, case=case, version=None, served_on=today)


def seed_demo_families(*, today: dt.date | None = None) -> Result:
    today = today or timezone.localdate()
    result = Result()
    parent = _user(PARENT_EMAIL)
    young_person = _user(YOUNG_PERSON_EMAIL)
    young_adult = _user(YOUNG_ADULT_EMAIL)
    with transaction.atomic():
        result.done += _parent_draft(parent, today)
        result.done += _young_person_case(young_person, today)
        result.done += _young_adult_plan(young_adult, today)
    return result


def _parent_draft(parent: User, today: dt.date) -> list[str]:
    cases = family_cases(parent)
    if cases.filter(
        stage=Stage.DRAFT_PLAN, draft_plan_served_on__gte=today - dt.timedelta(days=10)
    ).exists():
        return []
    case = cases.filter(stage__in=(Stage.AWAITING_DECISION, Stage.ASSESSING)).first()
    if case is None:
        child = (
            family_children(parent)
            .exclude(assessment_requests__stage__in=(Stage.DRAFT_PLAN,))
            .order_by("date_of_birth")
            .last()
        )
        if child is None:
            raise DemoFamiliesError("parent@demo.test has no children: run seed_demo_area.")
        case = casework.record_request(
            actor=_staff(child.area_id, "caseworker"),
            area=child.area,
            child=child,
            source=RequestSource.FAMILY,
            received_on=today - dt.timedelta(days=70),
            requested_by=f"{parent.full_name} (parent)",
            reason="Our child is not making progress despite support at school.",
        )
    case = _to_draft(case, today)
    services.save_views(
        actor=parent,
        case=case,
        kind=ViewsStatement.Kind.CHILD,
        values={
            "about": "I like dinosaurs, swimming and building with Lego.",
            "what_is_hard": "Noisy classrooms and writing things down.",
            "hopes": "To have a friend to play with at break time.",
        },
        send=True,
    )
    services.save_views(
        actor=parent,
        case=case,
        kind=ViewsStatement.Kind.PARENT,
        values={"about": "A draft the parent has not sent yet."},
    )
    return [f"parent@demo.test: the draft plan for {case.reference} is open for comments"]


def _young_person_case(young_person: User, today: dt.date) -> list[str]:
    if family_cases(young_person).exists():
        return []
    child = family_children(young_person).first()
    if child is None:
        raise DemoFamiliesError("youngperson@demo.test has no record: run seed_demo_area.")
    case = casework.record_request(
        actor=_staff(child.area_id, "caseworker"),
        area=child.area,
        child=child,
        source=RequestSource.FAMILY,
        received_on=today - dt.timedelta(days=12),
        requested_by=f"{young_person.full_name} (young person)",
        reason="I want help to do my college course and get ready for work.",
    )
    return [f"youngperson@demo.test: a request ({case.reference}) awaiting a decision"]


def _young_adult_plan(young: User, today: dt.date) -> list[str]:
    """youngadult@demo.test: their own request taken through every step to a plan issued 5
    weeks ago, within the 20 weeks (reg 13(2)), so a young person's plan pages (the plan in
    their words, the time to appeal, the next review) are there to read."""
    child = family_children(young).first()
    if child is None:
        raise DemoFamiliesError(f"{YOUNG_ADULT_EMAIL} has no record: run seed_demo_area.")
    if EHCPlan.objects.filter(child=child, ceased_on=None).exists():
        return []  # made by an earlier run (or, in a very small area, by seed_demo_area)
    caseworker = _staff(child.area_id, "caseworker")
    received = today - dt.timedelta(days=160)
    case = casework.record_request(
        actor=caseworker,
        area=child.area,
        child=child,
        source=RequestSource.FAMILY,
        received_on=received,
        requested_by=f"{young.full_name} (young person)",
        reason="I need support to stay on my college course and move towards work.",
    )
    case = _to_draft(case, received + dt.timedelta(days=84))
    draft = plans.draft_for_case(actor=caseworker, case=case)
    draft = plans.set_section_a(
        actor=caseworker,
        draft=draft,
        text="I like cooking and music. I want to finish my course and get a job in a kitchen.",
    )
    draft = plans.set_need_types(actor=caseworker, draft=draft, primary_need=NeedType.SLCN)
    draft = plans.add_need(
        actor=caseworker,
        draft=draft,
        section="B",
        text="Finds it hard to follow spoken instructions of more than two steps.",
    )
    need = draft.sections["B"]["needs"][-1]["id"]
    draft = plans.add_outcome(
        actor=caseworker,
        draft=draft,
        text="Will follow a three-step recipe in the college kitchen without prompting",
        needs=[need],
        by_when=today + dt.timedelta(days=300),
        measured_by="Observed by the course tutor each half term",
    )
    outcome = draft.sections["E"]["outcomes"][-1]["id"]
    plans.add_provision(
        actor=caseworker,
        draft=draft,
        section="F",
        what="Individual coaching to break practical tasks into written steps",
        how_often="2 sessions of 30 minutes each week",
        how_long="for 1 year",
        by_whom="Learning support assistant",
        qualification="Level 3 learning support assistant",
        outcomes=[outcome],
    )
    if not draft.sections["I"]["setting_id"] and not draft.sections["I"]["setting_code"]:
        plans.set_placement(
            actor=caseworker, draft=draft, setting=None, setting_code="OLA", setting_type=""
        )
    case.refresh_from_db()
    served = case.draft_plan_served_on
    case = casework.decide_to_issue(
        actor=_decider(case, case_policy.ISSUE),
        case=case,
        version=None,
        decided_on=served + dt.timedelta(days=16),
        reasons="The assessment shows that a plan is necessary for college.",
    )
    case = plans.issue_final_plan(
        actor=_decider(case, case_policy.FINAL_PLAN),
        case=case,
        version=None,
        issued_on=today - dt.timedelta(days=35),
    )
    return [f"{YOUNG_ADULT_EMAIL}: their plan ({case.reference}) was issued 5 weeks ago"]

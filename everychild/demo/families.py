"""The family portal's demonstration: parent@demo.test and youngperson@demo.test, made by
seed_demo_area, get cases worth looking at. Built through the casework and family services
(so every date comes from a true chronology); a second run changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from everychild.accounts.models import User
from everychild.casework import services as casework
from everychild.casework.models import AssessmentRequest, RequestSource, Stage
from everychild.casework.policy import family_cases
from everychild.children.policy import family_children
from everychild.families import services
from everychild.families.models import ViewsStatement

PARENT_EMAIL = "parent@demo.test"
YOUNG_PERSON_EMAIL = "youngperson@demo.test"


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


def _to_draft(case: AssessmentRequest, today: dt.date) -> AssessmentRequest:
    """Take an open case to a draft plan served today (the family's 15 days start)."""
    caseworker = _staff(case.area_id, "caseworker")
    if case.stage == Stage.AWAITING_DECISION:
        panel = _staff(case.area_id, "decision_maker")
        case = casework.decide_whether_to_assess(
            actor=panel,
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
    with transaction.atomic():
        result.done += _parent_draft(parent, today)
        result.done += _young_person_case(young_person, today)
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

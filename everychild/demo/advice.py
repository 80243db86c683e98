"""The demonstration EP service's waiting list settings, on top of `seed_demo_area` (whose
requests for advice give it years of arrivals and the backlog the seed article describes): each
psychologist's capacity for the last 2 years (set to the rate the service actually answered at
over the last year), some leave to come, priority rules, rules marked on some open requests,
and two saved scenarios. A second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from everychild.accounts.models import Organisation, OrganisationKind, Role
from everychild.advice import services
from everychild.advice.models import (
    AdviceItem,
    AdviceWork,
    Capacity,
    Leave,
    PriorityRule,
    Scenario,
)
from everychild.casework.models import AdviceRequest, Stage

RULES = [
    ("Tribunal-ordered", "The First-tier Tribunal has ordered the assessment.", 1),
    ("Looked after", "The child is looked after by the local authority.", 2),
    ("Phase transfer", "The child moves school phase this year (plan due by 15 February).", 3),
]


# Structured advice (needs, outcomes, provision) as a psychologist writes it, for the drafts in
# progress: the caseworker's suggestions panel offers it into the plan (decision 0195).
STRUCTURED = [
    (
        AdviceItem.Kind.NEED,
        "B",
        "Working memory is well below what is typical for their age, so multi-step "
        "instructions are lost part way through.",
        "",
        "",
        "",
    ),
    (
        AdviceItem.Kind.OUTCOME,
        "E",
        "By the end of the school year, follows a three-step classroom instruction without "
        "an adult repeating it.",
        "",
        "",
        "",
    ),
    (
        AdviceItem.Kind.PROVISION,
        "F",
        "Precision teaching of key vocabulary, one to one.",
        "10 minutes",
        "daily",
        "A teaching assistant trained by the EP service",
    ),
    (
        AdviceItem.Kind.PROVISION,
        "F",
        "Instructions given in chunks, with a visual checklist on the desk.",
        "",
        "every lesson",
        "Class teacher",
    ),
]
#: How many drafts in progress get structured EP advice (the rest came as documents).
STRUCTURED_DRAFTS = 40


class DemoAdviceError(Exception):
    """The demonstration area is not there to set up."""


@dataclass
class Result:
    created: bool
    psychologists: int = 0
    per_week: Decimal = Decimal("0")
    open_requests: int = 0


def seed_demo_advice(*, seed: int = 5) -> Result:
    """Set up the demonstration EP service once; `seed` chooses its leave and marked rules."""
    service = (
        Organisation.objects.filter(kind=OrganisationKind.EDUCATIONAL_PSYCHOLOGY)
        .filter(name__endswith="(demo)")
        .first()
    )
    if service is None:
        raise DemoAdviceError("Run seed_demo_area first: there is no demonstration EP service.")
    if Capacity.objects.filter(organisation=service).exists():
        return Result(created=False)
    rng = random.Random(seed)
    today = timezone.localdate()
    people = list(services.professionals(service.pk))
    manager = services.professionals(service.pk).filter(memberships__role=Role.EP_MANAGER).first()
    year_ago = today - dt.timedelta(days=365)
    answered = AdviceRequest.objects.filter(
        organisation=service, provided_on__gt=year_ago, provided_on__lte=today
    ).count()
    # The service's real pace over the last year, shared among its psychologists.
    per_person = Decimal(str(round(answered / 52 / max(len(people), 1), 1)))
    with transaction.atomic():
        for person in people:
            Capacity.objects.create(
                organisation=service,
                professional=person,
                per_week=per_person,
                starts_on=today - dt.timedelta(days=730),
                set_by=manager,
            )
            start = today + dt.timedelta(days=rng.randint(7, 150))
            Leave.objects.create(
                organisation=service,
                professional=person,
                starts_on=start,
                ends_on=start + dt.timedelta(days=rng.choice([4, 9, 11])),
                recorded_by=manager,
            )
        rules = [
            PriorityRule.objects.create(
                organisation=service, name=name, description=text, rank=rank
            )
            for name, text, rank in RULES
        ]
        open_requests = list(
            AdviceRequest.objects.filter(
                organisation=service, provided_on__isnull=True, cancelled_on__isnull=True
            )
        )
        for advice in open_requests:
            if rng.random() < 0.2:
                work, _ = AdviceWork.objects.get_or_create(advice_request=advice)
                work.priority_rules.set([rng.choice(rules)])
        _structured_advice(service, people)
        march = dt.date(today.year + (today.month >= 3), 3, 1)
        Scenario.objects.create(
            organisation=service,
            name="2 locum EPs from March",
            extra_per_week=Decimal("4.0"),
            starts_on=march,
            created_by=manager,
        )
        Scenario.objects.create(
            organisation=service,
            name="1 EP leaves in 8 weeks",
            extra_per_week=Decimal("0") - per_person,
            starts_on=today + dt.timedelta(weeks=8),
            created_by=manager,
        )
    return Result(
        created=True,
        psychologists=len(people),
        per_week=per_person,
        open_requests=len(open_requests),
    )


def _structured_advice(service: Organisation, people: list) -> None:
    """The EP advice already given on cases at the draft-plan stage, written as items."""
    given = list(
        AdviceRequest.objects.filter(
            organisation=service,
            provided_on__isnull=False,
            assessment_request__stage=Stage.DRAFT_PLAN,
            work__isnull=True,
        ).order_by("pk")[:STRUCTURED_DRAFTS]
    )
    if not given or not people:
        return
    works = AdviceWork.objects.bulk_create(
        [
            AdviceWork(
                advice_request=advice,
                summary="Assessment in school and at home, with the family's and child's views.",
                submitted_on=advice.provided_on,
                submitted_by=people[n % len(people)],
            )
            for n, advice in enumerate(given)
        ]
    )
    AdviceItem.objects.bulk_create(
        [
            AdviceItem(
                work=work,
                kind=kind,
                section=section,
                text=text,
                amount=amount,
                frequency=frequency,
                delivered_by=by,
            )
            for work in works
            for kind, section, text, amount, frequency, by in STRUCTURED
        ]
    )

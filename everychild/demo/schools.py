"""The demonstration SENCO's part (issue 19), on top of `seed_demo_area`: a request for an EHC
needs assessment the school made in the service for one of its pupils, with the family's
agreement and the evidence of the graduated approach; and a request for the school's
educational advice on a case being assessed. A second run adds nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from everychild.accounts.models import Organisation, Role, User
from everychild.casework import services
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceKind,
    AssessmentRequest,
    SchoolRequest,
    Stage,
)
from everychild.children.models import Child

SENCO = "senco@demo.test"
CASEWORKER = "caseworker@demo.test"


class DemoSchoolsError(Exception):
    """The demonstration area is not there to set up."""


@dataclass
class Result:
    created: bool
    reference: str = ""
    advice_for: str = ""


def seed_demo_schools() -> Result:
    senco = User.objects.filter(email=SENCO).first()
    caseworker = User.objects.filter(email=CASEWORKER).first()
    school = Organisation.objects.filter(
        memberships__user=senco, memberships__role=Role.SENCO
    ).first()
    if senco is None or caseworker is None or school is None:
        raise DemoSchoolsError("Run seed_demo_area first: there is no demonstration SENCO.")
    if SchoolRequest.objects.filter(setting=school).exists():
        return Result(created=False)
    today = timezone.localdate()
    pupil = (
        Child.objects.filter(current_setting=school, merged_into__isnull=True)
        .exclude(assessment_requests__stage__in=OPEN_STAGES)
        .filter(plans__isnull=True)
        .order_by("pk")
        .first()
    )
    assessing = (
        AssessmentRequest.objects.filter(area_id=school.area_id, stage=Stage.ASSESSING)
        .exclude(advice_requests__organisation=school)
        .order_by("-received_on", "pk")
        .first()
    )
    result = Result(created=True)
    with transaction.atomic():
        case = services.record_school_request(
            actor=senco,
            setting=school,
            child=pupil,
            # Every pupil may already have a plan or a case: then a child new to the
            # council's records (synthetic), whom the request adds at the school.
            child_details=None
            if pupil is not None
            else {
                "first_name": "Noah",
                "last_name": "Parkstone",
                "date_of_birth": today.replace(year=today.year - 8, day=1),
                "postcode": "BH1 1AA",
            },
            reason="Little progress in reading and language after three terms of SEN "
            "support, despite well-matched targeted help.",
            consent_given_by="The child's mother",
            consent_given_on=today - dt.timedelta(days=7),
            family_views="We agree and want to know what help our child needs to catch up.",
            evidence=[
                {
                    "kind": "assess",
                    "started_on": today - dt.timedelta(days=200),
                    "ended_on": today - dt.timedelta(days=190),
                    "what": "Reading and language assessed by the SENCO",
                    "outcome": "Reading age two years below chronological age",
                },
                {
                    "kind": "do",
                    "started_on": today - dt.timedelta(days=180),
                    "ended_on": today - dt.timedelta(days=60),
                    "what": "Daily small-group phonics, 20 minutes, teaching assistant",
                    "outcome": "Some progress in phonics; comprehension unchanged",
                },
                {
                    "kind": "advice",
                    "started_on": today - dt.timedelta(days=90),
                    "ended_on": None,
                    "what": "Advice sought from the speech and language therapy service",
                    "outcome": "",
                },
            ],
        )
        result.reference = case.reference
        if assessing is not None:
            services.request_advice(
                actor=caseworker,
                case=assessing,
                version=None,
                kind=AdviceKind.EDUCATION,
                organisation=school,
                received_by_body_on=max(today - dt.timedelta(days=5), assessing.decision_on),
            )
            result.advice_for = assessing.reference
    return result

"""Casework fixtures: the people of one area's SEND service, and cases built step by step
through the services (so every case has a true chronology)."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AdviceKind, RequestSource
from everychild.testing import factories


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def decision_maker(la):
    return factories.make_user(Role.DECISION_MAKER, la, full_name="Priya Panel")


@pytest.fixture
def ep_service(area):
    return factories.EPServiceFactory(area=area)


@pytest.fixture
def school(area):
    return factories.SchoolFactory(area=area)


class Builder:
    """Takes a case through its steps with the real services, at dates in the past."""

    def __init__(self, caseworker, decision_maker, area):
        self.caseworker = caseworker
        self.decision_maker = decision_maker
        self.area = area

    def request(self, child=None, *, received_days_ago=120, **kwargs):
        child = child or factories.ChildFactory(area=self.area)
        return services.record_request(
            actor=self.caseworker,
            area=self.area,
            child=child,
            source=kwargs.pop("source", RequestSource.SETTING),
            received_on=days_ago(received_days_ago),
            requested_by=kwargs.pop("requested_by", "Jo Smith, SENCO"),
            reason=kwargs.pop("reason", "Progress has stalled despite SEN support."),
            **kwargs,
        )

    def decide(self, case, *, days_after=30, decision="assess"):
        return services.decide_whether_to_assess(
            actor=self.decision_maker,
            case=case,
            version=case.version,
            decision=decision,
            decided_on=case.received_on + dt.timedelta(days=days_after),
            reasons="The evidence shows needs that may call for special provision.",
        )

    def advice(self, case, organisation=None, *, days_after_decision=2, kind=None):
        organisation = organisation or factories.EPServiceFactory(area=self.area)
        kind = kind or AdviceKind.EDUCATIONAL_PSYCHOLOGY
        advice = services.request_advice(
            actor=self.caseworker,
            case=case,
            version=case.version,
            kind=kind,
            organisation=organisation,
            received_by_body_on=case.decision_on + dt.timedelta(days=days_after_decision),
        )
        case.refresh_from_db()
        return advice

    def provided(self, advice, *, days_after=30):
        case = advice.assessment_request
        case.refresh_from_db()
        return services.record_advice_provided(
            actor=self.caseworker,
            advice=advice,
            version=case.version,
            provided_on=advice.received_by_body_on + dt.timedelta(days=days_after),
        )

    def draft(self, case, *, served_on):
        case.refresh_from_db()
        served = services.serve_draft_plan(
            actor=self.caseworker, case=case, version=case.version, served_on=served_on
        )
        factories.plan_draft_for(served)  # the plan's sections, so the final plan can issue
        return served

    def assessed_to_draft(self, *, received_days_ago=120, draft_days_ago=30):
        """A case decided, advised, with its draft served `draft_days_ago` days ago and the
        panel's decision to issue recorded that day."""
        case = self.request(received_days_ago=received_days_ago)
        case = self.decide(case, days_after=20)
        advice = self.advice(case)
        self.provided(advice, days_after=20)
        case = self.draft(case, served_on=days_ago(draft_days_ago))
        return self.decide_to_issue(case, on=days_ago(draft_days_ago))

    def decide_to_issue(self, case, *, on=None, meeting=None):
        """The panel's decision to issue a plan (decision 0192)."""
        return services.decide_to_issue(
            actor=self.decision_maker,
            case=case,
            version=case.version,
            decided_on=on or case.draft_plan_served_on or days_ago(1),
            reasons="The assessment shows that special educational provision is necessary.",
            meeting=meeting,
        )


@pytest.fixture
def build(caseworker, decision_maker, area):
    return Builder(caseworker, decision_maker, area)

"""Family portal fixtures: cases built through the casework services, families linked to
children, and the notifications recorded by the local backend."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework import services as casework
from everychild.casework.models import AdviceKind, RequestSource
from everychild.testing import factories


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFICATIONS_BACKEND = "everychild.notifications.backends.LocalBackend"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


class Cases:
    """Takes a case through its steps with the real casework services."""

    def __init__(self, caseworker, decision_maker, area):
        self.caseworker = caseworker
        self.decision_maker = decision_maker
        self.area = area

    def request(self, child=None, *, received_days_ago=60):
        child = child or factories.ChildFactory(area=self.area)
        return casework.record_request(
            actor=self.caseworker,
            area=self.area,
            child=child,
            source=RequestSource.FAMILY,
            received_on=days_ago(received_days_ago),
            requested_by="A parent",
            reason="Progress has stalled despite SEN support.",
        )

    def assessing(self, child=None, *, received_days_ago=60, advice_days_ago=20):
        case = self.request(child, received_days_ago=received_days_ago)
        case = casework.decide_whether_to_assess(
            actor=self.decision_maker,
            case=case,
            version=case.version,
            decision="assess",
            decided_on=case.received_on + dt.timedelta(days=20),
            reasons="Evidence of needs that may call for special provision.",
        )
        casework.request_advice(
            actor=self.caseworker,
            case=case,
            version=case.version,
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            organisation=factories.EPServiceFactory(area=self.area, name="Harbour EP Service"),
            received_by_body_on=(
                days_ago(advice_days_ago)
                if advice_days_ago is not None
                else case.decision_on + dt.timedelta(days=2)
            ),
        )
        case.refresh_from_db()
        return case

    def with_draft(self, child=None, *, draft_days_ago=3, received_days_ago=100):
        case = self.assessing(child, received_days_ago=received_days_ago, advice_days_ago=None)
        advice = case.advice_requests.get()
        casework.record_advice_provided(
            actor=self.caseworker,
            advice=advice,
            version=case.version,
            provided_on=advice.received_by_body_on + dt.timedelta(days=30),
        )
        case.refresh_from_db()
        served = casework.serve_draft_plan(
            actor=self.caseworker,
            case=case,
            version=case.version,
            served_on=days_ago(draft_days_ago),
        )
        factories.plan_draft_for(served)  # the plan's sections, so the final plan can issue
        return factories.decided_to_issue(served)  # and the panel's decision to issue


@pytest.fixture
def decision_maker(la):
    return factories.make_user(Role.DECISION_MAKER, la, full_name="Priya Panel")


@pytest.fixture
def cases(caseworker, decision_maker, area):
    return Cases(caseworker, decision_maker, area)


@pytest.fixture
def parent_of():
    def make(child, **fields):
        link = factories.FamilyLinkFactory(child=child, **fields)
        return link.user

    return make


@pytest.fixture
def young_person(area):
    """A young person of 18 acting for themselves (CFA 2014 s.80): their own account."""

    def make():
        born = timezone.localdate().replace(year=timezone.localdate().year - 18)
        young = factories.ChildFactory(area=area, date_of_birth=born)
        young.own_account = factories.make_user(Role.YOUNG_PERSON)
        young.save()
        return young

    return make

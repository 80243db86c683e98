import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.plans import services as plans
from everychild.testing import factories


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def decision_maker(la):
    return factories.make_user(Role.DECISION_MAKER, la)


@pytest.fixture
def school(area):
    return factories.SchoolFactory(area=area, urn="123456")


@pytest.fixture
def case_at_draft(area, caseworker, school):
    """A case with the decision to assess, advice received, the draft served and the decision
    to issue recorded 30 days ago: its final plan can be issued once the plan's sections are
    written."""
    child = factories.ChildFactory(area=area, current_setting=school)
    case = factories.AssessmentRequestFactory(
        child=child,
        received_on=days_ago(120),
        decision="assess",
        decision_on=days_ago(100),
        stage="draft_plan",
        draft_plan_served_on=days_ago(30),
        decision_to_issue_on=days_ago(30),
        decision_to_issue_reasons="The assessment shows that a plan is necessary.",
    )
    factories.AdviceRequestFactory(
        assessment_request=case, received_by_body_on=days_ago(95), provided_on=days_ago(60)
    )
    return case


def issue(case, caseworker, on=None):
    case.refresh_from_db()
    return plans.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=on or days_ago(2)
    )

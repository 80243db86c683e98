"""The number of database queries per list page does not grow with the number of cases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from everychild.accounts.models import Role
from everychild.casework.models import Decision, Stage
from everychild.casework.tests.conftest import days_ago
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def open_cases(n: int, area, caseworker, start: int = 0):
    """n open cases in a mix of stages, each with advice, and some with exceptions and
    consultations, so every prefetch has rows."""
    for i in range(start, start + n):
        received = days_ago(10 + (i * 37) % 150)  # some at risk or late among the first five
        stage = [Stage.AWAITING_DECISION, Stage.ASSESSING, Stage.DRAFT_PLAN][i % 3]
        fields = {}
        if stage != Stage.AWAITING_DECISION:
            fields = {"decision": Decision.ASSESS, "decision_on": received + dt.timedelta(days=5)}
        if stage == Stage.DRAFT_PLAN:
            fields["draft_plan_served_on"] = min(received + dt.timedelta(days=60), days_ago(1))
        case = factories.AssessmentRequestFactory(
            child=factories.ChildFactory(area=area),
            received_on=received,
            stage=stage,
            caseworker=caseworker if i % 4 else None,
            **fields,
        )
        if stage != Stage.AWAITING_DECISION:
            factories.AdviceRequestFactory(
                assessment_request=case, received_by_body_on=received + dt.timedelta(days=6)
            )
        if i % 5 == 0:
            factories.CaseExceptionFactory(assessment_request=case)
        if stage == Stage.DRAFT_PLAN and i % 2:
            factories.ConsultationFactory(assessment_request=case)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("caseworker", "/cases/"),
        ("team_manager", "/cases/?show=all"),
        ("team_manager", "/cases/team/"),
        ("team_manager", "/cases/team/breach-risk/?show=all"),
        ("caseworker", "/api/v1/assessments/"),
    ],
)
def test_list_pages_make_the_same_number_of_queries_for_5_and_50_cases(
    client, area, caseworker, team_manager, who, url, django_assert_max_num_queries
):
    user = {"caseworker": caseworker, "team_manager": team_manager}[who]
    # Enough organisations that the team's staff list is not the only thing that varies.
    factories.make_user(Role.CASEWORKER, caseworker.memberships.get().organisation)
    open_cases(5, area, caseworker)
    client.force_login(user)
    client.get(url)  # warm the session and the area's closures
    at_five = queries_for(client, url)
    open_cases(45, area, caseworker, start=5)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200

"""The records behind a figure (the EP wait records among them) make the same number of
database queries for 5 records as for 50 (issue 21: list pages do not grow a query per row)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework.models import AdviceKind, Decision
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def cases(n: int, area, ep, start: int = 0) -> None:
    """Cases with plans (some late) and EP advice (some waiting past 6 weeks, some given)."""
    today = timezone.localdate()
    for i in range(start, start + n):
        received = today - timedelta(days=200 + i % 30)
        case = factories.AssessmentRequestFactory(
            child=factories.ChildFactory(area=area),
            received_on=received,
            decision=Decision.ASSESS,
            decision_on=received + timedelta(days=30),
            final_plan_issued_on=received + timedelta(days=120 if i % 3 else 170),
        )
        factories.EHCPlanFactory(
            child=case.child, assessment_request=case, issued_on=case.final_plan_issued_on
        )
        factories.AdviceRequestFactory(
            assessment_request=case,
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            organisation=ep,
            received_by_body_on=today - timedelta(days=40 + i % 40),
            provided_on=today - timedelta(days=i % 9) if i % 2 else None,
        )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("epmanager", "/performance/measures/ep_advice_wait/records/"),
        ("epmanager", "/performance/measures/ep_advice_backlog/records/"),
        ("manager", "/performance/measures/plans_within_20_weeks/records/"),
        ("manager", "/performance/measures/ep_advice_wait/records/?part=all"),
        ("manager", "/performance/measures/decisions_within_6_weeks/records/?part=not_met"),
    ],
)
def test_the_records_behind_a_figure_make_the_same_number_of_queries_for_5_and_50(
    client, area, who, url, django_assert_max_num_queries
):
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    people = {
        "epmanager": factories.make_user(Role.EP_MANAGER, ep),
        "manager": factories.make_user(Role.TEAM_MANAGER, la),
    }
    cases(5, area, ep)
    client.force_login(people[who])
    client.get(url)  # warm the session
    at_five = queries_for(client, url)
    cases(45, area, ep, start=5)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200

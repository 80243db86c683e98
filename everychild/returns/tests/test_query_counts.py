"""The SEN2 failures page (a checks run's result, each child listed looked up and audited)
makes the same number of database queries for 5 failing children as for 50 (issue 21)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from everychild.casework.models import Decision, Stage
from everychild.testing import factories

pytestmark = pytest.mark.django_db
D = date.fromisoformat
URL = "/returns/sen2/"


@pytest.fixture(autouse=True)
def _late_in_2026():
    with time_machine.travel("2026-11-27 10:00", tick=False):
        yield


def failing(n: int, area, caseworker) -> None:
    """Children whose review is overdue (SEN2-802), half with a case and its caseworker, and
    one in three also too old for a plan (SEN2-105)."""
    for i in range(n):
        born = D("1999-06-01") if i % 3 == 0 else D("2012-03-01")
        child = factories.ChildFactory(area=area, date_of_birth=born)
        case = None
        if i % 2:
            case = factories.AssessmentRequestFactory(
                child=child, caseworker=caseworker, received_on=D("2019-09-02"),
                decision=Decision.ASSESS, decision_on=D("2019-10-07"),
                draft_plan_served_on=D("2019-12-02"), final_plan_issued_on=D("2020-01-06"),
                stage=Stage.PLAN_ISSUED,
            )  # fmt: skip
        factories.EHCPlanFactory(child=child, assessment_request=case, issued_on=D("2020-01-06"))


def checked_page(client, capture) -> tuple[str, int]:
    with capture(execute=True):
        response = client.post(URL, {"year": "2027"})
    assert response.status_code == 302
    url = response["Location"]
    client.get(url)  # warm
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    return page.content.decode(), len(captured.captured_queries)


def test_the_failures_page_makes_the_same_number_of_queries_for_5_and_50_children(
    client, area, caseworker, team_manager, django_capture_on_commit_callbacks
):
    client.force_login(team_manager)
    failing(5, area, caseworker)
    text, at_five = checked_page(client, django_capture_on_commit_callbacks)
    assert "SEN2-802" in text
    failing(45, area, caseworker)
    text, at_fifty = checked_page(client, django_capture_on_commit_callbacks)
    assert "SEN2-802" in text
    assert at_fifty <= at_five, (at_five, at_fifty)

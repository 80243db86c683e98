"""The EP service's list pages (the advice queue and the waiting list) make the same number of
database queries for 5 requests for advice as for 50 (issue 21: list pages do not grow a query
per row)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everychild.advice import services
from everychild.casework.models import Decision, Stage
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def advice_requests(n: int, setup, *, allocated: bool) -> None:
    today = timezone.localdate()
    for i in range(n):
        case = factories.AssessmentRequestFactory(
            child=factories.ChildFactory(area=setup["area"]),
            received_on=today - dt.timedelta(weeks=8, days=i % 7),
            decision=Decision.ASSESS,
            decision_on=today - dt.timedelta(weeks=5),
            stage=Stage.ASSESSING,
            caseworker=setup["caseworker"],
        )
        advice = factories.AdviceRequestFactory(
            assessment_request=case,
            kind="ep",
            organisation=setup["advice"]["ep"].organisation,  # the EP service
            received_by_body_on=today - dt.timedelta(weeks=4, days=i % 5),
        )
        if allocated and i % 2:  # half given to a psychologist, half still waiting
            services.allocate(actor=setup["epmanager"], advice=advice, professional=setup["ep"])


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/advice/", "/advice/waiting-list/"])
def test_advice_lists_make_the_same_number_of_queries_for_5_and_50_requests(
    client, area_setup, url, django_assert_max_num_queries
):
    advice_requests(5, area_setup, allocated=True)
    client.force_login(area_setup["epmanager"])
    client.get(url)  # warm the session
    at_five = queries_for(client, url)
    advice_requests(45, area_setup, allocated=True)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/advice/?sort=received",
        "/advice/?show=all&sort=child",
        "/advice/?page=2",
        "/advice/?q=EHC&page=3",
    ],
)
def test_every_page_and_order_of_the_queue_makes_the_same_queries_however_long_it_grows(
    client, area_setup, url, monkeypatch, django_assert_max_num_queries
):
    """The queue is a page at a time (decision 0261): with 10 rows a page, 5 requests are one
    page and 50 are five, and each page costs the same queries (its order is worked out
    set-wise, and the cases' clocks read with the queue's query as a subquery)."""
    from everychild.advice import selectors

    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 10)
    advice_requests(5, area_setup, allocated=True)
    client.force_login(area_setup["epmanager"])
    client.get(url)  # warm the session
    at_five = queries_for(client, url)
    advice_requests(45, area_setup, allocated=True)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200
    assert "govuk-pagination" in response.content.decode()

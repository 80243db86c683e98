"""The children list makes the same number of database queries for 5 children as for 50 (each
with a setting, a case and a plan), as casework's lists do (issue 21)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from everychild.testing import factories

pytestmark = pytest.mark.django_db


def children(n: int, area, caseworker) -> None:
    school = factories.SchoolFactory(area=area)
    for i in range(n):
        child = factories.ChildFactory(area=area, current_setting=school)
        factories.AssessmentRequestFactory(child=child, caseworker=caseworker)
        if i % 2:
            factories.FamilyLinkFactory(child=child)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/children/", "/children/?q=a"])
def test_the_children_list_makes_the_same_number_of_queries_for_5_and_50_children(
    client, area, caseworker, url, django_assert_max_num_queries
):
    children(5, area, caseworker)
    client.force_login(caseworker)
    client.get(url)  # warm the session
    at_five = queries_for(client, url)
    children(45, area, caseworker)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200

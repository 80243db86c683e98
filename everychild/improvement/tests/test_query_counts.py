"""The improvement plan's pages (the plan with every action, the overdue actions, the progress
report) make the same number of database queries for 5 actions as for 50 (issue 21)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.improvement import services
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def actions(n: int, priorities, owners, start: int = 0) -> None:
    """Actions spread over the priorities and owning organisations, some overdue."""
    today = timezone.localdate()
    for i in range(start, start + n):
        manager, organisation, owner = owners[i % len(owners)]
        services.create_action(
            actor=manager,
            priority=priorities[i % len(priorities)],
            title=f"Action {i}",
            owner_organisation=organisation,
            owner=owner,
            starts_on=today - timedelta(days=100),
            due_on=today + timedelta(days=-5 if i % 3 == 0 else 30 + i),
        )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/improvement/", "/improvement/overdue/", "/improvement/report/"])
def test_the_improvement_pages_make_the_same_number_of_queries_for_5_and_50_actions(
    client, area, url, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    manager = factories.make_user(Role.TEAM_MANAGER, la)
    epmanager = factories.make_user(Role.EP_MANAGER, ep)
    priorities = [
        services.create_priority(actor=manager, area=area, number=n, title=f"Priority {n}")
        for n in (1, 2, 3)
    ]
    owners = [(manager, la, manager), (manager, ep, epmanager)]
    actions(5, priorities, owners)
    client.force_login(manager)
    client.get(url)  # warm the session
    at_five = queries_for(client, url)
    actions(45, priorities, owners, start=5)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200

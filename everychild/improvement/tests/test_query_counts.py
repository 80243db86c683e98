"""The improvement plan's pages (the plan with every action, the overdue actions, the progress
report) make the same number of database queries for 5 actions as for 50 (issue 21)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.improvement import services
from everychild.improvement.models import ActionStatus
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def actions(n: int, priorities, owners, start: int = 0) -> None:
    """Actions spread over the priorities and owning organisations, some overdue, and some
    completed although their criterion was not met (with the explanation that needs)."""
    today = timezone.localdate()
    for i in range(start, start + n):
        manager, organisation, owner = owners[i % len(owners)]
        action = services.create_action(
            actor=manager,
            priority=priorities[i % len(priorities)],
            title=f"Action {i}",
            owner_organisation=organisation,
            owner=owner,
            starts_on=today - timedelta(days=100),
            due_on=today + timedelta(days=-5 if i % 3 == 0 else 30 + i),
        )
        if i % 4 == 1:
            services.add_success_criterion(
                actor=owner,
                action=action,
                description="None open over 30 weeks",
                measure_id="open_past_30_weeks",
                target=0,
                target_by=today,
            )
            services.update_action(
                actor=owner,
                action=action,
                version=action.version,
                note="Done.",
                status=ActionStatus.COMPLETED,
                today=today,
                explanation="Another action carries the last case.",
            )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", ["/improvement/", "/improvement/overdue/", "/improvement/report/?meeting={today}"]
)
def test_the_improvement_pages_make_the_same_number_of_queries_for_5_and_50_actions(
    client, area, url, settings, tmp_path, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    url = url.format(today=timezone.localdate().isoformat())
    la = factories.LocalAuthorityFactory(area=area)
    # A case open over 30 weeks: the completed actions' criterion is not met.
    factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area),
        received_on=timezone.localdate() - timedelta(weeks=40),
    )
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
    if url != "/improvement/overdue/":
        # Every completed action read "Completed, criteria not met" from the same queries.
        assert response.content.decode().count("Completed, criteria not met") == 13

"""One area's long lists cost the same whether or not other areas share the database (issue
21): they read each plan's child by its key (children.selectors.of_the_child), never by a join
of the children's table, which lets PostgreSQL hash every child of every area."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everychild.finance import selectors as finance_selectors
from everychild.plans import selectors, services
from everychild.plans.models import EHCPlan
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _children_joined(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if 'JOIN "children_child"' in q["sql"]]


@pytest.fixture
def two_areas():
    today = timezone.localdate()
    area, other = factories.AreaFactory(), factories.OtherAreaFactory()
    ours = [
        # Under 5 and over 5: the child's birthday decides whether a review is due sooner.
        factories.EHCPlanFactory(
            child=factories.ChildFactory(area=area, date_of_birth=today - dt.timedelta(days=d)),
            issued_on=today - dt.timedelta(days=300),
        )
        for d in (800, 3000)
    ]
    factories.EHCPlanFactory(
        child=factories.ChildFactory(area=other), issued_on=today - dt.timedelta(days=300)
    )
    return area, ours


def test_review_backlog_reads_its_own_children_by_key(two_areas):
    area, ours = two_areas
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        rows = selectors.review_due_rows(EHCPlan.objects.filter(area=area), on=today, until=None)
    assert {(r.plan_id, r.due) for r in rows} == {
        (plan.pk, services.next_review_due(plan)) for plan in ours
    }
    assert _children_joined(captured) == []


def test_phase_transfers_read_their_own_children_by_key(two_areas):
    area, _ours = two_areas
    manager = factories.make_user("team_manager", area=area)
    with CaptureQueriesContext(connection) as captured:
        selectors.phase_transfers(manager)
    # Only the few plans shown are read in full (with their child); the ordering query over
    # every active plan is the one that must not join.
    ordering = [
        q for q in captured.captured_queries if "child_id" in q["sql"] and "LIMIT" not in q["sql"]
    ]
    assert ordering
    assert all('JOIN "children_child"' not in q["sql"] for q in ordering)


def test_forecast_history_reads_its_own_children_by_key(two_areas):
    area, ours = two_areas
    with CaptureQueriesContext(connection) as captured:
        history = finance_selectors.forecast_history(area)
    assert len(history.plans.issued) == len(ours)
    assert _children_joined(captured) == []

"""/api/v1/plans/ and /api/v1/reviews/ under the access policy."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.plans import services
from everychild.plans.tests.conftest import days_ago
from everychild.testing import factories


@pytest.fixture
def api(caseworker):
    client = APIClient()
    client.force_authenticate(caseworker)
    return client


@pytest.fixture
def plan(area, school):
    return factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=days_ago(400)
    )


def test_plans_with_versions_and_sections(api, plan):
    listed = api.get("/api/v1/plans/").json()
    [row] = listed["results"]
    assert row["id"] == plan.pk and row["versions"][0]["status"] == "final"
    assert row["next_review_due"] == services.next_review_due(plan).isoformat()
    version = api.get(f"/api/v1/plans/{plan.pk}/versions/1/").json()
    keys = [s["key"] for s in version["sections"]]
    assert keys == ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    assert version["pdf"] == f"/api/v1/plans/{plan.pk}/versions/1/pdf"
    sections = api.get(f"/api/v1/plans/{plan.pk}/versions/1/sections/").json()
    assert sections["sections"][5]["content"]["provision"]
    assert AuditEntry.objects.filter(child_id=plan.child_id, action="view").exists()


def test_the_pdf(api, plan):
    response = api.get(f"/api/v1/plans/{plan.pk}/versions/1/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(child_id=plan.child_id, action="download").exists()


def test_reviews_with_engine_dates(api, plan, school):
    senco = factories.make_user(Role.SENCO, school)
    services.record_review_meeting(
        actor=senco,
        plan=plan,
        meeting_on=days_ago(3),
        invitations_sent_on=None,
        advice_circulated_on=None,
        attendees="Parent",
        views_summary="Fine",
        progress_summary="Fine",
        recommendation="maintain",
    )
    [review] = api.get("/api/v1/reviews/").json()["results"]
    assert review["dates"]["decision_by"] == (days_ago(3) + dt.timedelta(weeks=4)).isoformat()
    as_senco = APIClient()
    as_senco.force_authenticate(senco)
    assert len(as_senco.get("/api/v1/reviews/").json()["results"]) == 1
    assert as_senco.get("/api/v1/plans/").status_code == 403


def test_another_areas_plan_is_not_found(plan, other_area):
    stranger = factories.make_user(
        Role.CASEWORKER, factories.LocalAuthorityFactory(area=other_area)
    )
    client = APIClient()
    client.force_authenticate(stranger)
    assert client.get("/api/v1/plans/").json()["results"] == []
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    assert client.get(f"/api/v1/plans/{plan.pk}/versions/1/pdf").status_code == 404
    assert APIClient().get("/api/v1/plans/").status_code == 401

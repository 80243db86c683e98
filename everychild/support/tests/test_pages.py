"""A SENCO's pages: the list with overdue reviews first, starting a plan, the thread and the
cycles through the forms, empty forms sent back with an error summary, and the public list of
ordinarily available provision."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from everychild.support import services
from everychild.support.models import ProvisionOffer, SupportPlan
from everychild.testing import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def _date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_a_senco_starts_a_plan_and_builds_it_through_the_pages(client, senco, pupil):
    client.force_login(senco)
    page = client.get(reverse("support:start"))
    assert pupil.full_name in page.content.decode()
    response = client.post(
        reverse("support:start"),
        {
            "child": str(pupil.pk),
            "started_on": _date(days_ago(10)),
            "primary_need": "SEMH",
            "child_views": "I want to sit near the door.",
        },
    )
    plan = SupportPlan.objects.get()
    assert response.status_code == 302 and response.url == reverse("support:plan", args=[plan.pk])

    client.post(reverse("support:add", args=[plan.pk, "needs"]), {"version": 1, "text": "Anxiety"})
    client.post(
        reverse("support:add", args=[plan.pk, "outcomes"]),
        {"version": 2, "text": "Attends every lesson", "needs": ["b1"]},
    )
    offer = ProvisionOffer.objects.create(
        area=plan.area,
        broad_area="semh",
        title="Quiet space",
        description="A named quiet space at break and lunch",
        added_by=senco,
        added_on=timezone.localdate(),
    )
    client.post(
        reverse("support:add", args=[plan.pk, "provision"]),
        {"version": 3, "offer_id": str(offer.pk), "how_often": "Daily", "outcomes": ["e1"]},
    )
    plan.refresh_from_db()
    assert plan.thread["provision"][0]["what"].startswith("Quiet space")
    assert plan.thread["provision"][0]["offer_id"] == offer.pk

    client.post(
        reverse("support:cycle-new", args=[plan.pk]),
        {
            "version": plan.version,
            "started_on": _date(days_ago(9)),
            "assessed": "Boxall profile",
            "planned": "Quiet space and a key adult",
        },
    )
    body = client.get(reverse("support:plan", args=[plan.pk])).content.decode()
    assert "Cycle 1" in body and "Record the review" in body


def test_an_empty_form_comes_back_with_an_error_summary_and_saves_nothing(
    client, senco, support_plan
):
    client.force_login(senco)
    response = client.post(
        reverse("support:cycle-new", args=[support_plan.pk]), {"version": support_plan.version}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Enter what was assessed" in body
    assert not support_plan.cycles.exists()


def test_the_list_puts_overdue_reviews_first(client, senco, school, area):
    late, fine = (factories.ChildFactory(area=area, current_setting=school) for _ in range(2))
    for child, started in ((fine, 10), (late, 200)):
        plan = services.start_plan(
            actor=senco, child=child, started_on=days_ago(started), primary_need="MLD"
        )
        services.start_cycle(
            actor=senco,
            plan=plan,
            version=plan.version,
            started_on=days_ago(started),
            assessed="A",
            planned="B",
        )
    client.force_login(senco)
    body = client.get(reverse("support:list")).content.decode()
    assert "1 review overdue" in body
    assert body.index(late.full_name) < body.index(fine.full_name)


def test_the_ordinarily_available_provision_is_public(client, team_manager, area):
    services.add_offer(
        actor=team_manager,
        area=area,
        broad_area="cognition",
        title="Pre-teaching of vocabulary",
        description="Key words taught before each topic.",
    )
    body = client.get(reverse("provision:area", args=[area.pk])).content.decode()
    assert "Pre-teaching of vocabulary" in body
    assert "Cognition and learning" in body
    assert "Add to the list" not in body
    client.force_login(team_manager)
    assert (
        "Add to the list" in client.get(reverse("provision:area", args=[area.pk])).content.decode()
    )

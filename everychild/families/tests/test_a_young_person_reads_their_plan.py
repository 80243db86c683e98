"""A young person acting for themselves (CFA 2014 s.80) reads their own draft plan, their plan
and its review pages: every page speaks to them ("your plan"), none to a parent, and the plan
itself records their views in section A, not their parents'."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from everychild.plans import services as plans
from everychild.plans.models import EHCPlan

pytestmark = pytest.mark.django_db


def read(client, name, *args) -> str:
    """The words of a page as its reader sees them (tags gone, entities read)."""
    response = client.get(reverse(f"families:{name}", args=args))
    assert response.status_code == 200, name
    body = response.content.decode().split('id="main-content"', 1)[1]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", body)))


def spoken_to_the_young_person(page: str) -> None:
    lowered = page.lower()
    for words in ("your child", "your son", "your daughter", "parent or carer", "{child"):
        assert words not in lowered


def test_a_young_person_reads_their_draft_plan_plan_and_review_as_their_own(
    client, cases, area, caseworker, young_person
):
    young = young_person()
    case = cases.with_draft(young, draft_days_ago=3)
    client.force_login(young.own_account)

    where = read(client, "case", case.pk)
    draft = read(client, "draft", case.pk)
    views = read(client, "views", case.pk)
    for page in (where, draft, views):
        spoken_to_the_young_person(page)
    assert "Section A: The views, interests and aspirations of the young person" in draft
    assert "of the child and their parents" not in draft
    assert "Section A is about you: your views" in views

    started = timezone.now()
    with time_machine.travel(started + dt.timedelta(days=20), tick=False):
        case = plans.issue_final_plan(
            actor=caseworker, case=case, version=None, issued_on=timezone.localdate()
        )
        client.force_login(young.own_account)
        assert "Your EHC plan is final." in read(client, "case", case.pk)
        closed = read(client, "draft", case.pk)
        assert "If you disagree with the final plan" in closed
        spoken_to_the_young_person(closed)

    plan = EHCPlan.objects.get(assessment_request=case)
    with time_machine.travel(started + dt.timedelta(days=300), tick=False):
        today = timezone.localdate()
        review = plans.send_review_invitations(
            actor=caseworker,
            plan=plan,
            meeting_on=today + dt.timedelta(days=20),
            sent_on=today,
            invitees=[("young_person", young.full_name), ("school", "The SENCO")],
        )
        client.force_login(young.own_account)
        final = read(client, "plan", case.pk)
        version = read(client, "plan-version", case.pk, 1)
        review_views = read(client, "review-views", case.pk, review.pk)
        review_page = read(client, "review-views-edit", case.pk, review.pk, "child")
        for page in (final, version, review_views, review_page):
            spoken_to_the_young_person(page)
        assert "We invited you on" in final and "Tell us your views before the review" in final
        assert "Section A: The views, interests and aspirations of the young person" in version
        assert "All about me" in review_views and "(parent or carer)" not in review_views
        assert "How best to help me" in review_page

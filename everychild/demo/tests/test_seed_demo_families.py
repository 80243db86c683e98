"""The family portal's demonstration: meaningful cases for the demo family sign-ins."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from everychild.accounts.models import User
from everychild.casework.models import Stage
from everychild.casework.policy import family_cases
from everychild.families import selectors

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def test_the_demo_families_see_a_draft_open_for_comments_a_request_and_an_issued_plan(time_machine):
    time_machine.move_to(TODAY)
    call_command("seed_demo_area", seed=3, password="pw-123456", scale=0.03, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo_families", stdout=out)
    assert "open for comments" in out.getvalue()
    parent = User.objects.get(email="parent@demo.test")
    draft = family_cases(parent).get(stage=Stage.DRAFT_PLAN, draft_plan_served_on=TODAY)
    where = selectors.where_are_we(draft, today=TODAY)
    assert where.window["is_open"] and where.window["days_left"] >= 14
    assert selectors.family_views_for(draft)
    young = User.objects.get(email="youngperson@demo.test")
    assert family_cases(young).exists()
    # A young person acting for themselves reads their own issued plan, and when to appeal.
    adult = User.objects.get(email="youngadult@demo.test")
    assert "youngadult@demo.test: their plan" in out.getvalue()
    [plan_case] = family_cases(adult).filter(stage=Stage.PLAN_ISSUED)
    assert 16 <= (TODAY - plan_case.child.date_of_birth).days // 365 <= 25
    client = Client()
    client.force_login(adult)
    plan_page = client.get(f"/family/cases/{plan_case.pk}/plan/").content.decode()
    assert '<h1 class="govuk-heading-l">The final plan</h1>' in plan_page
    assert "If you disagree with the final plan" in plan_page
    assert "your child" not in plan_page.lower()
    client.force_login(parent)
    page = client.get(f"/family/cases/{draft.pk}/draft-plan/").content.decode()
    assert "left to comment" in page
    # A second run adds nothing.
    again = io.StringIO()
    call_command("seed_demo_families", stdout=again)
    assert "already loaded" in again.getvalue()

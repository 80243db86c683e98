"""Issue 22, a family's request starts from their child's support plan (decision 0242): in real
Chromium with axe, a parent signed in to the family portal opens their child's support plan,
asks for an assessment starting from it, finds each answer filled in from what they can see of
the plan, changes the reason, agrees, checks and sends; the council receives the request."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest
from everychild.support import services
from everychild.support.models import SupportCycle, SupportPlan
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = factories.TEST_PASSWORD


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_a_parent_asks_for_an_assessment_starting_from_the_support_plan(page):
    area = factories.AreaFactory()
    factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Harbour Primary School")
    senco = factories.make_user(Role.SENCO, school)
    child = factories.ChildFactory(area=area, current_setting=school, first_name="Maya")
    parent = factories.FamilyLinkFactory(child=child).user
    plan = services.start_plan(
        actor=senco,
        child=child,
        started_on=days_ago(200),
        primary_need="SLCN",
        family_views="She gets lost when instructions are long.",
    )
    for kind, fields in (
        ("needs", {"text": "Finds it hard to follow spoken instructions"}),
        ("outcomes", {"text": "Follows a two-step instruction", "needs": ["b1"]}),
        ("provision", {"what": "Small-group language sessions", "outcomes": ["e1"]}),
    ):
        plan = services.add_to_thread(
            actor=senco, plan=plan, version=plan.version, kind=kind, fields=fields
        )
    cycle = services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(100),
        assessed="Language screen",
        planned="Sessions three times a week",
    )
    services.review_cycle(
        actor=senco,
        cycle=SupportCycle.objects.get(pk=cycle.pk),
        version=SupportPlan.objects.get(pk=plan.pk).version,
        reviewed_on=days_ago(10),
        done="Sessions held",
        results={"e1": "not_yet"},
        summary="Little change this term",
    )

    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/support/{plan.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Ask for an assessment, starting from this plan").click()

    # Each answer is filled in from the plan, and can be changed.
    assert page.get_by_label("First name").input_value() == "Maya"
    expect(page.get_by_text("We have filled in this answer from the support plan")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_label("Your e-mail address").input_value() == parent.email
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_label("Which school").input_value() == "Harbour Primary School"
    page.get_by_role("button", name="Continue").click()
    reason = page.get_by_label("Why are you asking for an assessment?")
    written = reason.input_value()
    assert "Finds it hard to follow spoken instructions" in written
    assert "Follows a two-step instruction: Not yet" in written
    assert_accessible(page)
    reason.fill(written + "\n\nThe help has not been enough: she is falling further behind.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Request sent").first).to_be_visible()

    case = AssessmentRequest.objects.get()
    assert case.reason.endswith("she is falling further behind.")
    assert "Small-group language sessions" in case.reason

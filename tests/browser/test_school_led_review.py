"""Issue 19: a school-led annual review end to end, in real Chromium with axe (WCAG 2.2 AA) on
every page visited. The SENCO invites the family and professionals (a meeting under 2 weeks
away is refused with the reason, reg 20(3)); the family add their own and their child's views in
the portal; the educational psychology service, invited in the service, is told by e-mail and
its psychologist gives the advice on their own advice queue (decision 0260); the therapist's
advice, from outside the service, is recorded by the SENCO; the advice is circulated; the SENCO
records the meeting and sends the report; the caseworker decides; the family read the decision
in their own words. The school's review page is also checked at 320 CSS pixels."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.families import notices
from everychild.notifications.models import Message
from everychild.plans.models import AnnualReview, EHCPlan
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in
from tests.browser.test_family_plan_and_voice import checked, days_ago, issued

PASSWORD = factories.TEST_PASSWORD


def typed(day) -> str:
    return f"{day.day}/{day.month}/{day.year}"


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFICATIONS_BACKEND = "everychild.notifications.backends.LocalBackend"
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Oakfield Primary", urn="135791")
    return {
        "area": area,
        "la": la,
        "school": school,
        "caseworker": factories.make_user(
            Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
        ),
        "panel": factories.make_user(Role.DECISION_MAKER, la, email="panel@la.test"),
        "senco": factories.make_user(
            Role.SENCO, school, email="senco@school.test", full_name="Sita Senco"
        ),
        "ep": factories.make_user(
            Role.EDUCATIONAL_PSYCHOLOGIST,
            factories.EPServiceFactory(area=area, name="BCP Educational Psychology"),
            email="eve@ep.test",
            full_name="Eve Psych",
        ),
    }


def test_a_school_led_annual_review_end_to_end(page, people):
    child = factories.ChildFactory(
        area=people["area"],
        first_name="Ada",
        last_name="Lovelace",
        current_setting=people["school"],
    )
    case = issued(people, child, issued_days_ago=330, received=450, served=350)
    plan = EHCPlan.objects.get(assessment_request=case)
    parent = factories.FamilyLinkFactory(child=child).user

    # --- The SENCO invites the family and the professionals --------------------------------
    sign_in(page, "senco@school.test", PASSWORD)
    page.goto("/plans/reviews/my-pupils/")
    assert_accessible(page)
    page.get_by_role("link", name="Open the review for Ada Lovelace").click()
    assert_accessible(page)
    page.get_by_role("link", name="Invite people to the review meeting").click()
    assert_accessible(page)
    # The invitations went out 14 days ago (recorded as they were sent); a meeting 10 days
    # after them is refused.
    fill_date(page, "Date the invitations are sent", typed(days_ago(14)))
    fill_date(page, "Date of the review meeting", typed(days_ago(4)))
    page.get_by_label("The child's parent or carer").fill("Mrs Lovelace")
    page.get_by_label("Health care professional").fill("Speech therapy, Poole Hospital")
    page.get_by_label("Educational psychology service, in EveryChild").select_option(
        label="BCP Educational Psychology"
    )
    page.get_by_role("button", name="Record the invitations").click()
    # Ten days' notice: refused with the reason, nothing kept.
    page.locator(".govuk-error-summary").wait_for()
    assert "reg 20(3)" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    assert not AnnualReview.objects.filter(plan=plan).exists()
    fill_date(page, "Date of the review meeting", typed(days_ago(0)))
    page.get_by_role("button", name="Record the invitations").click()
    page.get_by_text("The invitations have been recorded").wait_for()
    assert_accessible(page)
    review = AnnualReview.objects.get(plan=plan)
    assert review.invitations_sent_by == people["senco"]
    timeline = page.get_by_role("table", name="The review, step by step")
    assert "Sita Senco" in timeline.inner_text()
    page.context.clear_cookies()

    # --- The family are told, and add their views in the portal -----------------------------
    notices.sweep()
    told = Message.objects.get(template="family_review_invitation", to=parent.email)
    assert "Ada" not in told.body and "Lovelace" not in told.body
    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/plan/")
    checked(page)
    expect(page.get_by_text(re.compile("The review meeting is on"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Tell us your views before the review")).click()
    assert_accessible(page)
    page.get_by_role("link", name="All about me").click()
    assert_accessible(page)
    page.get_by_label("About me").fill("I like singing and the new class.")
    page.get_by_role("button", name="Send to my caseworker").click()
    assert_accessible(page)
    page.context.clear_cookies()

    # --- The EP service is told, and its psychologist gives the advice on their queue ---------
    invited = Message.objects.get(template="review_advice_invitation", to="eve@ep.test")
    assert "Ada" not in invited.body and "Lovelace" not in invited.body
    assert case.reference in invited.subject
    sign_in(page, "eve@ep.test", PASSWORD)
    page.goto("/advice/")
    assert_accessible(page)
    invitations = page.get_by_role("table", name=re.compile("1 review"))
    assert "Advice asked" in invitations.inner_text()
    invitations.get_by_role("link", name=re.compile("Ada Lovelace")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the advice").click()
    page.locator(".govuk-error-summary").wait_for()
    assert_accessible(page)
    page.get_by_label("Your advice and information for the review").fill(
        "Reading age up a year; keep the small-group literacy."
    )
    page.get_by_role("button", name="Send the advice").click()
    page.get_by_text("Your advice has been sent to the review").wait_for()
    assert_accessible(page)
    assert "Advice given" in page.get_by_role("table", name=re.compile("1 review")).inner_text()
    given = review.invitees.get(role="ep")
    assert given.advice_recorded_by == people["ep"]
    page.context.clear_cookies()

    # --- The SENCO records the therapist's advice, circulates it, holds the meeting ----------
    sign_in(page, "senco@school.test", PASSWORD)
    page.goto(f"/plans/{plan.pk}/annual-review/")
    checked(page)
    assert "I like singing and the new class." in page.content()
    assert "Reading age up a year; keep the small-group literacy." in page.content()
    page.get_by_role("link", name="Record advice from Speech therapy, Poole Hospital").click()
    assert_accessible(page)
    page.get_by_label("Speech therapy, Poole Hospital").check()
    fill_date(page, "Date the advice was received", typed(days_ago(14)))
    page.get_by_label("The advice and information given").fill("Keep weekly speech therapy.")
    page.get_by_role("button", name="Record the advice").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record the advice as sent to everyone invited").click()
    assert_accessible(page)
    fill_date(page, "Date the advice was sent to everyone invited", typed(days_ago(14)))
    page.get_by_role("button", name="Record as sent").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record the review meeting").click()
    assert_accessible(page)
    fill_date(page, "Date of the review meeting", typed(days_ago(0)))
    page.get_by_label("Who attended").fill("Mrs Lovelace, SENCO, speech therapist")
    page.get_by_label("The child's and family's views").fill("Ada wants to join the choir.")
    page.get_by_label("Progress towards the outcomes").fill("Speech outcome met.")
    page.get_by_label("Keep the plan as it is").check()
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    assert page.url.endswith(f"/plans/{plan.pk}/annual-review/")
    page.get_by_role("link", name="Send the review report to the council").click()
    assert_accessible(page)
    fill_date(page, "Date the report was sent to the council", typed(timezone.localdate()))
    page.get_by_role("button", name="Send the report").click()
    assert_accessible(page)
    steps = page.get_by_role("table", name="The review, step by step").inner_text()
    assert "Send the review report to the council" in steps and "Done" in steps
    page.goto("/plans/reviews/my-pupils/")
    assert_accessible(page)
    waiting = page.get_by_role("table", name="Reviews held, waiting for the council's decision")
    assert "Ada Lovelace" in waiting.inner_text()
    page.context.clear_cookies()

    # --- The caseworker decides ------------------------------------------------------------
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/plans/{plan.pk}/")
    assert_accessible(page)
    assert "The current review, step by step" in page.content()
    page.goto(f"/plans/reviews/{review.pk}/")
    assert_accessible(page)
    page.get_by_label("Keep the plan as it is").check()
    fill_date(page, "Date of the decision", typed(timezone.localdate()))
    page.get_by_label("Reasons for the decision").fill("Good progress; the plan still fits.")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    review.refresh_from_db()
    assert review.decision == "maintain" and review.decided_by == people["caseworker"]
    page.context.clear_cookies()

    # --- The family are told, and read the decision in their own words ----------------------
    notices.sweep()
    assert Message.objects.filter(template="family_review_decision", to=parent.email).exists()
    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/plan/")
    checked(page)
    card = page.locator("#reviews ~ .govuk-summary-card").first
    # The family's own reading of the review, never the staff table.
    read = card.inner_text()
    assert "we decided to keep your child's plan as it is" in read
    assert "Your child's plan stays as it is until the next review." in read
    assert "We have your views: you sent 1 page on" in read
    assert card.get_by_role("table").count() == 0 and "SEND Regulations" not in read

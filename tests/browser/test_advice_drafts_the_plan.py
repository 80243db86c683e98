"""Journey (issue 19): the EP's structured advice arrives; the caseworker accepts two
suggestions, edits one and rejects one; the draft shows where each line came from, and the
plan document's section K lists the advice with the items taken from it. axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.advice import services as advice_services
from everychild.casework.models import Decision, Stage
from everychild.plans.models import PlanVersion
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in

PASSWORD = factories.TEST_PASSWORD


@pytest.fixture
def advice_received(transactional_db):
    today = timezone.localdate()
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    ep_service = factories.EPServiceFactory(area=area, name="Testfield EP Service")
    factories.make_user(Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker")
    psychologist = factories.make_user(
        Role.EDUCATIONAL_PSYCHOLOGIST, ep_service, email="psych@ep.test", full_name="Eli Psych"
    )
    case = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area, first_name="Ada"),
        received_on=today - dt.timedelta(weeks=8),
        decision=Decision.ASSESS,
        decision_on=today - dt.timedelta(weeks=5),
        stage=Stage.ASSESSING,
    )
    advice = factories.AdviceRequestFactory(
        assessment_request=case,
        organisation=ep_service,
        received_by_body_on=today - dt.timedelta(weeks=4),
    )
    advice_services.allocate(actor=psychologist, advice=advice, professional=psychologist)
    advice.refresh_from_db()
    for kind, section, text, extra in (
        ("need", "B", "Difficulty decoding words", {}),
        ("outcome", "E", "Reads a book at age level by July", {}),
        (
            "provision",
            "F",
            "Phonics in a small group",
            {"amount": "30 minutes", "frequency": "3 times a week", "delivered_by": "A TA"},
        ),
        (
            "provision",
            "F",
            "Access to a quiet room",
            {"amount": "As needed", "frequency": "When upset", "delivered_by": "Staff"},
        ),
    ):
        advice_services.add_item(
            actor=psychologist, advice=advice, kind=kind, section=section, text=text, **extra
        )
    advice_services.submit(actor=psychologist, advice=advice, summary="Ada's reading")
    return case


def assert_no_sideways_scroll_at_320(page) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size(size)


def test_caseworker_drafts_the_plan_from_the_advice(page, advice_received, settings):
    settings.REQUIRE_STAFF_2FA = False
    case = advice_received
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/plans/case/{case.pk}/")
    page.get_by_role("button", name="Start the draft plan").click()
    assert "4 suggestions" in page.locator("#suggestions").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Review the suggestions from the advice").click()
    assert_accessible(page)
    assert_no_sideways_scroll_at_320(page)

    page.get_by_role("button", name="Accept need 1 into section B").click()
    assert "added to the draft" in page.locator("main").inner_text()
    page.get_by_role("button", name="Accept desired outcome 2 into section E").click()
    page.get_by_role("link", name="Edit, then accept recommended provision 3").click()
    assert_accessible(page)
    assert_no_sideways_scroll_at_320(page)
    page.get_by_label("What the provision is").fill("")
    page.get_by_role("button", name="Add to the draft").click()
    assert "Enter what the provision is" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("What the provision is").fill("Phonics in a group of 4")
    page.get_by_label("For how long").fill("Until the next review")
    page.get_by_role("button", name="Add to the draft").click()
    page.get_by_role("button", name="Reject recommended provision 4").click()
    assert "will not be offered again" in page.locator("main").inner_text()
    assert "no suggestions waiting" in page.locator("#no-suggestions").inner_text()
    assert "Access to a quiet room" in page.locator("#rejected-suggestions").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Back to the draft plan").first.click()
    main = page.locator("main").inner_text()
    assert "From: Psychological advice, Testfield EP Service" in main
    assert "paragraph 3 (edited when accepted)" in main
    assert "Access to a quiet room" not in page.locator(".everychild-plan-preview").inner_text()
    section_k = page.locator(".everychild-plan-preview li", has_text="Taken into this plan")
    assert "B1 (Difficulty decoding words)" in section_k.inner_text()
    assert "F1 (Phonics in a group of 4)" in section_k.inner_text()
    assert_accessible(page)
    assert_no_sideways_scroll_at_320(page)
    draft = PlanVersion.objects.get(document__assessment_request=case)
    assert [line["source"]["edited"] for line in draft.sections["F"]["provision"]] == [True]

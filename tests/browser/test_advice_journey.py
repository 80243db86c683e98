"""Journey: the EP manager allocates a request, the psychologist writes and submits the
advice, and the caseworker reads it; an axe check (WCAG 2.2 AA) on every page visited."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework.models import Decision, Stage
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in

PASSWORD = factories.TEST_PASSWORD


@pytest.fixture
def people(transactional_db):
    today = timezone.localdate()
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area, name="Testfield EP Service")
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    factories.make_user(Role.EP_MANAGER, ep, email="manager@ep.test", full_name="Erin Manager")
    factories.make_user(
        Role.EDUCATIONAL_PSYCHOLOGIST, ep, email="psych@ep.test", full_name="Eli Psych"
    )
    case = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area, first_name="Ada"),
        received_on=today - dt.timedelta(weeks=8),
        decision=Decision.ASSESS,
        decision_on=today - dt.timedelta(weeks=5),
        stage=Stage.ASSESSING,
        caseworker=caseworker,
    )
    advice = factories.AdviceRequestFactory(
        assessment_request=case, organisation=ep, received_by_body_on=today - dt.timedelta(weeks=4)
    )
    return {"case": case, "advice": advice}


def _page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_manager_allocates_psychologist_submits_caseworker_reads(
    chromium_browser, live_server, people, settings
):
    settings.REQUIRE_STAFF_2FA = False
    case = people["case"]

    manager = _page(chromium_browser, live_server)
    sign_in(manager, "manager@ep.test", PASSWORD)
    manager.get_by_role("link", name="Advice queue").first.click()
    assert_accessible(manager)
    manager.get_by_role("link", name=f"{case.child.full_name}, {case.reference}").click()
    assert_accessible(manager)
    manager.get_by_role("link", name="Allocate the request").click()
    assert_accessible(manager)
    manager.get_by_label("Who will give the advice").select_option(label="Eli Psych")
    manager.get_by_role("button", name="Allocate").click()
    assert "Eli Psych" in manager.locator("dl").inner_text()
    manager.get_by_role("link", name="Waiting list").first.click()
    assert_accessible(manager)
    manager.get_by_role("link", name="Forecast of the backlog").click()
    assert "forecast needs 52 weeks" in manager.locator("main").inner_text()
    assert_accessible(manager)

    psych = _page(chromium_browser, live_server)
    sign_in(psych, "psych@ep.test", PASSWORD)
    psych.goto("/advice/?show=mine")
    assert_accessible(psych)
    psych.get_by_role("link", name=f"{case.child.full_name}, {case.reference}").click()
    psych.get_by_role("link", name="Add a need, outcome or provision").click()
    assert_accessible(psych)
    psych.get_by_label("Recommended provision").check()
    psych.get_by_label("Plan section").select_option("F")
    psych.get_by_label("Advice", exact=True).fill("Daily phonics in a small group")
    psych.get_by_role("button", name="Add").click()
    # Not quantified: refused with the reason, what was typed kept, and still accessible.
    assert "specific and quantified" in psych.locator(".govuk-error-summary").inner_text()
    assert (
        psych.get_by_label("Advice", exact=True).input_value() == "Daily phonics in a small group"
    )
    assert_accessible(psych)
    psych.get_by_label("How much (provision only)").fill("20 minutes")
    psych.get_by_label("How often (provision only)").fill("Every school day")
    psych.get_by_label("Who delivers it (provision only)").fill("A trained teaching assistant")
    psych.get_by_role("button", name="Add").click()
    psych.get_by_role("link", name="Add a need, outcome or provision").click()
    psych.get_by_label("Need", exact=True).check()
    psych.get_by_label("Plan section").select_option("B")
    psych.get_by_label("Advice", exact=True).fill("Difficulty decoding words")
    psych.get_by_role("button", name="Add").click()
    assert_accessible(psych)
    psych.get_by_role("link", name="Submit the advice").click()
    assert_accessible(psych)
    psych.get_by_role("button", name="Submit the advice").click()
    assert "Advice submitted" in psych.locator("main").inner_text()
    # Read back own advice, without the child's other details.
    assert f"Your advice for {case.reference}" in psych.get_by_role("heading", level=1).inner_text()
    assert "born" not in psych.locator("main").inner_text()
    assert_accessible(psych)

    worker = _page(chromium_browser, live_server)
    sign_in(worker, "casey@la.test", PASSWORD)
    worker.goto(f"/cases/{case.pk}/")
    assert "Received" in worker.get_by_role("table", name="Advice asked for").inner_text()
    worker.goto(f"/advice/received/{people['advice'].pk}/")
    text = worker.locator("main").inner_text()
    assert "Daily phonics in a small group" in text and "20 minutes" in text
    assert_accessible(worker)

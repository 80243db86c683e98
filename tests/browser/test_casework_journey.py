"""Journey: from a request for assessment to the final plan, in real Chromium, as the
caseworker and the decision-maker, with an axe check (WCAG 2.2 AA) on every page visited.
One step is taken with JavaScript off. Dates lie in the past, so the family's 15 days on the
draft have run by the time the final plan is issued (the clock judges by today)."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest, CaseEvent, Stage
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD


def ddmmyyyy(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).strftime("%d/%m/%Y")


@pytest.fixture
def people(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    panel = factories.make_user(
        Role.DECISION_MAKER, la, email="panel@la.test", full_name="Priya Panel"
    )
    child = factories.ChildFactory(area=area, first_name="Ada")
    ep = factories.EPServiceFactory(area=area, name="Testfield Educational Psychology")
    return {"caseworker": caseworker, "panel": panel, "child": child, "ep": ep}


def new_page(chromium_browser, live_server, *, javascript=True):
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def check_without_javascript(page, checker) -> None:
    """axe needs JavaScript, so a page seen with it off is checked by opening the same
    address (the same HTML: nothing here depends on scripts) in a page with it on."""
    checker.goto(page.url)
    assert_accessible(checker)


def visit(page, link_name: str) -> None:
    page.get_by_role("link", name=link_name).first.click()
    assert_accessible(page)


def test_from_request_to_final_plan(chromium_browser, live_server, people, settings):
    settings.REQUIRE_STAFF_2FA = False
    child = people["child"]

    # --- The caseworker records the request (received 100 days ago) -------------------
    worker = new_page(chromium_browser, live_server)
    sign_in(worker, "casey@la.test", PASSWORD)
    worker.get_by_role("link", name="My caseload").click()
    assert worker.get_by_role("heading", level=1).inner_text() == "My caseload"
    assert_accessible(worker)
    worker.goto(f"/children/{child.pk}/")
    assert_accessible(worker)
    visit(worker, f"Record a request for an EHC needs assessment for {child.full_name}")
    worker.get_by_label("School or setting").check()
    worker.get_by_label("Name and role of the person who made it").fill("Jo Smith, SENCO")
    fill_date(worker, "Date the request was received", "30/02/2025")
    worker.get_by_label("Why the request was made").fill("Little progress despite support.")
    worker.get_by_role("button", name="Record the request").click()
    # A bad date: the error summary, the typed values kept, and still accessible.
    summary = worker.locator(".govuk-error-summary")
    assert "Date the request was received must be a real date" in summary.inner_text()
    assert worker.get_by_label("Name and role of the person who made it").input_value() == (
        "Jo Smith, SENCO"
    )
    assert_accessible(worker)
    fill_date(worker, "Date the request was received", ddmmyyyy(100))
    worker.get_by_role("button", name="Record the request").click()
    assert_accessible(worker)
    case = AssessmentRequest.objects.get(child=child)
    assert worker.url.endswith(f"/cases/{case.pk}/")
    assert (
        "Request for an assessment received"
        in worker.locator("#chronology ~ .everychild-table-scroll table").inner_text()
    )

    # --- The panel decides to assess -------------------------------------------------
    panel = new_page(chromium_browser, live_server)
    sign_in(panel, "panel@la.test", PASSWORD)
    panel.get_by_role("link", name="My caseload").click()
    assert_accessible(panel)  # the decision-maker's list: cases waiting for a decision
    visit(panel, child.full_name)
    visit(panel, "Record the decision")
    panel.get_by_label("Assess: carry out an EHC needs assessment").check()
    fill_date(panel, "Date of the decision", ddmmyyyy(90))
    panel.get_by_label("Reasons for the decision").fill("Evidence of significant needs.")
    panel.get_by_role("button", name="Record the decision").click()
    assert_accessible(panel)
    assert (
        "The decision has been recorded."
        in panel.locator(".govuk-notification-banner").inner_text()
    )

    # --- The caseworker asks for advice ---------------------------------------------------
    worker.reload()
    assert_accessible(worker)
    visit(worker, "Ask for advice")
    worker.get_by_label("Who to ask for psychological advice").select_option(
        label="Testfield Educational Psychology"
    )
    fill_date(worker, "Date the request for psychological advice was sent", ddmmyyyy(88))
    worker.get_by_role("button", name="Record the requests for advice").click()
    assert_accessible(worker)
    assert (
        "Testfield Educational Psychology"
        in worker.locator("#advice ~ .everychild-table-scroll table").first.inner_text()
    )

    # --- One step without JavaScript: the advice arrives --------------------------------
    plain = new_page(chromium_browser, live_server, javascript=False)
    sign_in(plain, "casey@la.test", PASSWORD)
    plain.goto(f"/cases/{case.pk}/")
    check_without_javascript(plain, worker)
    plain.get_by_role("link", name="Record as received").click()
    check_without_javascript(plain, worker)
    fill_date(plain, "Date the advice was received", ddmmyyyy(60))
    plain.get_by_role("button", name="Save").click()
    assert plain.url.endswith(f"/cases/{case.pk}/")
    assert (
        "Received" in plain.locator("#advice ~ .everychild-table-scroll table").first.inner_text()
    )
    check_without_javascript(plain, worker)

    # --- The draft (35 days ago) and, its 15 days run, the final plan --------------------
    visit(worker, "Record the draft plan as served")
    fill_date(worker, "Date the draft plan was served", ddmmyyyy(35))
    worker.get_by_role("button", name="Save").click()
    assert_accessible(worker)
    # The plan's sections are written in the plans pages (their own journey): here, directly.
    factories.plan_draft_for(AssessmentRequest.objects.get(pk=case.pk))
    # The panel decides to issue a plan (decision 0192): only then may the plan be issued.
    panel.goto(f"/cases/{case.pk}/")
    visit(panel, "Record the decision whether to issue")
    panel.get_by_label("Issue an EHC plan").check()
    fill_date(panel, "Date of the decision", ddmmyyyy(34))
    panel.get_by_label("Reasons for the decision").fill("Provision must be made by a plan.")
    panel.get_by_role("button", name="Record the decision").click()
    assert_accessible(panel)
    worker.reload()
    visit(worker, "Record the final plan as issued")
    fill_date(worker, "Date the final plan was issued", ddmmyyyy(1))
    worker.get_by_role("button", name="Save").click()
    assert_accessible(worker)
    assert worker.url.endswith(f"/cases/{case.pk}/")
    legal_dates = worker.locator("#legal-dates ~ .everychild-table-scroll table").first.inner_text()
    assert "The family had their 15 days" in legal_dates
    assert "Issue the final EHC plan" in legal_dates

    case.refresh_from_db()
    assert case.stage == Stage.PLAN_ISSUED
    assert list(
        CaseEvent.objects.filter(assessment_request=case).values_list("kind", flat=True)
    ) == [
        "request_received",
        "decision_to_assess",
        "advice_requested",
        "advice_provided",
        "draft_plan_served",
        "decision_to_issue",
        "final_plan_issued",
    ]
    for page in (worker, panel, plain):
        page.context.close()


def test_the_managers_pages(chromium_browser, live_server, people, settings):
    """The team view, allocation from it, the breach-risk list and search: axe on each."""
    from everychild.casework import services

    settings.REQUIRE_STAFF_2FA = False
    la = people["caseworker"].memberships.get().organisation
    factories.make_user(Role.TEAM_MANAGER, la, email="manager@la.test", full_name="Tess Manager")
    case = services.record_request(
        actor=people["caseworker"],
        area=la.area,
        child=people["child"],
        source="2",
        received_on=timezone.localdate() - dt.timedelta(days=36),
        requested_by="SENCO",
        reason="Needs",
    )
    manager = new_page(chromium_browser, live_server)
    sign_in(manager, "manager@la.test", PASSWORD)
    manager.get_by_role("link", name="Team").click()
    assert_accessible(manager)
    manager.get_by_label(f"Caseworker for {people['child'].full_name}").select_option(
        label="Casey Worker"
    )
    manager.get_by_role("button", name=f"Allocate {case.reference}").click()
    assert "allocated to Casey Worker" in manager.locator(".govuk-notification-banner").inner_text()
    assert_accessible(manager)
    visit(manager, "See the breach-risk list")
    assert people["child"].full_name in manager.locator("table").inner_text()
    manager.get_by_role("link", name="My caseload").click()
    manager.locator(".govuk-details__summary").click()
    assert_accessible(manager)
    manager.goto(f"/cases/search/?q={people['child'].last_name}")
    assert_accessible(manager)
    manager.context.close()

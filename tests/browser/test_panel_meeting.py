"""Journey: decisions have owners (issue 19, decision 0192). Without a decision to issue, the
caseworker's final plan is refused with a GOV.UK error summary; a panel member opens a meeting,
sees its agenda and papers, records a decision to assess and a decision to issue from it; the
caseworker then issues the final plan. A manager names who records each decision. axe on every
page; the panel's pages do not scroll sideways at 320 CSS pixels."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.areas.models import Area
from everychild.casework.models import (
    AssessmentRequest,
    GraduatedApproachStep,
    PanelMeeting,
    SchoolRequest,
    Stage,
)
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def typed(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def people(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Oakfield Primary")
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    panel = factories.make_user(
        Role.DECISION_MAKER, la, email="panel@la.test", full_name="Priya Panel"
    )
    manager = factories.make_user(
        Role.TEAM_MANAGER, la, email="manager@la.test", full_name="Tess Manager"
    )
    senco = factories.make_user(Role.SENCO, school, email="senco@school.test")
    # Waiting for the decision whether to assess: a school's request with its evidence.
    ada = factories.ChildFactory(area=area, first_name="Ada", current_setting=school)
    waiting = factories.AssessmentRequestFactory(child=ada, received_on=days_ago(20))
    made = SchoolRequest.objects.create(
        assessment_request=waiting,
        setting=school,
        made_by=senco,
        consent_given_by="Ada's mother",
        consent_given_on=days_ago(25),
        family_views="We want help with reading.",
    )
    GraduatedApproachStep.objects.create(
        school_request=made,
        kind=GraduatedApproachStep.Kind.DO,
        started_on=days_ago(200),
        what="Daily phonics in a small group",
        outcome="Little progress",
    )
    # Assessed, the advice in, the draft served 30 days ago: waiting for the decision to issue.
    ben = factories.ChildFactory(area=area, first_name="Ben", current_setting=school)
    assessed = factories.AssessmentRequestFactory(
        child=ben,
        received_on=days_ago(120),
        decision="assess",
        decision_on=days_ago(100),
        stage=Stage.DRAFT_PLAN,
        draft_plan_served_on=days_ago(30),
    )
    factories.AdviceRequestFactory(
        assessment_request=assessed, received_by_body_on=days_ago(95), provided_on=days_ago(60)
    )
    factories.plan_draft_for(assessed)
    return {
        "area": area,
        "caseworker": caseworker,
        "panel": panel,
        "manager": manager,
        "waiting": waiting,
        "assessed": assessed,
    }


def new_page(chromium_browser, live_server, *, width=None):
    options = {"base_url": live_server.url}
    if width:
        options["viewport"] = {"width": width, "height": 800}
    page = chromium_browser.new_context(**options).new_page()
    page.set_default_timeout(10_000)
    return page


def assert_no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways at {width[1]}px: {width}"


def test_the_panel_decides_from_its_agenda_and_the_caseworker_then_issues(
    chromium_browser, live_server, people, settings
):
    settings.REQUIRE_STAFF_2FA = False
    waiting, assessed = people["waiting"], people["assessed"]

    # --- Without a decision to issue, the final plan is refused ------------------------
    worker = new_page(chromium_browser, live_server)
    sign_in(worker, "casey@la.test", PASSWORD)
    worker.goto(f"/cases/{assessed.pk}/")
    assert_accessible(worker)
    assert worker.get_by_role("link", name="Record the final plan as issued").count() == 0
    assert (
        "No decision to issue a plan is recorded yet" in worker.locator("#next ~ ul").inner_text()
    )
    worker.goto(f"/cases/{assessed.pk}/final-plan/")
    fill_date(worker, "Date the final plan was issued", typed(days_ago(1)))
    worker.get_by_role("button", name="Save").click()
    summary = worker.locator(".govuk-error-summary")
    assert "No decision to issue a plan has been recorded" in summary.inner_text()
    assert_accessible(worker)
    assessed.refresh_from_db()
    assert assessed.stage == Stage.DRAFT_PLAN and assessed.final_plan_issued_on is None

    # --- The panel opens a meeting (on a phone: no sideways scroll) ---------------------
    panel = new_page(chromium_browser, live_server, width=320)
    sign_in(panel, "panel@la.test", PASSWORD)
    panel.goto("/cases/panel/")
    assert_accessible(panel)
    assert_no_sideways_scroll(panel)
    panel.get_by_role("button", name="Open the meeting").click()  # nothing typed
    assert "Enter the members present" in panel.locator(".govuk-error-summary").inner_text()
    assert_accessible(panel)
    assert not PanelMeeting.objects.exists()
    fill_date(panel, "Date of the meeting", typed(days_ago(0)))
    panel.get_by_label("Members present").fill("Priya Panel (chair), Sam Lee (EP)")
    panel.get_by_role("button", name="Open the meeting").click()
    meeting = PanelMeeting.objects.get()
    assert panel.url.endswith(f"/cases/panel/{meeting.pk}/")
    assert_accessible(panel)
    assert_no_sideways_scroll(panel)

    # The agenda: each case with its legal date and its papers.
    to_assess = panel.locator("#agenda-assess ~ .govuk-summary-card").first
    assert "Ada" in to_assess.inner_text() and waiting.reference in to_assess.inner_text()
    assert "1 record from the school" in to_assess.inner_text()
    due = waiting.received_on + dt.timedelta(weeks=6)
    assert f"Decision due by {due.day} {due:%B %Y}" in to_assess.inner_text()
    to_issue = panel.locator(".govuk-summary-card", has_text="Ben").first
    assert "Psychological advice from" in to_issue.inner_text()
    assert "Final plan due by" in to_issue.inner_text()
    to_assess.get_by_role("link", name="Read the evidence").click()
    assert_accessible(panel)
    assert "Daily phonics in a small group" in panel.content()
    panel.go_back()

    # --- The decision to assess, from the agenda ---------------------------------------
    panel.get_by_role("link", name="Record the decision whether to assess").first.click()
    assert_accessible(panel)
    panel.get_by_label("Assess: carry out an EHC needs assessment").check()
    fill_date(panel, "Date of the decision", typed(days_ago(0)))
    panel.get_by_label("Reasons for the decision").fill("The school's evidence shows needs.")
    panel.get_by_role("button", name="Record the decision").click()
    assert panel.url.endswith(f"/cases/panel/{meeting.pk}/")
    assert_accessible(panel)

    # --- The decision to issue, from the agenda -----------------------------------------
    panel.get_by_role("link", name="Record the decision whether to issue a plan").first.click()
    assert_accessible(panel)
    panel.get_by_role("button", name="Record the decision").click()  # nothing chosen
    assert "Choose the decision" in panel.locator(".govuk-error-summary").inner_text()
    assert_accessible(panel)
    panel.get_by_label("Issue an EHC plan").check()
    fill_date(panel, "Date of the decision", typed(days_ago(0)))
    panel.get_by_label("Reasons for the decision").fill("Provision must be made by a plan.")
    panel.get_by_role("button", name="Record the decision").click()
    assert panel.url.endswith(f"/cases/panel/{meeting.pk}/")
    assert_accessible(panel)
    assert_no_sideways_scroll(panel)
    decided = panel.locator("#decided ~ ul").first.inner_text()
    assert "Decided to assess" in decided and "Decided to issue an EHC plan" in decided
    assert "No case is waiting for this decision" in panel.content()

    # --- The caseworker issues the final plan -------------------------------------------
    worker.goto(f"/cases/{assessed.pk}/")
    assert_accessible(worker)
    worker.get_by_role("link", name="Record the final plan as issued").click()
    fill_date(worker, "Date the final plan was issued", typed(days_ago(0)))
    worker.get_by_role("button", name="Save").click()
    assert worker.url.endswith(f"/cases/{assessed.pk}/")
    assert_accessible(worker)
    assessed = AssessmentRequest.objects.get(pk=assessed.pk)
    assert assessed.stage == Stage.PLAN_ISSUED
    assert assessed.decision_to_issue_meeting == meeting
    chronology = worker.locator("#chronology ~ .everychild-table-scroll table").inner_text()
    assert "Decided to issue an EHC plan" in chronology
    for page in (worker, panel):
        page.context.close()


def test_a_manager_names_who_records_each_decision(chromium_browser, live_server, people, settings):
    settings.REQUIRE_STAFF_2FA = False
    manager = new_page(chromium_browser, live_server, width=320)
    sign_in(manager, "manager@la.test", PASSWORD)
    manager.goto("/cases/team/")
    manager.get_by_role("link", name="Who records each decision").click()
    assert_accessible(manager)
    assert_no_sideways_scroll(manager)
    group = manager.get_by_role("group", name="Who decides whether to issue a plan?")
    group.get_by_label("A SEND team manager").check()
    manager.get_by_role("button", name="Save").click()
    assert_accessible(manager)
    assert Area.objects.get(pk=people["area"].pk).issue_decided_by == "manager"
    manager.context.close()

"""Journey: a caseworker works from My tasks (issue 19), and a team manager sees the tasks by
caseworker, in real Chromium with an axe check (WCAG 2.2 AA) on every page visited."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework.models import Decision, Stage
from everychild.families import services as family_services
from everychild.families.models import FamilyAnswer
from everychild.testing import factories
from tests.browser import test_reflow_320 as reflow
from tests.browser.conftest import assert_accessible, sign_in

PASSWORD = factories.TEST_PASSWORD


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def team(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    manager = factories.make_user(
        Role.TEAM_MANAGER, la, email="tess@la.test", full_name="Tess Manager"
    )
    # A request whose decision whether to assess is late (6 weeks, reg 4(1)).
    late = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area, first_name="Ada", last_name="Lovelace"),
        caseworker=caseworker,
        received_on=days_ago(50),
    )
    # A draft plan with the family, who commented and asked for a meeting.
    drafted = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area, first_name="Ben", last_name="Okafor"),
        caseworker=caseworker,
        received_on=days_ago(100),
        stage=Stage.DRAFT_PLAN,
        decision=Decision.ASSESS,
        decision_on=days_ago(70),
        draft_plan_served_on=days_ago(3),
    )
    parent = factories.FamilyLinkFactory(child=drafted.child).user
    family_services.save_draft_response(
        actor=parent,
        case=drafted,
        comments={"F": "Weekly speech and language therapy, please."},
        wants_meeting=True,
        send=True,
    )
    return {"caseworker": caseworker, "manager": manager, "late": late, "drafted": drafted}


def test_a_caseworker_works_from_my_tasks(page, team):
    sign_in(page, "casey@la.test", PASSWORD)
    # The home page leads with the tasks: the late decision first.
    main = page.locator("main")
    assert main.locator("h2").first.inner_text() == "My tasks"
    assert "1 overdue" in main.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="See all").click()
    assert page.locator("h1").inner_text() == "My tasks"
    assert_accessible(page)
    rows = page.locator("table.everychild-tasks tbody tr")
    assert "Ada Lovelace" in rows.first.inner_text()
    assert "Overdue" in rows.first.inner_text()
    # Follow a task to the page where it is done: the family's comments, on the case page.
    page.get_by_role("link", name="Answer the family's comments").click()
    assert page.url.endswith(f"/cases/{team['drafted'].pk}/#family")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Mark as answered\W+comments")).click()
    assert "Marked as answered" in page.locator("main").inner_text()
    assert FamilyAnswer.objects.filter(subject="comments").count() == 1
    page.goto("/cases/tasks/")
    text = page.locator("main").inner_text()
    assert "Answer the family's comments" not in text
    assert "Arrange the meeting the family asked for" in text
    # Filtered by kind.
    page.get_by_label("Kind of task").select_option("meeting")
    page.get_by_role("button", name="Show tasks").click()
    assert_accessible(page)
    assert "Ada Lovelace" not in page.locator("main").inner_text()


def test_a_manager_sees_the_tasks_by_caseworker(page, team):
    sign_in(page, "tess@la.test", PASSWORD)
    assert "Your team's tasks" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="My tasks", exact=True).first.click()
    page.get_by_label("Whose tasks").select_option("all")
    page.get_by_role("button", name="Show tasks").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Casey Worker")).to_be_visible()
    page.get_by_label("Whose tasks").select_option(str(team["caseworker"].pk))
    page.get_by_role("button", name="Show tasks").click()
    assert "Ada Lovelace" in page.locator("main").inner_text()
    assert_accessible(page)


def test_my_tasks_and_the_home_page_reflow_at_320px(page, team):
    """WCAG 2.2 SC 1.4.10: the task table scrolls in its own region, never the page."""
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "tess@la.test", PASSWORD)
    for address in ("/", "/cases/tasks/", "/cases/tasks/?caseworker=all"):
        page.goto(address)
        measured = page.evaluate(reflow.MEASURE)
        assert measured["scrollWidth"] <= 320, (address, measured)
        assert_accessible(page)

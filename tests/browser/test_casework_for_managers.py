"""Issue 20, caseworkers and managers, in real Chromium with axe (WCAG 2.2 AA) on every page:
the case page's sub-navigation with the family first; advice asked of several bodies in one
form; several cases reallocated at once; the breach-risk list's two figures; the draft plan
workspace's next legal step."""

import re

import pytest
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AdviceRequest, AssessmentRequest
from everychild.casework.tests.conftest import Builder, days_ago
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD


def check(page) -> None:
    """axe, and reflow at 320 CSS px (WCAG 1.4.10): the page does not scroll sideways."""
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    wide = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    page.set_viewport_size(size)
    assert not wide, f"{page.url} scrolls sideways at 320 px"


@pytest.fixture
def team(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    people = {
        "area": area,
        "caseworker": factories.make_user(
            Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
        ),
        "leaver": factories.make_user(
            Role.CASEWORKER, la, email="lee@la.test", full_name="Lee Leaving"
        ),
        "manager": factories.make_user(
            Role.TEAM_MANAGER, la, email="tess@la.test", full_name="Tess Manager"
        ),
        "panel": factories.make_user(Role.DECISION_MAKER, la, full_name="Priya Panel"),
        "school": factories.SchoolFactory(area=area, name="Oakfield Primary"),
        "ep": factories.EPServiceFactory(area=area, name="Testfield EP Service"),
        "health": factories.NHSProviderFactory(area=area, name="Testfield Community Health"),
    }
    people["build"] = Builder(people["caseworker"], people["panel"], area)
    return people


def test_the_case_page_leads_with_the_family_and_asks_several_bodies_at_once(page, team):
    build = team["build"]
    child = factories.ChildFactory(area=team["area"], first_name="Ada")
    child.current_setting = team["school"]
    child.save()
    case = build.decide(build.request(child, received_days_ago=40), days_after=10)
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    check(page)
    nav = page.get_by_role("navigation", name="Parts of the case")
    # The family's part comes before the upload form.
    family = page.locator("#family").bounding_box()["y"]
    upload = page.get_by_label("File").bounding_box()["y"]
    assert family < upload
    nav.get_by_role("link", name="Documents").click()
    assert page.url.endswith("#documents")
    expect(page.locator("#documents")).to_be_visible()

    page.get_by_role("link", name="Ask for advice").first.click()
    check(page)
    # Each list holds only its kind of body; the setting's row starts at the child's school.
    health = page.get_by_label("Who to ask for health advice")
    assert "Testfield EP Service" not in health.inner_text()
    education = page.get_by_label("Who to ask for educational advice (the setting)")
    assert education.locator("option:checked").inner_text() == "Oakfield Primary"
    page.get_by_label("Who to ask for psychological advice").select_option(
        label="Testfield EP Service"
    )
    fill_date(
        page,
        "Date the request for psychological advice was sent",
        days_ago(20).strftime("%d/%m/%Y"),
    )
    health.select_option(label="Testfield Community Health")
    fill_date(page, "Date the request for health advice was sent", "31/02/2025")
    fill_date(
        page,
        "Date the request for educational advice (the setting) was sent",
        days_ago(20).strftime("%d/%m/%Y"),
    )
    page.get_by_role("button", name="Record the requests for advice").click()
    check(page)
    assert "There is a problem" in page.content()
    page.locator(".govuk-error-summary a", has_text="health advice").click()
    assert page.evaluate("document.activeElement.id") == "id_health-received_by_body_on-day"
    assert not AdviceRequest.objects.exists()  # nothing sent while a row is wrong
    fill_date(
        page, "Date the request for health advice was sent", days_ago(19).strftime("%d/%m/%Y")
    )
    page.get_by_role("button", name="Record the requests for advice").click()
    check(page)
    assert "The requests for advice have been recorded." in page.content()
    table = page.locator("#advice ~ .everychild-table-scroll table").first.inner_text()
    for name in ("Testfield EP Service", "Testfield Community Health", "Oakfield Primary"):
        assert name in table


def test_a_manager_reallocates_a_leavers_cases(page, team):
    build = team["build"]
    cases = []
    for _ in range(3):
        case = build.request(received_days_ago=20)
        cases.append(
            services.allocate(
                actor=team["manager"], case=case, version=None, caseworker=team["leaver"]
            )
        )
    sign_in(page, "tess@la.test", PASSWORD)
    page.goto("/cases/team/")
    page.get_by_role("link", name="Reallocate Lee Leaving's cases").click()
    check(page)
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    check(page)
    page.locator(".govuk-error-summary a", has_text="Choose at least one case").click()
    assert page.evaluate("document.activeElement.type") == "checkbox"
    for case in cases[:2]:
        page.get_by_label(case.reference).check()
    page.get_by_label("New caseworker").select_option(label="Casey Worker")
    page.get_by_role("button", name="Continue").click()
    check(page)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Reallocate 2 cases to Casey Worker?"
    )
    page.get_by_role("button", name="Reallocate 2 cases").click()
    check(page)
    assert "2 cases reallocated to Casey Worker." in page.content()
    held = AssessmentRequest.objects.filter(caseworker=team["caseworker"])
    assert set(held.values_list("pk", flat=True)) == {cases[0].pk, cases[1].pk}


def test_the_breach_risk_list_shows_two_figures(page, team):
    build = team["build"]
    late = build.decide(build.request(received_days_ago=130), days_after=20)
    sign_in(page, "tess@la.test", PASSWORD)
    page.goto("/cases/team/breach-risk/")
    check(page)
    row = page.locator("tr", has_text=late.reference).inner_text()
    assert "past it" in row and "to the limit" in row
    assert not re.search(r"(^|\s)[-−]\d", row)  # no negative figure anywhere


def test_the_draft_workspace_leads_with_serving_the_draft(page, team):
    build = team["build"]
    case = build.decide(build.request(received_days_ago=60), days_after=10)
    advice = build.advice(case, team["ep"])
    build.provided(advice, days_after=10)
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/plans/case/{case.pk}/")
    page.get_by_role("button", name="Start the draft plan").click()
    check(page)
    assert page.get_by_role("link", name="Issue the final plan").count() == 0
    assert "Lists 1 piece of advice" in page.content()
    page.get_by_role("link", name="Serve the draft plan on the family").click()
    check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Record the draft plan as served"

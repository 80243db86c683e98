"""Issue 22's journey so far: a SENCO starts a support plan with the family's and the child's
views, builds its golden thread (provision picked from the area's ordinarily available
provision), runs two assess-plan-do-review cycles; the child moves school (recorded by the
council on the child's record, which lists her settings) and the new SENCO sees the history
while the old one no longer does, until the area lets past settings read back their time,
read only; the public reads the area's list. Axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.support.models import SupportPlan, SupportSettings
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_date(page, label: str, day: dt.date) -> None:
    """A date question: the GOV.UK date input (day, month, year) or one box."""
    group = page.get_by_role("group", name=label)
    if group.count():
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    else:
        page.get_by_label(label, exact=True).fill(f"{day.day}/{day.month}/{day.year}")


def test_a_senco_runs_the_graduated_approach_and_the_plan_moves_with_the_child(page, live_server):
    today = timezone.localdate()
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Harbour Primary School")
    new_school = factories.SchoolFactory(area=area, name="Cliff Top Academy")
    factories.make_user(Role.SENCO, school, email="senco@school.test")
    factories.make_user(Role.SENCO, new_school, email="senco@academy.test")
    manager = factories.make_user(Role.TEAM_MANAGER, la, email="manager@la.test")
    factories.make_user(Role.CASEWORKER, la, email="caseworker@la.test")
    ep_service = factories.EPServiceFactory(area=area, name="Harbour EP Service")
    factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, ep_service, email="ep@eps.test")
    child = factories.ChildFactory(area=area, current_setting=school, first_name="Maya")

    # The council's manager publishes the area's ordinarily available provision.
    sign_in(page, "manager@la.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ordinarily-available/{area.pk}/")
    page.get_by_role("link", name="Add to the list").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Social, emotional and mental health").check()
    page.get_by_label("Title").fill("A named trusted adult")
    page.get_by_label("What every school and setting provides").fill(
        "A named adult each pupil can go to, and a quiet space at break."
    )
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("term").filter(has_text="A named trusted adult")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    assert manager.pk

    # The SENCO starts the plan with the child's and the family's views.
    sign_in(page, "senco@school.test", TEST_PASSWORD)
    page.get_by_role("link", name="SEN support").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Start a support plan").click()
    page.get_by_role("button", name="Start the plan").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pupil").select_option(str(child.pk))
    _fill_date(page, "Date SEN support started", today - dt.timedelta(days=120))
    page.get_by_label("Primary area of need").select_option("SEMH")
    page.get_by_label("What the child says").fill("I like being near the door.")
    page.get_by_label("What the family says").fill("Mornings are hard for her.")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", name="Support plan")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a need").click()
    page.get_by_label("Describe the need").fill("Anxious when routines change")
    page.get_by_role("button", name="Add the need").click()
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("Outcome", exact=True).fill("Starts each lesson settled")
    page.get_by_label("Anxious when routines change").check()
    page.get_by_label("How it will be measured").fill("Key adult's log, 4 days of 5")
    page.get_by_role("button", name="Add the outcome").click()
    page.get_by_role("link", name="Add provision").click()
    assert_accessible(page)
    page.get_by_label("From the area's ordinarily available provision").select_option(
        label="Social, emotional and mental health: A named trusted adult"
    )
    page.get_by_label("How often", exact=True).fill("10 minutes each morning")
    page.get_by_label("By whom", exact=True).fill("Key adult")
    page.get_by_label("Starts each lesson settled").check()
    page.get_by_role("button", name="Add the provision").click()
    expect(page.get_by_text("A named trusted adult:")).to_be_visible()

    # Two cycles: the first reviewed against its outcome, the second open.
    for number, started in ((1, 100), (2, 20)):
        page.get_by_role("link", name="cycle").last.click()
        _fill_date(page, "Date the cycle started", today - dt.timedelta(days=started))
        page.get_by_label("Assess: what was assessed").fill("Boxall profile")
        page.get_by_label("Plan: what was agreed").fill("Trusted adult every morning")
        page.get_by_role("button", name="Start the cycle").click()
        expect(page.get_by_text(f"Cycle {number}: from")).to_be_visible()
        if number == 1:
            page.get_by_role("link", name="Record the review").click()
            assert_accessible(page)
            _fill_date(page, "Date of the review", today - dt.timedelta(days=21))
            page.get_by_label("Do: what was done").fill("Check-ins held every day")
            page.get_by_label("Good progress").check()
            page.get_by_role("button", name="Record the review").click()
            expect(page.get_by_text("Good progress")).to_be_visible()
    assert_accessible(page)
    plan = SupportPlan.objects.get()
    assert plan.cycles.count() == 2

    # The SENCO asks the EP service for a consultation; the EP answers from their queue.
    page.get_by_role("link", name="Ask a service for advice").click()
    page.get_by_role("button", name="Send the request for advice").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Which service").select_option(label="Harbour EP Service")
    page.get_by_label("Educational psychologist consultation").check()
    page.get_by_label("What you would like advice on").fill("Mornings are still hard. What next?")
    page.get_by_role("button", name="Send the request for advice").click()
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, "ep@eps.test", TEST_PASSWORD)
    page.get_by_role("link", name="Advice for settings").click()
    assert_accessible(page)
    page.get_by_role("link", name=child.full_name).click()
    assert_accessible(page)
    page.get_by_label("Your advice").fill("A soft start: 10 minutes in the library first.")
    page.get_by_role("button", name="Send the advice").click()
    page.context.clear_cookies()
    sign_in(page, "senco@school.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/support/{plan.pk}/")
    expect(page.get_by_text("A soft start")).to_be_visible()

    # Maya moves school: the council's caseworker records it on her record.
    page.context.clear_cookies()
    sign_in(page, "caseworker@la.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    page.get_by_role("link", name="Change details").click()
    page.get_by_label("School, college or setting now (optional)").select_option(
        label="Cliff Top Academy"
    )
    assert_accessible(page)  # with the day of the move, left empty: today
    page.get_by_role("button", name="Save").click()
    settings = page.get_by_role("table", name="Settings")
    expect(settings.get_by_role("row").filter(has_text="Harbour Primary School")).to_be_visible()
    expect(
        settings.get_by_role("row").filter(has_text="Cliff Top Academy").filter(has_text="Now")
    ).to_be_visible()
    assert_accessible(page)

    # The old school's SENCO: no longer theirs to see, nor on their list.
    page.context.clear_cookies()
    sign_in(page, "senco@school.test", TEST_PASSWORD)
    assert page.goto(f"{live_server.url}/support/{plan.pk}/").status == 404
    page.goto(f"{live_server.url}/support/")
    assert not page.get_by_role("link", name=child.full_name).count()

    # The new school's SENCO sees her history, and carries the plan on.
    page.context.clear_cookies()
    sign_in(page, "senco@academy.test", TEST_PASSWORD)
    page.get_by_role("link", name="SEN support").first.click()
    page.get_by_role("link", name=child.full_name).click()
    expect(page.get_by_text("Starts each lesson settled").first).to_be_visible()
    expect(page.get_by_text("Cycle 1: from")).to_be_visible()
    expect(page.get_by_text("A soft start")).to_be_visible()
    expect(page.get_by_role("link", name="Add a need")).to_be_visible()
    assert_accessible(page)

    # The council's manager lets past settings read back the support they gave: the old SENCO
    # then reads the plan as it was when Maya left, and cannot change it.
    page.context.clear_cookies()
    sign_in(page, "manager@la.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/ordinarily-available/{area.pk}/")
    page.get_by_role("link", name="Change the area's SEN support settings").click()
    page.get_by_label("Weeks from the start of a cycle to its review").fill("52")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Weeks from the start of a cycle to its review").fill("12")
    page.get_by_role("group", name="Can a school or setting a child has left").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text("settings have been saved")).to_be_visible()
    assert SupportSettings.objects.get(area=area).past_settings_read_history
    page.context.clear_cookies()
    sign_in(page, "senco@school.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/support/{plan.pk}/")
    expect(page.get_by_text("has left your setting")).to_be_visible()
    expect(page.get_by_text("Cycle 1: from")).to_be_visible()
    assert not page.get_by_role("link", name="Add a need").count()
    assert not page.get_by_text("Cliff Top Academy").count()
    assert_accessible(page)
    assert page.goto(f"{live_server.url}/support/{plan.pk}/add/needs/").status == 403

    # Anyone reads the area's list without signing in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ordinarily-available/")
    expect(page.get_by_role("term").filter(has_text="A named trusted adult")).to_be_visible()
    assert_accessible(page)

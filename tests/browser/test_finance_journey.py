"""Journey: a finance officer reads the forecast, makes a scenario (after a lever out of range
is refused) and compares it with the central forecast; every page passes axe, and the
journey works without JavaScript."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from everychild.core import jobs
from everychild.core.models import JobRun
from everychild.demo.finance import seed_demo_finance
from everychild.demo.seed import seed_demo_area
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = "demo-password-123"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def demo_area(transactional_db, settings):
    settings.EVERYCHILD_FORECAST_RUNS = 100  # a scenario made in the journey: fewer runs
    seed_demo_area(password=PASSWORD, scale=0.03, today=TODAY)
    seed_demo_finance(today=TODAY, runs=50)


def _journey(page, *, check):
    sign_in(page, "finance@demo.test", PASSWORD)
    page.get_by_role("link", name="High-needs finance", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "High-needs finance"
    check(page)

    page.get_by_role("navigation", name="High-needs finance").get_by_role(
        "link", name="Forecast"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Central forecast"
    assert page.locator("#backtest-mape").inner_text().startswith("Plan counts")
    assert page.locator("svg.finance-chart").count() >= 4
    check(page)

    for name in ("Placements and costs", "Budget", "Safety Valve"):
        page.get_by_role("navigation", name="High-needs finance").get_by_role(
            "link", name=name
        ).click()
        check(page)

    page.get_by_role("navigation", name="High-needs finance").get_by_role(
        "link", name="Scenarios"
    ).click()
    check(page)
    page.get_by_role("link", name="Make a scenario").click()
    check(page)
    page.get_by_label("Name").fill("Fifty more resourced places")
    lever = page.locator("fieldset", has_text="Lever 1")
    lever.get_by_label("Lever", exact=True).select_option("extra_places")
    lever.get_by_label("Value").fill("5000")
    fill_date(lever, "Starts on", "1/9/2027")
    lever.get_by_label("Placement it acts on").select_option("resourced")
    lever.get_by_label("Placement children come from").select_option("special_independent")
    page.get_by_role("button", name="Save and forecast").click()
    summary = page.locator(".govuk-error-summary")
    assert "Extra places must be between 0 and 2000 places." in summary.inner_text()
    check(page)

    lever = page.locator("fieldset", has_text="Lever 1")
    lever.get_by_label("Value").fill("50")
    page.get_by_role("button", name="Save and forecast").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fifty more resourced places"
    assert "has been saved and forecast" in page.locator(".govuk-notification-banner").inner_text()
    assert "50 more places in resourced provision" in page.locator("main").inner_text()
    check(page)

    page.get_by_role("link", name="Back to scenarios").click()
    page.get_by_label("Compare Central forecast").check()
    page.get_by_label("Compare Fifty more resourced places").check()
    page.get_by_role("button", name="Compare the chosen scenarios").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Compare scenarios"
    side_by_side = page.locator("#compare-summary").inner_text()
    assert "Central forecast" in side_by_side and "Fifty more resourced places" in side_by_side
    check(page)


def test_finance_officer_forecasts_makes_a_scenario_and_compares(page, demo_area):
    _journey(page, check=assert_accessible)


def test_the_finance_journey_works_without_javascript(page_without_js, demo_area):
    _journey(page_without_js, check=lambda page: None)


def test_a_team_manager_records_a_fee_agreed_for_a_placement(page, demo_area):
    sign_in(page, "manager@demo.test", PASSWORD)
    page.get_by_role("link", name="Placement fees").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fees agreed for placements"
    assert_accessible(page)
    page.get_by_role("link", name="Record a fee").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Save the fee").click()  # nothing entered
    expect(
        page.get_by_role("link", name="Enter annual amount agreed for this placement.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Independent or specialist fees").check()
    page.get_by_label("Annual amount agreed for this placement").fill("£91,250")
    fill_date(page, "Date the fee takes effect", "1/9/2026")
    page.get_by_role("button", name="Save the fee").click()
    expect(page.get_by_text("Fee recorded for")).to_be_visible()
    expect(page.get_by_text("£91,250").first).to_be_visible()
    assert_accessible(page)


def test_a_forecast_waiting_for_the_worker_says_so_and_passes_axe(page, demo_area, settings):
    """Issue 21: with a real worker the forecast waits in a queue; the page says so, needs no
    script, and shows the forecast once the worker has made it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    sign_in(page, "finance@demo.test", PASSWORD)
    page.goto("/finance/forecast/")
    page.get_by_role("button", name="Forecast again from today's records").click()
    assert "Waiting to start" in page.locator("main").inner_text()
    assert_accessible(page)
    jobs.run(JobRun.objects.get(kind="finance-forecast").pk)  # the worker gets to it
    page.get_by_role("link", name="Check again").click()
    assert "has been forecast" in page.locator(".govuk-notification-banner").inner_text()

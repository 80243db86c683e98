"""Issue 20, "Figures", in the browser: the board, finance, leader and administrators' home
pages lead with their figures and links and say what the role sees; the finance overview shows
monitoring's and the forecast's in-year deficits side by side with the difference explained; a
scenario that adds places says why its number of plans differs; the dashboard names the dates
of "the last 12 months". axe on every page visited."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from everychild.demo.finance import seed_demo_finance
from everychild.demo.seed import seed_demo_area
from tests.browser.conftest import assert_accessible, sign_in

PASSWORD = "demo-password-123"
TODAY = dt.date(2026, 11, 27)
DATES = re.compile(r"\d{1,2} \w+ \d{4} to \d{1,2} \w+ \d{4}")


@pytest.fixture
def demo_area(transactional_db):
    seed_demo_area(password=PASSWORD, scale=0.03, today=TODAY)
    seed_demo_finance(today=TODAY, runs=50)


def _first_section(page) -> str:
    return page.locator("main h2").first.inner_text()


def _as(page, email):
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    expect(page.get_by_role("heading", name="What your role lets you see")).to_be_visible()
    assert_accessible(page)


def test_figures_lead_the_home_pages_and_say_what_they_mean(page, demo_area):
    _as(page, "finance@demo.test")
    assert _first_section(page) == "High-needs finance"
    page.get_by_role("link", name="High-needs finance: the two deficits side by side").click()
    expect(
        page.get_by_role("heading", name=re.compile("why the in-year deficits differ"))
    ).to_be_visible()
    table = page.get_by_role("table", name=re.compile("monitoring beside the forecast"))
    assert "Difference (forecast less monitoring)" in table.inner_text()
    assert_accessible(page)

    page.goto("/finance/scenarios/")
    page.get_by_role("link", name="40 more resourced places from September 2026").click()
    section = page.get_by_role("heading", name="The number of plans beside the central forecast")
    expect(section).to_be_visible()
    assert "Extra places add no plans of their own" in page.locator("main").inner_text()
    assert_accessible(page)

    _as(page, "board@demo.test")
    assert "the last 12 months" in _first_section(page)
    assert DATES.search(page.locator("main").inner_text())
    page.get_by_role("link", name=re.compile("^Performance: every measure")).click()
    intro = page.locator("main p.govuk-body").first.inner_text()
    assert re.search(r"the last 12 months, \d{1,2} \w+ \d{4} to \d{1,2} \w+ \d{4}", intro), intro
    assert_accessible(page)

    for email, first in (
        ("leader@demo.test", "High-needs finance"),
        ("admin@demo.test", "Messages the service sends"),
        ("staffadmin@demo.test", "Staff"),
        ("dpo@demo.test", "Data protection"),
    ):
        _as(page, email)
        assert _first_section(page) == first


@pytest.fixture
def statistics(transactional_db, tmp_path):
    from everychild.accounts.models import Role
    from everychild.performance.dfe import import_release
    from everychild.performance.tests.dfe_files import write_release
    from everychild.testing import factories

    area = factories.AreaFactory(la_code="E06000058")
    forum = factories.ParentCarerForumFactory(area=area)
    board = factories.UserFactory(email="board@figures.test", full_name="Bea Ordway")
    board.set_password(PASSWORD)
    board.save()
    factories.MembershipFactory(user=board, organisation=forum, role=Role.BOARD_MEMBER)
    import_release(write_release(tmp_path / "release"))


def test_a_comparator_is_chosen_by_name_and_counts_are_indexed(page, statistics):
    sign_in(page, "board@figures.test", PASSWORD)
    page.goto("/performance/benchmarks/")
    assert_accessible(page)
    page.get_by_label("Compare another local authority").select_option(label="Southampton")
    page.get_by_role("button", name="Compare").click()
    assert "Southampton beside England" in page.get_by_role("heading", level=1).inner_text()
    expect(
        page.get_by_role("table", name=re.compile(r"New EHC plans issued: index"))
    ).to_be_visible()
    assert "no population figures" in page.locator("main").inner_text()
    assert_accessible(page)
    # The list of names fits a phone's screen (WCAG 1.4.10).
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

"""Journey: a parent, not signed in, works out the legal dates for their child's request."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, date_typed, fill_date


def test_a_family_works_out_the_legal_dates(page, transactional_db):
    page.goto("/timeline/")
    assert_accessible(page)

    fill_date(page, "When did the council receive the request", "1/9/2026")
    page.get_by_label("Yes: the council will carry out an assessment").check()
    fill_date(page, "If it has decided, on what date?", "10/10/2026")
    page.get_by_role("button", name="Work out the dates").click()

    expect(page.get_by_role("heading", name="The legal dates")).to_be_visible()
    final = page.locator(".govuk-summary-card", has_text="Issue the final EHC plan")
    assert "Tuesday 19 January 2027" in final.inner_text()
    assert_accessible(page)


def test_a_mistake_is_explained_and_what_was_typed_kept(page_without_js, transactional_db):
    page = page_without_js
    page.goto("/timeline/")
    fill_date(page, "When did the council receive the request", "1/9/2026")
    page.get_by_label("Yes: the council will carry out an assessment").check()
    fill_date(page, "If it has decided, on what date?", "1/8/2026")
    page.get_by_role("button", name="Work out the dates").click()

    summary = page.locator(".govuk-error-summary")
    assert "is before" in summary.inner_text()
    assert date_typed(page, "If it has decided, on what date?") == "1/8/2026"


def test_the_error_page_is_accessible(page, transactional_db):
    page.goto("/timeline/?request_received=1%2F9%2F2026&decision=assess&decision_on=1%2F8%2F2026")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

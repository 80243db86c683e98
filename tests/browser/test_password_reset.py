"""Journey (issue 18): a parent who has forgotten their password resets it from the sign-in
page by the e-mailed link, read from what was sent to them; every page passes axe."""

import pytest
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.notifications.models import Message
from everychild.testing import factories, inbox
from tests.browser.conftest import assert_accessible, sign_in

NEW_PASSWORD = "a new password I will remember"


@pytest.fixture
def parent(transactional_db):
    return factories.make_user(Role.PARENT, email="rosa@example.org", full_name="Rosa Lovelace")


def test_a_parent_resets_a_forgotten_password(page, parent):
    page.goto("/account/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    assert_accessible(page)

    # A mistake first: the error summary says what to fix.
    page.get_by_role("button", name="Send me a link").click()
    assert "Enter your e-mail address." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    assert_accessible(page)

    # The link is read where the parent reads it, in what was sent; the table keeps no copy.
    link = inbox.password_reset_link("rosa@example.org")
    assert link not in Message.objects.get(template="password_reset").body
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert link not in page.url  # the form's page carries no token
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill("not the same password")
    page.get_by_role("button", name="Change my password").click()
    assert "The two passwords are not the same." in (
        page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    assert_accessible(page)

    sign_in(page, "rosa@example.org", NEW_PASSWORD)
    assert "/account/sign-in/" not in page.url
    assert_accessible(page)

    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    assert_accessible(page)
    assert Message.objects.filter(template="password_changed", to="rosa@example.org").exists()

"""Journey: a caseworker signs in and reaches the home page; every page passes axe."""

import pytest
from playwright.sync_api import expect

from everychild.accounts.models import OrganisationKind, Role
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in

PASSWORD = "correct horse battery staple"


@pytest.fixture
def caseworker(transactional_db):
    area = factories.AreaFactory()
    la = factories.OrganisationFactory(area=area, kind=OrganisationKind.LOCAL_AUTHORITY)
    user = factories.UserFactory(email="caseworker@demo.test", full_name="Casey Worker")
    user.set_password(PASSWORD)
    user.save()
    factories.MembershipFactory(user=user, organisation=la, role=Role.CASEWORKER)
    return user


def test_caseworker_signs_in_and_reaches_home(page, caseworker):
    page.goto("/")
    # Signed out, the home page sends you to sign in.
    assert "/account/sign-in/" in page.url
    assert_accessible(page)

    sign_in(page, "caseworker@demo.test", PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Casey"
    expect(page.get_by_role("link", name="Children")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_shows_error_summary(page, caseworker):
    sign_in(page, "caseworker@demo.test", "not the password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter a correct e-mail address and password." in summary.inner_text()
    assert_accessible(page)


def test_sign_in_works_without_javascript(page_without_js, caseworker):
    sign_in(page_without_js, "caseworker@demo.test", PASSWORD)
    assert page_without_js.get_by_role("heading", level=1).inner_text() == "Hello, Casey"


def test_a_staff_member_makes_and_revokes_an_api_token(page, caseworker):
    """Issue 17: a named token, shown once, revoked from the same page."""
    sign_in(page, "caseworker@demo.test", PASSWORD)
    page.goto("/account/api-tokens/")
    expect(page.get_by_role("heading", name="Your API tokens")).to_be_visible()
    assert_accessible(page)
    # A mistake first: the error summary says what to fix.
    page.get_by_label("How many days should it work?").fill("999")
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What is the token for?").fill("Case management sync")
    page.get_by_label("How many days should it work?").fill("")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    assert len(page.locator(".app-token").inner_text()) == 40
    assert_accessible(page)
    page.get_by_role("button", name="Revoke Case management sync").click()
    expect(page.get_by_text("no longer works")).to_be_visible()
    expect(page.get_by_text("Revoked")).to_be_visible()
    assert_accessible(page)


def test_a_new_staff_member_enrols_their_app_with_the_enrolment_code(page, caseworker, settings):
    """Issue 17: the password alone shows no key; the administrator's code does."""
    from django_otp.oath import totp  # only this journey computes an app's code
    from django_otp.plugins.otp_totp.models import TOTPDevice  # only this journey reads one

    from everychild.access import enrolment  # only this journey issues a code

    settings.REQUIRE_STAFF_2FA = True
    code = enrolment.issue(user=caseworker, show=True)
    sign_in(page, "caseworker@demo.test", PASSWORD)
    expect(page.get_by_label("Enrolment code")).to_be_visible()
    assert page.locator(".everychild-qr").count() == 0
    assert_accessible(page)
    page.get_by_label("Enrolment code").fill("WRONG-CODE-0")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Enrolment code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".everychild-qr")).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=caseworker)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code from your authenticator app").fill(f"{value:06d}")
    page.get_by_role("button", name="Confirm").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Casey"

"""Issue 18's proof: an administrator invites a caseworker, who accepts, chooses a password,
enrols the second factor with the e-mailed code and signs in; the administrator switches the
account off, and the caseworker's open session and API token stop working at once. With the
second factor required throughout, as in production; axe on every page."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from everychild.access import tokens
from everychild.accounts.models import Role, User
from everychild.testing import factories, inbox
from everychild.testing.factories import TEST_PASSWORD

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "nia chooses a long passphrase"
STAFF_LINK = re.compile(r"/staff/invitation/[^\s/]+/")
ENROLMENT_CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def _app_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


def _new_page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_an_administrator_invites_a_caseworker_then_switches_them_off(
    chromium_browser, live_server, settings
):
    settings.REQUIRE_STAFF_2FA = True
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area, name="BCP Council")
    admin = factories.make_user(
        Role.STAFF_ADMINISTRATOR, la, email="stella@la.test", full_name="Stella Admore"
    )
    TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)

    # The administrator signs in with both factors and invites Nia.
    office = _new_page(chromium_browser, live_server)
    sign_in(office, "stella@la.test", TEST_PASSWORD)
    office.get_by_label("Code from your authenticator app").fill(_app_code(admin))
    office.get_by_role("button", name="Continue").click()
    office.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Staff", exact=True
    ).click()
    expect(office.get_by_role("heading", name="Staff", exact=True)).to_be_visible()
    assert_accessible(office)
    office.get_by_role("link", name="Invite a member of staff").click()
    assert_accessible(office)
    office.get_by_role("button", name="Send the invitation").click()
    expect(office.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(office)
    office.get_by_label("Their full name").fill("Nia Newbie")
    office.get_by_label("Their work e-mail address").fill("nia@la.test")
    office.get_by_label("Organisation they work for").select_option(
        label="BCP Council (Local authority)"
    )
    office.get_by_label("EHC coordinator (caseworker)").check()
    office.get_by_role("button", name="Send the invitation").click()
    expect(office.get_by_text("We have e-mailed an invitation to nia@la.test")).to_be_visible()
    assert_accessible(office)

    # Nia opens the link from her e-mail, chooses a password, then signs in.
    link = STAFF_LINK.search(inbox.last_sent_to("nia@la.test").body).group(0)
    nia = _new_page(chromium_browser, live_server)
    nia.goto(link)
    assert_accessible(nia)
    nia.get_by_label("Create a password").fill(NEW_PASSWORD)
    nia.get_by_label("Type the password again").fill(NEW_PASSWORD)
    nia.get_by_role("button", name="Save my password").click()
    expect(nia.get_by_role("heading", name="Your password is saved")).to_be_visible()
    assert_accessible(nia)
    nia.get_by_role("link", name="Sign in").click()
    nia.get_by_label("E-mail address").fill("nia@la.test")
    nia.get_by_label("Password").fill(NEW_PASSWORD)
    nia.get_by_role("button", name="Sign in").click()

    # The password alone reaches only the enrolment page; the e-mailed code opens it.
    expect(nia.get_by_label("Enrolment code")).to_be_visible()
    assert_accessible(nia)
    code = ENROLMENT_CODE.search(inbox.last_sent_to("nia@la.test").body).group(0)
    nia.get_by_label("Enrolment code").fill(code)
    nia.get_by_role("button", name="Continue").click()
    expect(nia.locator(".everychild-qr")).to_be_visible()
    user = User.objects.get(email="nia@la.test")
    device = TOTPDevice.objects.get(user=user)
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    nia.get_by_label("Code from your authenticator app").fill(f"{value:06d}")
    nia.get_by_role("button", name="Confirm").click()
    assert nia.get_by_role("heading", level=1).inner_text() == "Hello, Nia"
    _token, key = tokens.issue(user=user, name="sync", second_factor_passed=True)
    api = chromium_browser.new_context(base_url=live_server.url).request  # no cookies
    headers = {"Authorization": f"Token {key}"}
    assert api.get("/api/v1/children/", headers=headers).status == 200

    # The administrator sees her, then switches her account off.
    office.goto("/staff/")
    office.get_by_role("link", name="Nia Newbie").click()
    expect(office.get_by_text("EHC coordinator (caseworker) (BCP Council)")).to_be_visible()
    assert_accessible(office)
    office.get_by_role("button", name="Switch off the account").click()
    expect(office.get_by_text("account is switched off")).to_be_visible()
    assert_accessible(office)

    # Nia's open session ends on her next request, and her token is refused.
    nia.goto("/")
    assert "/account/sign-in/" in nia.url
    assert api.get("/api/v1/children/", headers=headers).status == 401
    nia.get_by_label("E-mail address").fill("nia@la.test")
    nia.get_by_label("Password").fill(NEW_PASSWORD)
    nia.get_by_role("button", name="Sign in").click()
    expect(nia.locator(".govuk-error-summary")).to_be_visible()


def test_the_other_staff_pages_are_accessible(page):
    """The filter, a person's page, the roles form, and the organisations pages, with errors."""
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area, name="BCP Council")
    factories.make_user(Role.STAFF_ADMINISTRATOR, la, email="stella@la.test")
    factories.make_user(Role.CASEWORKER, la, full_name="Carys Wareham")
    sign_in(page, "stella@la.test", TEST_PASSWORD)
    page.goto("/staff/")
    page.get_by_label("Account").select_option("active")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Carys Wareham").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change roles and organisation").click()
    page.get_by_label("EHC coordinator (caseworker)").uncheck()
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto("/staff/organisations/")
    assert_accessible(page)
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("URN (schools and settings)").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name").fill("Dorset SLT")
    page.get_by_label("Kind of organisation").select_option(label="NHS provider team")
    page.get_by_label("URN (schools and settings)").fill("")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Dorset SLT").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close Dorset SLT").click()
    expect(page.get_by_text("Dorset SLT is closed")).to_be_visible()

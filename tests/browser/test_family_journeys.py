"""Journeys of the family portal in real Chromium, with an axe check (WCAG 2.2 AA) on every
page: a request made without an account reaching the caseworker; an invitation, a password,
"Where are we?", views sent, comments on the draft within the 15 days, and the comments locked
once the window closes. Family pages also work with JavaScript off and at 400% zoom (a 320
CSS pixel wide window with no sideways scrolling)."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework import services as casework
from everychild.casework.models import AdviceKind, AssessmentRequest, RequestSource
from everychild.children.models import FamilyLink
from everychild.families import services as families_services
from everychild.families.models import DraftPlanResponse, ViewsStatement
from everychild.notifications.models import Message
from everychild.testing import factories, inbox
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD
NEW_PASSWORD = "lighthouse pebble orchard 7"


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def area_people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFICATIONS_BACKEND = "everychild.notifications.backends.LocalBackend"
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    panel = factories.make_user(
        Role.DECISION_MAKER, la, email="panel@la.test", full_name="Priya Panel"
    )
    return {"area": area, "la": la, "caseworker": caseworker, "panel": panel}


def fits_320_pixels(page) -> None:
    """400% zoom of a 1280 pixel window is a 320 CSS pixel one: nothing may scroll sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} CSS pixels wide at 400% zoom"
    page.set_viewport_size({"width": 1280, "height": 800})


def answer_the_public_form(page, *, check=None) -> None:
    page.goto("/family/request/")
    if check:
        check(page)
    page.get_by_role("button", name="Start now").click()
    # A mistake first: the page says what to fix and keeps what was typed.
    page.get_by_label("First name").fill("Mabel")
    fill_date(page, "Date of birth", "31/2/2017")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("First name").input_value() == "Mabel"
    if check:
        check(page)
    page.get_by_label("Last name").fill("Quarrington")
    fill_date(page, "Date of birth", "14/2/2017")
    page.get_by_role("button", name="Continue").click()
    if check:
        check(page)
    page.get_by_label("I am their parent or carer").check()
    page.get_by_label("Your full name").fill("Rosa Quarrington")
    page.get_by_label("Your e-mail address").fill("rosa@example.org")
    page.get_by_role("button", name="Continue").click()
    if check:
        check(page)
    page.get_by_label("Which school, college or nursery").fill("Seaview Primary")
    page.get_by_role("button", name="Continue").click()
    if check:
        check(page)
    page.get_by_label("Why are you asking for an assessment?").fill(
        "She cannot read yet and is very anxious at school."
    )
    page.get_by_role("button", name="Continue").click()
    if check:
        check(page)
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers before sending")).to_be_visible()
    if check:
        check(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    if check:
        check(page)


def test_a_request_made_online_reaches_the_caseworker(page, area_people):
    def check(p):
        assert_accessible(p)
        fits_320_pixels(p)

    answer_the_public_form(page, check=check)
    case = AssessmentRequest.objects.get()
    expect(page.get_by_text(case.reference)).to_be_visible()
    assert case.source == RequestSource.FAMILY
    assert Message.objects.filter(template="family_request_received").count() == 1

    staff = page.context.browser.new_context(base_url=page.url.split("/family")[0]).new_page()
    sign_in(staff, "casey@la.test", PASSWORD)
    staff.goto("/cases/?show=unallocated")
    expect(staff.get_by_text(case.reference)).to_be_visible()
    staff.get_by_role("link", name="Mabel Quarrington").first.click()
    expect(staff.get_by_text("made online without an account by Rosa Quarrington")).to_be_visible()
    assert_accessible(staff)
    staff.context.close()


def test_the_public_form_works_without_javascript(page_without_js, area_people):
    answer_the_public_form(page_without_js)
    assert AssessmentRequest.objects.count() == 1


def test_invitation_to_comments_locked(chromium_browser, live_server, area_people):
    area, caseworker, panel = area_people["area"], area_people["caseworker"], area_people["panel"]
    child = factories.ChildFactory(area=area, first_name="Ada")
    case = casework.record_request(
        actor=caseworker,
        area=area,
        child=child,
        source=RequestSource.FAMILY,
        received_on=days_ago(100),
        requested_by="Her mother",
        reason="Not making progress.",
    )
    case = casework.decide_whether_to_assess(
        actor=panel,
        case=case,
        version=case.version,
        decision="assess",
        decided_on=days_ago(80),
        reasons="Evidence of needs.",
    )
    advice = casework.request_advice(
        actor=caseworker,
        case=case,
        version=case.version,
        kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
        organisation=factories.EPServiceFactory(area=area),
        received_by_body_on=days_ago(78),
    )
    case.refresh_from_db()
    casework.record_advice_provided(
        actor=caseworker, advice=advice, version=case.version, provided_on=days_ago(40)
    )
    case.refresh_from_db()
    case = casework.serve_draft_plan(
        actor=caseworker, case=case, version=case.version, served_on=days_ago(2)
    )

    def new_page(javascript=True):
        context = chromium_browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript
        )
        new = context.new_page()
        new.set_default_timeout(10_000)
        return new

    # The caseworker invites the mother.
    staff = new_page()
    sign_in(staff, "casey@la.test", PASSWORD)
    staff.goto(f"/children/{child.pk}/")
    staff.get_by_role("link", name=re.compile("Invite a parent, carer or young person")).click()
    assert_accessible(staff)
    staff.get_by_label("Parent or carer").check()
    staff.get_by_label("Their full name").fill("Rosa Lovelace")
    staff.get_by_label("Their e-mail address").fill("rosa@example.org")
    staff.get_by_label("How are they related").select_option("mother")
    staff.get_by_role("button", name="Send the invitation").click()
    expect(staff.get_by_text("We have e-mailed an invitation")).to_be_visible()
    staff.context.close()
    # The link is read where the mother reads it, in what was sent; the table keeps no copy.
    link = inbox.INVITATION_LINK.search(inbox.last_sent_to("rosa@example.org").body).group(0)
    assert link not in Message.objects.get(template="family_invitation").body

    # The mother sets a password, with JavaScript off.
    family = new_page(javascript=False)
    checker = new_page()
    family.goto(link)
    checker.goto(link)
    assert_accessible(checker)
    family.get_by_label("Create a password").fill(NEW_PASSWORD)
    family.get_by_label("Type the password again").fill(NEW_PASSWORD)
    family.get_by_role("button", name="Create my account").click()
    expect(family.get_by_role("heading", name="Your children")).to_be_visible()
    assert FamilyLink.objects.filter(child=child, user__email="rosa@example.org").exists()
    family.context.close()
    # The link works once.
    checker.goto(link)
    expect(checker.get_by_text("This invitation has already been used")).to_be_visible()
    assert_accessible(checker)
    checker.context.close()

    parent = new_page()
    sign_in(parent, "rosa@example.org", NEW_PASSWORD)
    parent.goto("/family/")
    assert_accessible(parent)
    fits_320_pixels(parent)
    parent.get_by_role("link", name=re.compile("Where are we?")).click()
    expect(parent.get_by_role("heading", name="Where are we?")).to_be_visible()
    expect(parent.get_by_text("We have sent you a draft plan").first).to_be_visible()
    expect(parent.get_by_text("left to comment")).to_be_visible()
    assert_accessible(parent)
    fits_320_pixels(parent)

    # Views for section A.
    parent.get_by_role("link", name="Tell us about your child's views, interests and hopes").click()
    assert_accessible(parent)
    parent.get_by_role("link", name="All about me").click()
    assert_accessible(parent)
    fits_320_pixels(parent)
    parent.get_by_label("About me").fill("I love trains and drawing.")
    parent.get_by_role("button", name="Save as a draft").click()
    expect(parent.get_by_text("saved as a draft")).to_be_visible()
    assert_accessible(parent)
    parent.get_by_role("button", name="Send to my caseworker").click()
    assert ViewsStatement.objects.get().is_sent

    # Comments on the draft, within the window.
    parent.get_by_role("link", name=re.compile("Comment on the draft plan by")).click()
    expect(parent.locator("#countdown").get_by_text("left to comment")).to_be_visible()
    assert_accessible(parent)
    fits_320_pixels(parent)
    parent.get_by_label("Section B: Special educational needs").fill("Reading is missing.")
    parent.get_by_label("I would like a meeting").check()
    parent.get_by_label("The school, college or setting").fill("Seaview Primary")
    parent.get_by_role("button", name="Send my comments").click()
    expect(parent.get_by_text("We have sent your comments")).to_be_visible()
    assert_accessible(parent)
    response = DraftPlanResponse.objects.get()
    assert response.comments == {"B": "Reading is missing."} and response.wants_meeting
    parent.context.close()

    # Three weeks later the window has closed: the page says so and takes no comments.
    other = factories.make_user(Role.PARENT, email="dad@example.org", full_name="Sam Lovelace")
    FamilyLink.objects.create(child=child, user=other, relationship="father")
    with time_machine.travel(timezone.now() + dt.timedelta(days=21), tick=True):
        late = new_page()
        sign_in(late, "dad@example.org", PASSWORD)
        late.goto(f"/family/cases/{case.pk}/draft-plan/")
        expect(late.get_by_text("Comments are closed")).to_be_visible()
        assert late.get_by_label("Section A: Your views, interests and hopes").count() == 0
        assert_accessible(late)
        fits_320_pixels(late)
        late.context.close()


def test_a_young_person_chooses_what_their_parents_see(page, area_people):
    area = area_people["area"]
    born = timezone.localdate().replace(year=timezone.localdate().year - 18)
    young = factories.ChildFactory(area=area, date_of_birth=born)
    casework.record_request(
        actor=area_people["caseworker"],
        area=area,
        child=young,
        source=RequestSource.FAMILY,
        received_on=days_ago(10),
        requested_by="The young person",
        reason="Support at college.",
    )
    account = factories.make_user(Role.YOUNG_PERSON, email="yp@example.org")
    young.own_account = account
    young.save()
    mother = factories.FamilyLinkFactory(child=young).user
    sign_in(page, "yp@example.org", PASSWORD)
    page.goto("/family/")
    page.get_by_role("link", name="Choose what your parents or carers can see").click()
    assert_accessible(page)
    fits_320_pixels(page)
    page.get_by_label(re.compile(mother.full_name)).uncheck()
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your choices are saved")).to_be_visible()
    assert not FamilyLink.objects.get(child=young).young_person_allows_access


def test_a_parent_with_an_account_accepts_an_invitation_by_signing_in(page, area_people):
    """Issue 17: a link for an address that has an account asks for that account's own
    password, never a new one, and then links the child."""
    child = factories.ChildFactory(area=area_people["area"], first_name="Mabel")
    factories.make_user(Role.PARENT, email="rosa@example.org", full_name="Rosa Lovelace")
    invitation = families_services.invite(
        actor=area_people["caseworker"],
        child=child,
        kind="parent",
        full_name="Rosa Lovelace",
        email="rosa@example.org",
        relationship=FamilyLink.Relationship.MOTHER,
    )
    link = f"/family/invitation/{inbox.invitation_token(invitation)}/"
    page.goto(link)
    expect(page.get_by_role("heading", name="Sign in to accept")).to_be_visible()
    assert page.get_by_label("Create a password").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Sign in to accept").click()
    page.get_by_label("E-mail address").fill("rosa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Accept the invitation")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept the invitation").click()
    expect(page.get_by_role("heading", name="Your children")).to_be_visible()
    assert FamilyLink.objects.filter(child=child, user__email="rosa@example.org").exists()

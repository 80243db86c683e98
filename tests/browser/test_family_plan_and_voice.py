"""Issue 20, families: in real Chromium, with axe (WCAG 2.2 AA) on every page visited and no
sideways scrolling at 320 CSS pixels. A parent reads and downloads every issued version of the
plan, the advice in section K and the letters sent to them; a late annual review says so; a
young person is spoken to as "you"; comments on the draft can be added to until the 15 days
end; a message reaches the caseworker; families see no staff links; the public request offers
other ways to ask; the accessibility statement is complete."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from everychild.access.models import AuditAction, AuditEntry
from everychild.accounts.models import Role
from everychild.advice.models import AdviceWork
from everychild.casework import services as casework
from everychild.casework.models import AdviceKind, AssessmentRequest, Letter, RequestSource
from everychild.children.models import FamilyLink
from everychild.families.models import DraftPlanResponse, FamilyMessage
from everychild.notifications.models import Message
from everychild.plans import services as plans
from everychild.plans.models import AnnualReview, EHCPlan, PlanVersion
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in

PASSWORD = factories.TEST_PASSWORD


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


# The elements that stick out past 320 pixels (outside a scroll container), for the message.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 322)
  .filter(e => !e.parentElement.closest('.everychild-table-scroll'))
  .slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def checked(page) -> None:
    """axe on the page, and no sideways scrolling at 320 CSS pixels (WCAG 1.4.10)."""
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width} CSS pixels wide: {page.evaluate(WIDE_ELEMENTS)}"
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFICATIONS_BACKEND = "everychild.notifications.backends.LocalBackend"
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    panel = factories.make_user(Role.DECISION_MAKER, la, email="panel@la.test")
    return {"area": area, "la": la, "caseworker": caseworker, "panel": panel}


def assessing(people, child, *, received=120, advice_kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY):
    caseworker = people["caseworker"]
    case = casework.record_request(
        actor=caseworker,
        area=people["area"],
        child=child,
        source=RequestSource.FAMILY,
        received_on=days_ago(received),
        requested_by="Her mother",
        reason="Not making progress.",
    )
    AssessmentRequest.objects.filter(pk=case.pk).update(caseworker=caseworker)
    case.refresh_from_db()
    case = casework.decide_whether_to_assess(
        actor=people["panel"],
        case=case,
        version=case.version,
        decision="assess",
        decided_on=days_ago(received - 20),
        reasons="Evidence of needs.",
    )
    organisation = (
        factories.SchoolFactory(area=people["area"])
        if advice_kind == AdviceKind.EDUCATION
        else factories.EPServiceFactory(area=people["area"])
    )
    casework.request_advice(
        actor=caseworker,
        case=case,
        version=case.version,
        kind=advice_kind,
        organisation=organisation,
        received_by_body_on=days_ago(received - 22),
    )
    case.refresh_from_db()
    return case


def with_draft(people, child, *, received=120, served=30):
    caseworker = people["caseworker"]
    case = assessing(people, child, received=received)
    letter = casework.generate_letter(actor=caseworker, case=case, kind="decision_to_assess")
    case.refresh_from_db()
    casework.record_letter_sent(
        actor=caseworker, letter=letter, version=case.version, sent_on=timezone.localdate()
    )
    case.refresh_from_db()
    advice = case.advice_requests.get()
    casework.record_advice_provided(
        actor=caseworker, advice=advice, version=case.version, provided_on=days_ago(served + 20)
    )
    work = AdviceWork.objects.create(
        advice_request=advice,
        summary="Reading is two years behind.",
        document_name="psychology-advice.pdf",
        document_type="application/pdf",
        submitted_on=days_ago(served + 20),
    )
    work.document.save("psychology-advice.pdf", ContentFile(b"%PDF-1.4 advice"), save=True)
    case.refresh_from_db()
    case = casework.serve_draft_plan(
        actor=caseworker, case=case, version=case.version, served_on=days_ago(served)
    )
    factories.plan_draft_for(case)
    return factories.decided_to_issue(case)


def issued(people, child, *, issued_days_ago=10, received=120, served=30):
    case = with_draft(people, child, received=received, served=served)
    return plans.issue_final_plan(
        actor=people["caseworker"],
        case=case,
        version=case.version,
        issued_on=days_ago(issued_days_ago),
    )


def test_a_parent_reads_and_downloads_every_issued_plan_the_advice_and_letters(page, people):
    child = factories.ChildFactory(area=people["area"], first_name="Ada")
    case = issued(people, child)
    first = PlanVersion.objects.get(document__assessment_request=case, number=1)
    # An amendment issued later, and a new draft nobody has served on the family.
    PlanVersion.objects.create(
        document=first.document,
        number=2,
        status=PlanVersion.Status.FINAL,
        reason=PlanVersion.Reason.REVIEW,
        issued_on=days_ago(2),
        sections=first.sections,
    )
    PlanVersion.objects.create(document=first.document, number=3, sections=first.sections)
    parent = factories.FamilyLinkFactory(child=child).user
    sign_in(page, parent.email, PASSWORD)

    page.goto(f"/family/cases/{case.pk}/")
    expect(page.get_by_role("link", name=re.compile("Decision to assess"))).to_be_visible()
    page.get_by_role("link", name="Read the final plan, reviews and documents").click()
    expect(page.get_by_role("heading", name="The final plan", exact=True)).to_be_visible()
    assert page.get_by_text("There are no letters or other documents here yet").count() == 0
    expect(page.get_by_role("link", name="Read version 2")).to_be_visible()
    expect(page.get_by_role("link", name="Read version 1")).to_be_visible()
    assert page.get_by_role("link", name="Read version 3").count() == 0
    expect(page.get_by_role("link", name=re.compile("Decision to assess"))).to_be_visible()
    expect(page.get_by_text("Reading is two years behind.")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Read version 1").click()
    expect(page.get_by_role("heading", name="Education, health and care plan")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Section K"))).to_be_visible()
    checked(page)

    pdf = page.request.get(f"/family/cases/{case.pk}/plan/versions/2/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    advice = page.request.get(f"/family/cases/{case.pk}/advice/{case.advice_requests.get().pk}/")
    assert advice.status == 200 and advice.body() == b"%PDF-1.4 advice"
    letter = Letter.objects.get(assessment_request=case)
    sent = page.request.get(f"/family/cases/{case.pk}/documents/{letter.document_id}/")
    assert sent.status == 200
    # Drafts never.
    assert page.request.get(f"/family/cases/{case.pk}/plan/versions/3/").status == 404
    assert page.request.get(f"/family/cases/{case.pk}/plan/versions/3/pdf/").status == 404
    # Every read audited.
    reads = AuditEntry.objects.filter(actor=parent, record_type="plans.PlanVersion")
    assert reads.filter(action=AuditAction.VIEW).count() == 1
    assert reads.filter(action=AuditAction.DOWNLOAD).count() == 1
    assert AuditEntry.objects.filter(
        actor=parent, action=AuditAction.DOWNLOAD, record_type="advice.AdviceWork"
    ).exists()


def test_a_parent_the_young_person_shut_out_cannot_read_the_plan(page, people):
    born = timezone.localdate().replace(year=timezone.localdate().year - 19)
    young = factories.ChildFactory(area=people["area"], date_of_birth=born)
    case = issued(people, young)
    parent = factories.FamilyLinkFactory(child=young).user
    FamilyLink.objects.filter(child=young).update(young_person_allows_access=False)
    sign_in(page, parent.email, PASSWORD)
    assert page.request.get(f"/family/cases/{case.pk}/plan/").status == 404
    assert page.request.get(f"/family/cases/{case.pk}/plan/versions/1/").status == 404
    assert page.request.get(f"/family/cases/{case.pk}/plan/versions/1/pdf/").status == 404


def test_an_overdue_annual_review_says_it_is_late_and_sorry(page, people):
    child = factories.ChildFactory(area=people["area"])
    case = issued(people, child, issued_days_ago=400, received=540, served=420)
    parent = factories.FamilyLinkFactory(child=child).user
    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/")
    assert page.get_by_role("heading", name="The next legal date").count() == 0
    expect(page.get_by_text("The annual review of the plan is late")).to_be_visible()
    expect(page.get_by_text("We are sorry", exact=False).first).to_be_visible()
    expect(page.get_by_text("You can ask your child's school or college")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Read the final plan, reviews and documents").click()
    expect(page.get_by_text("The annual review is late")).to_be_visible()
    checked(page)


def test_a_young_person_is_spoken_to_as_you_and_a_parent_gets_a_parents_questions(page, people):
    born = timezone.localdate().replace(year=timezone.localdate().year - 18)
    young = factories.ChildFactory(area=people["area"], date_of_birth=born)
    case = assessing(people, young, received=30, advice_kind=AdviceKind.EDUCATION)
    account = factories.make_user(Role.YOUNG_PERSON, email="yp@example.org")
    young.own_account = account
    young.save()
    mother = factories.FamilyLinkFactory(child=young).user

    sign_in(page, "yp@example.org", PASSWORD)
    page.goto("/family/")
    expect(page.get_by_role("link", name="Your assessment and plan").first).to_be_visible()
    for path in ("/family/", f"/family/cases/{case.pk}/", f"/family/cases/{case.pk}/views/"):
        page.goto(path)
        assert "your child" not in page.content().lower(), path
        checked(page)
    page.goto(f"/family/cases/{case.pk}/")
    expect(page.get_by_text("We asked your school or setting for advice").first).to_be_visible()
    page.get_by_role("link", name="Tell us about your views, interests and hopes").click()
    page.get_by_role("link", name="All about me").click()
    assert "your child" not in page.content().lower()
    checked(page)
    page.context.clear_cookies()

    sign_in(page, mother.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/views/")
    page.get_by_role("link", name="What I want you to know (parent or carer)").click()
    expect(page.get_by_label("About your child")).to_be_visible()
    assert page.get_by_label("How best to help me").count() == 0
    checked(page)


def test_comments_can_be_added_until_the_15_days_end_and_a_message_reaches_the_caseworker(
    page, people
):
    child = factories.ChildFactory(area=people["area"], first_name="Ada", last_name="Lovelace")
    case = with_draft(people, child, served=2)
    parent = factories.FamilyLinkFactory(child=child).user
    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/")
    expect(page.get_by_text("Your caseworker is Casey Worker")).to_be_visible()
    page.get_by_role("link", name=re.compile("Comment on the draft plan by")).click()
    page.get_by_label("Section B: Special educational needs").fill("Reading is missing.")
    page.get_by_role("button", name="Send my comments").click()
    expect(page.get_by_text("We have sent your comments")).to_be_visible()
    expect(page.get_by_text("We have e-mailed you to confirm")).to_be_visible()
    assert Message.objects.filter(template="family_comments_received", to=parent.email).exists()
    assert page.get_by_role("button", name="Send my comments").count() == 0
    expect(page.get_by_role("heading", name="Add more comments")).to_be_visible()
    checked(page)
    page.get_by_label("Section F: Special educational help").fill("Speech therapy weekly.")
    page.get_by_role("button", name="Send my extra comments").click()
    sent = DraftPlanResponse.objects.filter(sent_at__isnull=False).order_by("pk")
    assert [r.comments for r in sent] == [
        {"B": "Reading is missing."},
        {"F": "Speech therapy weekly."},
    ]
    expect(page.get_by_text("Reading is missing.")).to_be_visible()
    checked(page)

    # Where are we? no longer offers what they have done.
    page.goto(f"/family/cases/{case.pk}/")
    assert page.get_by_role("link", name=re.compile("^Comment on the draft plan")).count() == 0
    expect(
        page.get_by_role("link", name=re.compile("Add more comments on the draft"))
    ).to_be_visible()

    page.get_by_role("link", name="Send a message to your caseworker").first.click()
    checked(page)
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your message").fill("Can we meet after school on Thursday?")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Your message has been sent")).to_be_visible()
    assert FamilyMessage.objects.get().body == "Can we meet after school on Thursday?"
    told = Message.objects.get(template="family_message_received")
    assert told.to == "casey@la.test"
    assert "Ada" not in told.body and "Lovelace" not in told.body and "Thursday" not in told.body
    checked(page)
    page.context.clear_cookies()

    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    expect(page.get_by_text("Can we meet after school on Thursday?")).to_be_visible()
    checked(page)


def test_reviews_show_dates_invitation_and_the_familys_views(page, people):
    child = factories.ChildFactory(area=people["area"])
    case = issued(people, child, issued_days_ago=300, received=420, served=320)
    plan = EHCPlan.objects.get(assessment_request=case)
    AnnualReview.objects.create(plan=plan, due_on=days_ago(-60), invitations_sent_on=days_ago(5))
    parent = factories.FamilyLinkFactory(child=child).user
    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/plan/")
    reviews = page.locator("#reviews ~ .govuk-summary-card")
    expect(reviews.get_by_text("We invited you on")).to_be_visible()
    expect(reviews.get_by_text("The review meeting has not been held yet.")).to_be_visible()
    reviews.get_by_role("link", name=re.compile("Tell us your views before the review")).click()
    page.get_by_role("link", name="All about me").click()
    page.get_by_label("About me").fill("I like the new class.")
    page.get_by_role("button", name="Send to my caseworker").click()
    page.goto(f"/family/cases/{case.pk}/plan/")
    expect(page.get_by_text(re.compile("We have your views: you sent 1 page on"))).to_be_visible()
    checked(page)


def test_families_see_no_staff_links(page, people):
    child = factories.ChildFactory(area=people["area"])
    parent = factories.FamilyLinkFactory(child=child).user
    sign_in(page, parent.email, PASSWORD)
    page.goto("/family/")
    assert page.get_by_role("link", name="API documentation").count() == 0
    checked(page)
    page.context.clear_cookies()
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto("/")
    assert page.get_by_role("link", name="API documentation").count() == 1


def test_the_public_request_offers_other_ways_and_the_statement_is_complete(page, people):
    area = people["area"]
    area.send_team_phone = "01202 123456"
    area.send_team_email = "send@council.example"
    area.send_team_address = "SEND Team\nCivic Centre\nBH1 1AA"
    area.save()
    page.goto("/family/request/")
    expect(page.get_by_role("heading", name="Other ways to ask")).to_be_visible()
    expect(page.get_by_role("link", name="01202 123456")).to_be_visible()
    expect(page.get_by_text("Civic Centre")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Accessibility statement").click()
    for heading in (
        "How accessible this service is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("link", name="send@council.example")).to_be_visible()
    checked(page)

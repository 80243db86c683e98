"""The proof journey (issue 19): one child from a school's request for an EHC needs assessment
to the final plan in the family's portal, every step done on the page where its user does it,
with axe (WCAG 2.2 AA) on every page visited.

A SENCO makes the request; the caseworker sees it in My tasks; the panel's meeting agenda lists
it and the panel records the decision to assess; the decision letter is made and sent and the
family reads it in the portal; an educational psychologist gives advice through the advice
portal and the school gives its educational advice through the service, both as needs,
outcomes and provision; the caseworker builds the draft from the advice's suggestions and the
draft says where each line came from; the draft is served and the family comments on it in
the portal; the comments are a task in My tasks and an entry in the chronology; the panel, as
the area's settings name it, records the decision to issue from its own My tasks; after the
family's 15 days the caseworker issues the final plan and its notice letter (appeal and
mediation rights, the appeal deadline, SENDIASS and IPSEA); the family reads both.

Only what is not the subject is arranged in the database: who holds the case (a manager's
allocation, tested in its own journey), the psychologist taking the request from their
service's queue, and the family's account. The clock moves on with time-machine, as the
family journeys do, so every date typed is the day it is done."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.advice import services as advice_services
from everychild.casework.models import AssessmentRequest, Stage
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.REQUIRE_STAFF_2FA = False
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFICATIONS_BACKEND = "everychild.notifications.backends.LocalBackend"
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Testfield Primary")
    ep_service = factories.EPServiceFactory(area=area, name="Testfield EP Service")
    factories.make_user(Role.SENCO, school, email="senco@school.test", full_name="Sita Senco")
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    factories.make_user(Role.DECISION_MAKER, la, email="panel@la.test", full_name="Priya Panel")
    psychologist = factories.make_user(
        Role.EDUCATIONAL_PSYCHOLOGIST, ep_service, email="psych@ep.test", full_name="Eli Psych"
    )
    child = factories.ChildFactory(
        area=area,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=dt.date(2016, 5, 4),
        current_setting=school,
    )
    parent = factories.FamilyLinkFactory(child=child).user
    assert area.issue_decided_by == "panel"  # the area's settings: the panel decides to issue
    return {
        "child": child,
        "caseworker": caseworker,
        "psychologist": psychologist,
        "parent": parent,
    }


def typed(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def main_text(page) -> str:
    return page.locator("main").inner_text()


def test_from_a_schools_request_to_the_final_plan_in_the_familys_portal(
    chromium_browser, live_server, people
):
    child, parent = people["child"], people["parent"]
    today = timezone.localdate()
    opened = []

    def new_page(email):
        context = chromium_browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, email, PASSWORD)
        opened.append(context)
        return page

    # --- 1. The SENCO makes the request ------------------------------------------------------
    senco = new_page("senco@school.test")
    senco.goto("/schools/requests/new/")
    assert_accessible(senco)
    senco.get_by_label("Pupil", exact=True).select_option(label="Ada Lovelace, born 04/05/2016")
    senco.get_by_label("Why the setting is asking for an assessment").fill(
        "Little progress in reading after three cycles of SEN support."
    )
    senco.get_by_label("The family knows about this request and agrees to it").check()
    senco.get_by_label("Who in the family agreed").fill("Anne Lovelace, mother")
    fill_date(senco, "Date the family agreed", typed(today - dt.timedelta(days=3)))
    senco.get_by_label("The family's views").fill("We want to know what help she needs.")
    senco.get_by_label("Step 1: what it was").select_option(label="Assess")
    fill_date(senco, "Step 1: when it began", typed(today - dt.timedelta(days=120)))
    senco.get_by_label(
        "Step 1: what was assessed, planned, done or reviewed, or whose advice was sought"
    ).fill("Reading assessed with the York Assessment of Reading")
    senco.get_by_label("Step 1: outcome").fill("Reading age 3 years below her age")
    senco.get_by_role("button", name="Send the request").click()
    assert "Your request has been sent to the council" in main_text(senco)
    assert_accessible(senco)
    case = AssessmentRequest.objects.get(child=child)
    # Allocation is a manager's step with its own journey: the case is the caseworker's.
    AssessmentRequest.objects.filter(pk=case.pk).update(caseworker=people["caseworker"])

    # --- 2. The caseworker sees it -----------------------------------------------------------
    worker = new_page("casey@la.test")
    worker.goto("/cases/tasks/")
    assert_accessible(worker)
    task = worker.locator("tr", has_text="Ada Lovelace")
    assert "Prepare the request for the panel's decision whether to assess" in task.inner_text()
    task.get_by_role("link", name="Prepare the request for the panel").click()
    assert_accessible(worker)
    assert "What Testfield Primary sent" in main_text(worker)
    assert "Reading assessed with the York Assessment of Reading" in main_text(worker)

    # --- 3. The panel's agenda lists it; the panel decides to assess -----------------------
    panel = new_page("panel@la.test")
    panel.goto("/cases/panel/")
    assert_accessible(panel)
    fill_date(panel, "Date of the meeting", typed(today))
    panel.get_by_label("Members present").fill("Priya Panel (chair), Sam Lee (EP)")
    panel.get_by_role("button", name="Open the meeting").click()
    assert_accessible(panel)
    meeting_url = panel.url
    item = panel.locator("#agenda-assess ~ .govuk-summary-card", has_text="Ada").first
    assert case.reference in item.inner_text()
    assert "1 record from the school" in item.inner_text()
    item.get_by_role("link", name="Record the decision whether to assess").click()
    assert_accessible(panel)
    panel.get_by_label("Assess: carry out an EHC needs assessment").check()
    fill_date(panel, "Date of the decision", typed(today))
    panel.get_by_label("Reasons for the decision").fill("The school's evidence shows needs.")
    panel.get_by_role("button", name="Record the decision").click()
    assert panel.url == meeting_url
    assert "Decided to assess" in panel.locator("#decided ~ ul").first.inner_text()
    assert_accessible(panel)

    # --- 4. The decision letter is made and sent; the family reads it -----------------------
    worker.goto(f"/cases/{case.pk}/")
    assert_accessible(worker)
    worker.get_by_role("button", name="Create the “Decision to assess” letter").click()
    assert_accessible(worker)
    worker.get_by_role("link", name="Record it as sent").click()
    assert_accessible(worker)
    fill_date(worker, "Date the letter was sent", typed(today))
    worker.get_by_role("button", name="Save").click()
    assert_accessible(worker)
    family = new_page(parent.email)
    family.goto(f"/family/cases/{case.pk}/")
    letter = family.get_by_role("link", name=re.compile("Decision to assess"))
    expect(letter).to_be_visible()
    assert_accessible(family)
    assert family.request.get(letter.get_attribute("href")).body().startswith(b"%PDF")

    # --- 5. The caseworker asks the psychologist and the school for advice -----------------
    worker.goto(f"/cases/{case.pk}/")
    worker.get_by_role("link", name="Ask for advice").first.click()
    assert_accessible(worker)
    worker.get_by_label("Who to ask for psychological advice").select_option(
        label="Testfield EP Service"
    )
    fill_date(worker, "Date the request for psychological advice was sent", typed(today))
    worker.get_by_label("Who to ask for educational advice (the setting)").select_option(
        label="Testfield Primary"
    )
    fill_date(
        worker, "Date the request for educational advice (the setting) was sent", typed(today)
    )
    worker.get_by_role("button", name="Record the requests for advice").click()
    assert_accessible(worker)

    # The psychologist takes the request from the service's queue (allocation: its own journey).
    ep_advice = case.advice_requests.get(kind="ep")
    advice_services.allocate(
        actor=people["psychologist"], advice=ep_advice, professional=people["psychologist"]
    )

    def give_advice(page, items):
        for kind, section, text, extra in items:
            page.get_by_role("link", name="Add a need, outcome or provision").click()
            assert_accessible(page)
            page.get_by_label(kind, exact=True).check()
            page.get_by_label("Plan section").select_option(label=section)
            page.get_by_label("Advice", exact=True).fill(text)
            for label, value in extra.items():
                page.get_by_label(label).fill(value)
            page.get_by_role("button", name="Add").click()
        page.get_by_role("link", name="Submit the advice").click()
        assert_accessible(page)
        page.get_by_role("button", name="Submit the advice").click()
        assert_accessible(page)

    provision = {
        "How much (provision only)": "30 minutes",
        "How often (provision only)": "3 times a week",
        "Who delivers it (provision only)": "A trained teaching assistant",
    }

    # --- 6. The psychologist advises through the advice portal ------------------------------
    psych = new_page("psych@ep.test")
    psych.goto("/advice/?show=mine")
    assert_accessible(psych)
    psych.get_by_role("link", name=f"{child.full_name}, {case.reference}").click()
    assert_accessible(psych)
    give_advice(
        psych,
        (
            ("Need", "B: special educational needs", "Difficulty decoding words", {}),
            ("Desired outcome", "E: outcomes", "Reads a book at her age level by July", {}),
            (
                "Recommended provision",
                "F: special educational provision",
                "Phonics in a small group",
                provision,
            ),
        ),
    )
    assert f"Your advice for {case.reference}" in psych.get_by_role("heading", level=1).inner_text()

    # --- 7. The school gives its educational advice through the service ---------------------
    senco.get_by_role("link", name="Advice queue").first.click()
    assert_accessible(senco)
    senco.get_by_role("link", name=f"{child.full_name}, {case.reference}").click()
    assert_accessible(senco)
    give_advice(
        senco,
        (
            ("Need", "B: special educational needs", "Anxious when asked to read aloud", {}),
            (
                "Recommended provision",
                "F: special educational provision",
                "Daily reading with an adult she knows",
                {**provision, "How often (provision only)": "daily"},
            ),
        ),
    )
    assert "Advice submitted to the council." in main_text(senco)

    # --- 8. The caseworker builds the draft from the suggestions ---------------------------
    worker.goto(f"/plans/case/{case.pk}/")
    assert_accessible(worker)
    worker.get_by_role("button", name="Start the draft plan").click()
    assert "5 suggestions" in worker.locator("#suggestions").inner_text()
    assert_accessible(worker)
    worker.get_by_role("link", name="Review the suggestions from the advice").click()
    assert_accessible(worker)
    accept = worker.get_by_role("button", name=re.compile("^Accept "))
    while accept.count():
        accept.first.click()
        assert "added to the draft" in main_text(worker)
    assert "no suggestions waiting" in worker.locator("#no-suggestions").inner_text()
    assert_accessible(worker)
    worker.get_by_role("link", name="Back to the draft plan").first.click()
    assert_accessible(worker)
    draft = main_text(worker)
    assert "From: Psychological advice, Testfield EP Service" in draft
    assert "From: Educational advice (the setting), Testfield Primary" in draft
    assert "Daily reading with an adult she knows" in draft
    # Section B also names the SEN2 type of need, which the advice does not give.
    worker.get_by_role("link", name="Change section B").click()
    assert_accessible(worker)
    worker.get_by_label("Primary type of need").select_option(label="Specific learning difficulty")
    worker.get_by_role("button", name="Save the types of need").click()
    assert_accessible(worker)
    worker.goto(f"/plans/case/{case.pk}/")

    # --- 9. The draft is served; the family comments on it in the portal -------------------
    worker.get_by_role("link", name="Serve the draft plan on the family").click()
    assert_accessible(worker)
    fill_date(worker, "Date the draft plan was served", typed(today))
    worker.get_by_role("button", name="Save").click()
    assert_accessible(worker)
    case.refresh_from_db()
    assert case.stage == Stage.DRAFT_PLAN and case.draft_plan_served_on == today

    family.goto(f"/family/cases/{case.pk}/")
    assert_accessible(family)
    family.get_by_role("link", name=re.compile("Comment on the draft plan by")).click()
    assert_accessible(family)
    family.get_by_label("Section F: Special educational help").fill(
        "She needs speech and language therapy too."
    )
    family.get_by_role("button", name="Send my comments").click()
    expect(family.get_by_text("We have sent your comments")).to_be_visible()
    assert_accessible(family)

    # --- 10. The comments are a task in My tasks and in the chronology ---------------------
    worker.goto("/cases/tasks/")
    assert_accessible(worker)
    comments = worker.locator("tr", has_text="Answer the family's comments")
    assert "Ada Lovelace" in comments.inner_text()
    assert "(sections F)" in comments.inner_text()
    worker.goto(f"/cases/{case.pk}/")
    chronology = worker.get_by_role("table", name=re.compile("What happened on the case"))
    assert "Family commented on the draft plan (sections F)" in chronology.inner_text()
    assert_accessible(worker)

    # --- 11. The panel, as the area's settings say, decides to issue from its My tasks -----
    panel.goto("/cases/tasks/")
    assert_accessible(panel)
    row = panel.locator("tr", has_text="Ada Lovelace")
    assert "Decision whether to issue" in row.inner_text()
    row.get_by_role("link", name="Decide whether to issue a plan, with reasons").click()
    assert_accessible(panel)
    panel.get_by_label("Issue an EHC plan").check()
    fill_date(panel, "Date of the decision", typed(today))
    panel.get_by_label("Reasons for the decision").fill("Provision must be made by a plan.")
    panel.get_by_role("button", name="Record the decision").click()
    assert_accessible(panel)
    case.refresh_from_db()
    assert case.decision_to_issue_on == today and case.decision_to_issue_by.full_name == (
        "Priya Panel"
    )
    panel.goto("/cases/tasks/")
    assert panel.locator("tr", has_text="Ada Lovelace").count() == 0

    for context in opened:
        context.close()
    opened.clear()

    # --- 12. After the family's 15 days: the final plan and its notice --------------------
    later = today + dt.timedelta(days=16)
    with time_machine.travel(timezone.now() + dt.timedelta(days=16), tick=True):
        worker = new_page("casey@la.test")
        worker.goto(f"/cases/{case.pk}/")
        assert_accessible(worker)
        worker.get_by_role("link", name="Record the final plan as issued").click()
        assert_accessible(worker)
        fill_date(worker, "Date the final plan was issued", typed(later))
        worker.get_by_role("button", name="Save").click()
        assert worker.url.endswith(f"/cases/{case.pk}/"), main_text(worker)[:1500]
        assert_accessible(worker)
        worker.get_by_role("button", name="Create the “Final plan notice” letter").click()
        assert_accessible(worker)
        notice = main_text(worker)
        assert re.search(r"Appeal to the Tribunal by\s+\d{1,2} \w+ \d{4}", notice), notice
        for words in ("mediation", "SENDIASS", "IPSEA"):
            assert words.lower() in notice.lower(), words
        worker.get_by_role("link", name="Record it as sent").click()
        assert_accessible(worker)
        fill_date(worker, "Date the letter was sent", typed(later))
        worker.get_by_role("button", name="Save").click()
        assert_accessible(worker)
        case.refresh_from_db()
        assert case.stage == Stage.PLAN_ISSUED and case.final_plan_issued_on == later

        # --- 13. The family reads the final plan and the notice letter ---------------------
        family = new_page(parent.email)
        family.goto(f"/family/cases/{case.pk}/")
        assert_accessible(family)
        notice_link = family.get_by_role("link", name=re.compile("Final plan notice letter"))
        expect(notice_link).to_be_visible()
        assert family.request.get(notice_link.get_attribute("href")).body().startswith(b"%PDF")
        family.get_by_role("link", name="Read the final plan, reviews and documents").click()
        expect(family.get_by_role("heading", name="The final plan", exact=True)).to_be_visible()
        assert_accessible(family)
        family.get_by_role("link", name="Read version 1").click()
        expect(
            family.get_by_role("heading", name="Education, health and care plan")
        ).to_be_visible()
        plan = main_text(family)
        assert "Phonics in a small group" in plan
        assert "Daily reading with an adult she knows" in plan
        assert_accessible(family)
        for context in opened:
            context.close()

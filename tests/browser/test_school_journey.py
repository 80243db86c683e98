"""Journey: a SENCO makes a request for an EHC needs assessment in the service and follows it
on the clock; the caseworker sees what the school sent; after the decision to assess the
council asks the school for its educational advice; the SENCO gives it as needs, outcomes and
provision; the caseworker reads it. An axe check (WCAG 2.2 AA) on every page visited."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AssessmentRequest, Decision
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD


@pytest.fixture
def people(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Testfield Primary")
    factories.make_user(Role.SENCO, school, email="senco@school.test", full_name="Sita Senco")
    caseworker = factories.make_user(
        Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker"
    )
    panel = factories.make_user(Role.DECISION_MAKER, la, full_name="Pat Panel")
    child = factories.ChildFactory(
        area=area,
        first_name="Ada",
        last_name="Lovelace",
        date_of_birth=dt.date(2016, 5, 4),
        current_setting=school,
    )
    return {"child": child, "caseworker": caseworker, "panel": panel, "school": school}


def _page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _date(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_senco_requests_caseworker_asks_school_senco_advises_caseworker_reads(
    chromium_browser, live_server, people, settings
):
    settings.REQUIRE_STAFF_2FA = False
    today = timezone.localdate()
    child = people["child"]

    # --- The SENCO makes the request ------------------------------------------------------
    senco = _page(chromium_browser, live_server)
    sign_in(senco, "senco@school.test", PASSWORD)
    senco.get_by_role("link", name="Requests for assessment").first.click()
    assert_accessible(senco)
    senco.get_by_role("link", name="Make a request").click()
    assert_accessible(senco)
    # Sent with nothing filled in: the error summary says what is missing.
    senco.get_by_role("button", name="Send the request").click()
    # The title is read once the answer has arrived: read straight after the click, it can be
    # the empty title of the page still loading.
    expect(senco).to_have_title(re.compile(r"^Error: "))
    assert "Enter the family's views." in senco.locator(".govuk-error-summary").inner_text()
    assert_accessible(senco)
    senco.get_by_label("Pupil", exact=True).select_option(label="Ada Lovelace, born 04/05/2016")
    senco.get_by_label("Why the setting is asking for an assessment").fill(
        "Little progress in reading after three cycles of SEN support."
    )
    senco.get_by_label("The family knows about this request and agrees to it").check()
    senco.get_by_label("Who in the family agreed").fill("Anne Lovelace, mother")
    fill_date(senco, "Date the family agreed", _date(today - dt.timedelta(days=3)))
    senco.get_by_label("The family's views").fill("We want to know what help she needs.")
    senco.get_by_label("Step 1: what it was").select_option(label="Assess")
    fill_date(senco, "Step 1: when it began", _date(today - dt.timedelta(days=120)))
    senco.get_by_label(
        "Step 1: what was assessed, planned, done or reviewed, or whose advice was sought"
    ).fill("Reading assessed with the York Assessment of Reading")
    senco.get_by_label("Step 1: outcome").fill("Reading age 3 years below her age")
    senco.get_by_role("button", name="Send the request").click()
    assert "Your request has been sent to the council" in senco.locator("main").inner_text()
    assert "Deciding whether to assess" in senco.locator("main").inner_text()
    assert "The legal clock" in senco.locator("main").inner_text()
    assert_accessible(senco)
    case = AssessmentRequest.objects.get(child=child)

    # --- The caseworker sees what the school sent ------------------------------------------
    worker = _page(chromium_browser, live_server)
    sign_in(worker, "casey@la.test", PASSWORD)
    worker.goto(f"/cases/{case.pk}/")
    assert_accessible(worker)
    details = worker.locator("main").inner_text()
    assert "What Testfield Primary sent" in details
    assert "Anne Lovelace, mother" in details
    assert "Reading assessed with the York Assessment of Reading" in details

    # --- The panel decides to assess (its own journey is tested elsewhere); the caseworker
    # asks the school for its educational advice -----------------------------------------
    services.decide_whether_to_assess(
        actor=people["panel"],
        case=case,
        version=None,
        decision=Decision.ASSESS,
        decided_on=today,
        reasons="Evidence of significant needs.",
    )
    worker.reload()
    worker.get_by_role("link", name="Ask for advice").first.click()
    assert_accessible(worker)
    worker.get_by_label("Who to ask for educational advice (the setting)").select_option(
        label="Testfield Primary"
    )
    fill_date(
        worker, "Date the request for educational advice (the setting) was sent", _date(today)
    )
    worker.get_by_role("button", name="Record the requests for advice").click()
    assert_accessible(worker)

    # --- The SENCO gives the advice ----------------------------------------------------------
    senco.get_by_role("link", name="Advice queue").first.click()
    assert_accessible(senco)
    senco.get_by_role("link", name=f"{child.full_name}, {case.reference}").click()
    assert_accessible(senco)
    for kind, section, text in (
        ("Need", "B: special educational needs", "Difficulty decoding unfamiliar words"),
        ("Recommended provision", "F: special educational provision", "Daily small-group phonics"),
    ):
        senco.get_by_role("link", name="Add a need, outcome or provision").click()
        assert_accessible(senco)
        senco.get_by_label(kind, exact=True).check()
        senco.get_by_label("Plan section").select_option(label=section)
        senco.get_by_label("Advice", exact=True).fill(text)
        if kind == "Recommended provision":
            senco.get_by_label("How much (provision only)").fill("20 minutes")
            senco.get_by_label("How often (provision only)").fill("daily")
            senco.get_by_label("Who delivers it (provision only)").fill("a teaching assistant")
        senco.get_by_role("button", name="Add").click()
    senco.get_by_role("link", name="Submit the advice").click()
    assert_accessible(senco)
    senco.get_by_role("button", name="Submit the advice").click()
    assert "Advice submitted to the council." in senco.locator("main").inner_text()
    assert_accessible(senco)

    # --- The caseworker reads it -------------------------------------------------------------
    advice = case.advice_requests.get()
    worker.goto(f"/advice/received/{advice.pk}/")
    assert_accessible(worker)
    received = worker.locator("main").inner_text()
    assert "Daily small-group phonics" in received
    assert "Difficulty decoding unfamiliar words" in received

"""Issue 22: a SENCO makes a request for an EHC needs assessment that starts pre-filled from the
child's support plan (two cycles and the EP's advice), edits it and sends it; the council's
caseworker sees the support plan's cycles, outcomes and advice beside the request, and opens
the plan. Axe on every page (decision 0221)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest
from everychild.support import services
from everychild.support.models import RequestFromSupport
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _reflows_at_320(page) -> None:
    """No sideways scroll on a phone (WCAG 2.2 SC 1.4.10), as tests/browser/test_reflow_320.py
    measures it."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    page.set_viewport_size(size)
    assert width[0] <= width[1] + 1, width


def _plan_with_history(area, school, senco):
    today = timezone.localdate()
    child = factories.ChildFactory(area=area, current_setting=school, first_name="Maya")
    plan = services.start_plan(
        actor=senco,
        child=child,
        started_on=today - dt.timedelta(days=120),
        primary_need="SEMH",
        child_views="I like being near the door.",
        family_views="Mornings are hard for her.",
    )
    plan = services.add_to_thread(
        actor=senco, plan=plan, version=plan.version, kind="needs", fields={"text": "Anxiety"}
    )
    plan = services.add_to_thread(
        actor=senco,
        plan=plan,
        version=plan.version,
        kind="outcomes",
        fields={"text": "Comes into class calmly each morning", "needs": ["b1"]},
    )
    cycle = services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=today - dt.timedelta(days=100),
        assessed="Morning check-ins logged for four weeks",
        planned="A named adult meets her at the gate",
    )
    plan.refresh_from_db()
    services.review_cycle(
        actor=senco,
        cycle=cycle,
        version=plan.version,
        reviewed_on=today - dt.timedelta(days=40),
        done="Met at the gate every morning",
        results={"e1": "progressing"},
        summary="Calmer; keep going",
    )
    plan.refresh_from_db()
    services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=today - dt.timedelta(days=39),
        assessed="Attendance fell to 80%",
        planned="Part-time timetable for two weeks",
    )
    ep_service = factories.EPServiceFactory(area=area, name="Harbour EP Service")
    plan.refresh_from_db()
    asked = services.ask_for_consultation(
        actor=senco,
        plan=plan,
        version=plan.version,
        organisation=ep_service,
        kind="ep",
        question="Attendance is falling despite two cycles. What next?",
    )
    ep = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, ep_service)
    services.answer_consultation(
        actor=ep, consultation=asked, answer="An assessment of her needs is now warranted."
    )
    return plan


def test_a_request_starts_from_the_support_plan_and_the_panel_sees_it(page, live_server):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Harbour Primary School")
    senco = factories.make_user(Role.SENCO, school, email="senco@school.test")
    factories.make_user(Role.CASEWORKER, la, email="caseworker@la.test")
    plan = _plan_with_history(area, school, senco)

    sign_in(page, "senco@school.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/support/{plan.pk}/")
    page.get_by_role(
        "link", name="Request an EHC needs assessment, starting from this plan"
    ).click()
    expect(page.get_by_text("This request starts from Maya")).to_be_visible()
    reason = page.get_by_label("Why the setting is asking for an assessment")
    assert "Primary need: Social, emotional and mental health" in reason.input_value()
    assert page.get_by_label("The family's views").input_value() == "Mornings are hard for her."
    assert (
        "Cycle 1: Met at the gate"
        in page.get_by_label(
            "Step 3: what was assessed, planned, done or reviewed, or whose advice was sought"
        ).input_value()
    )
    assert (
        "Comes into class calmly each morning: Good progress"
        in page.get_by_label("Step 4: outcome").input_value()
    )
    assert "An assessment of her needs" in page.get_by_label("Step 7: outcome").input_value()
    assert_accessible(page)
    _reflows_at_320(page)

    # Sent without the family's agreement: refused, nothing written.
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert not AssessmentRequest.objects.exists()
    # The evidence is still there to send; the SENCO adds to the reason and the agreement.
    reason = page.get_by_label("Why the setting is asking for an assessment")
    reason.fill(reason.input_value() + "\n\nAttendance is now 80%.")
    page.get_by_label("The family knows about this request and agrees to it").check()
    page.get_by_label("Who in the family agreed").fill("Sam Jones, mother")
    fill_date(page, "Date the family agreed", timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request has been sent to the council")).to_be_visible()
    assert_accessible(page)
    case = AssessmentRequest.objects.get()
    assert RequestFromSupport.objects.get(assessment_request=case).plan == plan
    assert "Attendance is now 80%." in case.reason
    page.context.clear_cookies()

    # The caseworker sees the plan's history beside the request, and opens the plan.
    sign_in(page, "caseworker@la.test", TEST_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="SEN support before the request")).to_be_visible()
    expect(page.get_by_text("Met at the gate every morning").first).to_be_visible()
    expect(page.get_by_text("An assessment of her needs is now warranted.").first).to_be_visible()
    assert_accessible(page)
    _reflows_at_320(page)
    page.get_by_role("link", name="Open the support plan").click()
    expect(page.get_by_role("heading", name="Support plan").first).to_be_visible()
    assert_accessible(page)

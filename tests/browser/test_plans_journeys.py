"""Journeys in real Chromium with an axe check (WCAG 2.2 AA) on every page: the caseworker
drafts and issues a plan; the SENCO records a review meeting; the manager decides to amend."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest, Stage
from everychild.plans.models import AnnualReview, EHCPlan, PlanVersion
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = factories.TEST_PASSWORD


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def area_people(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    school = factories.SchoolFactory(area=area, name="Oakfield Primary", urn="654321")
    return {
        "area": area,
        "school": school,
        "caseworker": factories.make_user(Role.CASEWORKER, la, email="casey@la.test"),
        "manager": factories.make_user(Role.TEAM_MANAGER, la, email="tess@la.test"),
        "senco": factories.make_user(Role.SENCO, school, email="senco@school.test"),
    }


def test_caseworker_drafts_and_issues_a_plan(page, area_people):
    child = factories.ChildFactory(
        area=area_people["area"], first_name="Ada", current_setting=area_people["school"]
    )
    case = factories.AssessmentRequestFactory(
        child=child,
        received_on=days_ago(120),
        decision="assess",
        decision_on=days_ago(100),
        stage=Stage.DRAFT_PLAN,
        draft_plan_served_on=days_ago(30),
        decision_to_issue_on=days_ago(30),  # the panel decided to issue (decision 0192)
    )
    factories.AdviceRequestFactory(
        assessment_request=case, received_by_body_on=days_ago(95), provided_on=days_ago(60)
    )
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="The EHC plan: write and check sections A to K").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the draft plan").click()
    assert_accessible(page)
    assert "Section I" not in page.locator(".govuk-warning-text").all_inner_texts()

    draft = PlanVersion.objects.get(document__assessment_request=case)
    page.goto(f"/plans/draft/{draft.pk}/A/")
    assert_accessible(page)
    page.get_by_label("Views, interests and aspirations").fill("Ada loves horses and painting.")
    page.get_by_role("button", name="Save").click()

    page.goto(f"/plans/draft/{draft.pk}/B/")
    page.get_by_label("Primary type of need").select_option("SLCN")
    page.get_by_role("button", name="Save the types of need").click()
    page.goto(f"/plans/draft/{draft.pk}/B/")
    page.get_by_label("Describe the need").fill("Understands only short spoken sentences.")
    page.get_by_role("button", name="Add the need").click()

    page.goto(f"/plans/draft/{draft.pk}/E/")
    assert_accessible(page)
    page.get_by_label("Outcome", exact=True).fill("Will follow a two-step instruction in class")
    page.get_by_label("B: Understands only short spoken sentences.").check()
    fill_date(page, "By when", ddmmyyyy(days_ago(-300)))
    page.get_by_label("How it will be measured").fill("Teacher observation, termly")
    page.get_by_role("button", name="Add").click()

    # Vague provision first: the quality check says so before issue.
    page.goto(f"/plans/draft/{draft.pk}/F/")
    assert_accessible(page)
    page.get_by_label("What the provision is").fill("Access to speech therapy")
    page.get_by_label("How often").fill("as required")
    page.get_by_role("button", name="Add").click()
    assert_accessible(page)
    report = page.locator("#quality ~ .everychild-table-scroll table").first.inner_text()
    assert "says “access to”" in report and "has no quantity" in report
    page.get_by_role("link", name="Remove provision 1 from section F").click()
    # Removing asks first, on a page of its own.
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Remove this from section F?"
    page.get_by_role("button", name="Remove it").click()

    page.goto(f"/plans/draft/{draft.pk}/F/")
    page.get_by_label("What the provision is").fill("Speech and language therapy")
    page.get_by_label("How often").fill("1 session of 30 minutes a week")
    page.get_by_label("For how long").fill("for 1 year")
    page.get_by_label("By whom").fill("Speech and language therapist")
    page.get_by_label("With what qualification").fill("HCPC registered")
    page.get_by_label("Will follow a two-step instruction in class").check()
    page.get_by_role("button", name="Add").click()
    assert "100 out of 100" in page.locator("#quality ~ p").first.inner_text()

    page.get_by_role("link", name="Issue the final plan").click()
    assert_accessible(page)
    fill_date(page, "Date the final plan was issued", ddmmyyyy(days_ago(1)))
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    assert AssessmentRequest.objects.get(pk=case.pk).stage == Stage.PLAN_ISSUED
    plan = EHCPlan.objects.get(assessment_request=case)
    assert (plan.primary_need, plan.setting_id) == ("SLCN", area_people["school"].pk)

    page.goto(f"/plans/{plan.pk}/")
    assert_accessible(page)
    assert "Final, issued" in page.locator("table").first.inner_text()
    page.get_by_role("link", name="Read version 1").click()
    assert_accessible(page)
    assert "Speech and language therapy" in page.content()


def test_senco_records_a_review_meeting(page, area_people):
    child = factories.ChildFactory(
        area=area_people["area"], first_name="Ben", current_setting=area_people["school"]
    )
    plan = factories.issued_plan(child, issued_on=days_ago(380))
    sign_in(page, "senco@school.test", PASSWORD)
    page.goto("/plans/reviews/my-pupils/")
    assert_accessible(page)
    pupils = page.get_by_role("table", name="Pupils with EHC plans")
    assert "overdue" in pupils.inner_text()
    page.get_by_role("link", name=f"Record the meeting for {child.full_name}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # nothing typed: the error summary
    assert_accessible(page)
    assert "There is a problem" in page.content()
    fill_date(page, "Date of the review meeting", ddmmyyyy(days_ago(3)))
    fill_date(page, "Date invitations were sent", ddmmyyyy(days_ago(20)))
    page.get_by_label("Who attended").fill("Mother, SENCO, class teacher")
    page.get_by_label("The child's and family's views").fill("Ben is happy and wants to swim.")
    page.get_by_label("Progress towards the outcomes").fill("Reading outcome met.")
    page.get_by_label("Amend the plan").check()
    page.get_by_label("Changes recommended to the plan").fill("New reading outcome.")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    assert page.url.endswith("/plans/reviews/my-pupils/")
    plan.refresh_from_db()
    assert plan.last_review_meeting_on == days_ago(3)
    assert "overdue" not in page.get_by_role("table", name="Pupils with EHC plans").inner_text()


def test_manager_decides_to_amend(page, area_people):
    child = factories.ChildFactory(
        area=area_people["area"], first_name="Cara", current_setting=area_people["school"]
    )
    plan = factories.issued_plan(child, issued_on=days_ago(380))
    review = AnnualReview.objects.create(
        plan=plan,
        due_on=days_ago(15),
        meeting_on=days_ago(5),
        attendees="Family, SENCO",
        views_summary="Wants more help with writing",
        progress_summary="Good",
        recommendation="amend",
        recommended_changes="Add typing lessons",
    )
    sign_in(page, "tess@la.test", PASSWORD)
    page.goto("/plans/reviews/")
    assert_accessible(page)
    page.get_by_role("link", name=child.full_name).last.click()
    assert_accessible(page)
    page.get_by_label("Amend the plan").check()
    fill_date(page, "Date of the decision", ddmmyyyy(days_ago(1)))
    page.get_by_label("Reasons for the decision").fill("The review recommends more support.")
    page.get_by_role("button", name="Record the decision").click()
    assert_accessible(page)
    review.refresh_from_db()
    assert review.decision == "amend" and review.amended_version.number == 2
    page.get_by_role("link", name="Write the amendments").click()
    assert_accessible(page)
    assert "Amendment to the EHC plan" in page.locator("h1").first.inner_text()
    page.goto(f"/plans/{plan.pk}/compare/")
    assert_accessible(page)


def test_caseworker_records_a_transfer_a_mediation_agreement_and_a_recommendation(
    page, area_people
):
    """Issue 16's processes on the pages: a plan transferred in (reg 15), what was agreed at
    mediation (reg 42), the Tribunal's recommendation and its answer (2017 Regulations)."""
    child = factories.ChildFactory(
        area=area_people["area"], first_name="Dev", current_setting=area_people["school"]
    )
    plan = factories.issued_plan(child, issued_on=days_ago(400))
    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="Record a transfer from another council").click()
    assert_accessible(page)
    page.get_by_label("Council the plan came from").fill("Dorset Council")
    fill_date(page, "Date the child moved into the area", ddmmyyyy(days_ago(30)))
    fill_date(page, "Date the plan was transferred to us", ddmmyyyy(days_ago(20)))
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    assert "Transferred from Dorset Council" in page.content()
    assert "Review a plan transferred from another council" in page.content()

    page.get_by_role("link", name="Record a disagreement").click()
    page.get_by_label("Another decision", exact=True).check()
    page.get_by_label("If another decision, what was decided").fill("School named")
    fill_date(page, "If another decision, the date of its letter", ddmmyyyy(days_ago(60)))
    page.get_by_role("button", name="Save").click()
    fill_date(page, "LA told the family wants mediation", ddmmyyyy(days_ago(55)))
    fill_date(page, "Mediation held", ddmmyyyy(days_ago(50)))
    page.get_by_role("button", name="Save", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Something else (2 weeks)").check()
    fill_date(page, "Date of the agreement", ddmmyyyy(days_ago(50)))
    page.get_by_label("What was agreed").fill("Visit the new school together")
    page.get_by_role("button", name="Save the agreement").click()
    assert_accessible(page)
    assert "Do what was agreed at mediation" in page.content()
    page.get_by_text("Record a recommendation").click()
    page.get_by_label("Health (an NHS commissioning body)").check()
    page.get_by_label("Name of the body").fill("NHS Dorset")
    page.get_by_label("What the Tribunal recommended").fill("Occupational therapy")
    fill_date(page, "Date of the Tribunal's decision", ddmmyyyy(days_ago(10)))
    page.get_by_role("button", name="Record the recommendation").click()
    assert_accessible(page)
    fill_date(page, "Date the body answered", ddmmyyyy(days_ago(1)))
    page.get_by_label("What the body will do, and why").fill("Therapy from next month")
    page.get_by_role("button", name="Record the answer from NHS Dorset").click()
    assert_accessible(page)
    assert "Answered" in page.content()
    # The lists that now carry these processes.
    for url in ("/plans/phase-transfers/", "/plans/reviews/", "/plans/disagreements/"):
        page.goto(url)
        assert_accessible(page)

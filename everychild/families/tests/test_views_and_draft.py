"""Views for section A (drafts until sent; files checked) and comments on the draft plan
within the family's 15 days, locked after."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.families import selectors
from everychild.families.models import DraftPlanResponse, ViewsStatement
from everychild.testing import factories

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def family_case(cases, area, parent_of):
    child = factories.ChildFactory(area=area)
    case = cases.with_draft(child, draft_days_ago=3)
    return parent_of(child), case


def test_the_views_page_says_what_section_a_is_to_a_parent_and_to_a_young_person(
    client, cases, area, parent_of
):
    child = factories.ChildFactory(area=area)
    case = cases.assessing(child)
    client.force_login(parent_of(child))
    page = html.unescape(client.get(reverse("families:views", args=[case.pk])).content.decode())
    assert "What you tell us goes into section A of the plan. Section A is about your child " in (
        page
    )
    assert "your child's views, interests and hopes for the future, and yours" in page
    assert "in your own words. It is the first part of the plan" in page

    born = timezone.localdate().replace(year=timezone.localdate().year - 19)
    young = factories.ChildFactory(area=area, date_of_birth=born)
    young.own_account = factories.make_user(Role.YOUNG_PERSON)
    young.save()
    own = cases.assessing(young)
    client.force_login(young.own_account)
    page = html.unescape(client.get(reverse("families:views", args=[own.pk])).content.decode())
    assert "Section A is about you: your views, interests and hopes for the future" in page
    assert "your child" not in page.lower()


def test_views_stay_a_draft_until_sent_then_the_caseworker_sees_them(
    client, family_case, caseworker
):
    parent, case = family_case
    client.force_login(parent)
    url = reverse("families:views-edit", args=[case.pk, "child"])
    client.post(url, {"about": "I love trains and drawing.", "hopes": "To go to college."})
    statement = ViewsStatement.objects.get()
    assert not statement.is_sent and selectors.family_views_for(case) == []
    client.force_login(caseworker)
    staff_page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "I love trains" not in staff_page
    client.force_login(parent)
    client.post(
        reverse("families:views-upload", args=[case.pk, "child"]),
        {"file": SimpleUploadedFile("drawing.png", PNG, content_type="image/png")},
    )
    response = client.post(url, {"about": "I love trains and drawing.", "send": "1"})
    assert response.status_code == 302
    views = selectors.family_views_for(case)
    assert views[0].answers[0] == ("About me", "I love trains and drawing.")
    assert views[0].attachments[0].original_name == "drawing.png"
    client.force_login(caseworker)
    staff_page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "I love trains and drawing." in staff_page and "drawing.png" in staff_page
    # Sent views cannot be changed.
    client.force_login(parent)
    client.post(url, {"about": "changed", "send": "1"})
    assert ViewsStatement.objects.get().about == "I love trains and drawing."


def test_a_wrong_file_is_refused_with_the_reason(client, family_case):
    parent, case = family_case
    client.force_login(parent)
    response = client.post(
        reverse("families:views-upload", args=[case.pk, "parent"]),
        {"file": SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image")},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file must be a PDF, a Word document (.docx), a JPEG or a PNG" in page


def test_a_file_over_the_limit_is_refused_with_the_reason(client, family_case, settings):
    settings.EVERYCHILD_MAX_UPLOAD_BYTES = 1024 * 1024
    parent, case = family_case
    client.force_login(parent)
    response = client.post(
        reverse("families:views-upload", args=[case.pk, "parent"]),
        {"file": SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024 + 10))},
    )
    assert "The file must be smaller than 1 MB" in response.content.decode()


def test_comments_by_section_within_the_window_reach_the_caseworker(
    client, family_case, caseworker
):
    parent, case = family_case
    client.force_login(parent)
    url = reverse("families:draft", args=[case.pk])
    page = client.get(url).content.decode()
    assert "left to comment" in page and "Section K" in page
    # The draft itself, section by section, marked as a draft.
    assert "Draft education, health and care plan" in page
    assert "DRAFT: this is not a final EHC plan" in page
    client.post(
        url,
        {
            "section_B": "Her reading needs are missing.",
            "section_I": "We want Seaview Primary.",
            "wants_meeting": "on",
            "preferred_setting": "Seaview Primary",
            "send": "1",
        },
    )
    response = DraftPlanResponse.objects.get()
    assert response.comments == {
        "B": "Her reading needs are missing.",
        "I": "We want Seaview Primary.",
    }
    assert response.wants_meeting and response.sent_at is not None
    client.force_login(caseworker)
    staff_page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "Her reading needs are missing." in staff_page and "Asked for a meeting" in staff_page


def test_after_the_15_days_comments_lock_and_the_family_is_told_why(client, cases, area, parent_of):
    child = factories.ChildFactory(area=area)
    case = cases.with_draft(child, draft_days_ago=20)
    parent = parent_of(child)
    client.force_login(parent)
    url = reverse("families:draft", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Comments are closed" in page and "The 15 days to comment ended" in page
    assert 'name="section_A"' not in page
    response = client.post(url, {"section_A": "Too late", "send": "1"})
    assert "comments are closed" in response.content.decode()
    assert not DraftPlanResponse.objects.exists()


def test_on_the_last_of_the_15_days_the_family_is_told_today_is_the_last_day(
    client, cases, area, parent_of
):
    """The 15 days begin with the day the draft was served (reg 13(1)): served 14 days ago,
    today is the 15th and last day, and the family may still comment."""
    child = factories.ChildFactory(area=area)
    case = cases.with_draft(child, draft_days_ago=14)
    client.force_login(parent_of(child))
    for name in ("case", "draft"):
        page = client.get(reverse(f"families:{name}", args=[case.pk])).content.decode()
        assert "is the last day to comment" in page and "0 days" not in page
    assert 'name="section_A"' in page
    case = cases.with_draft(factories.ChildFactory(area=area), draft_days_ago=0)
    client.force_login(parent_of(case.child))
    page = client.get(reverse("families:draft", args=[case.pk])).content.decode()
    assert "15 days</strong> left to comment, including today" in page


def test_the_family_reads_only_the_documents_shared_with_them(client, family_case, caseworker):
    from everychild.casework import services as casework

    parent, case = family_case
    pdf = b"%PDF-1.4 draft plan"
    draft = casework.upload_document(
        actor=caseworker,
        case=case,
        upload=SimpleUploadedFile("draft.pdf", pdf),
        title="Draft EHC plan",
    )
    internal = casework.upload_document(
        actor=caseworker,
        case=case,
        upload=SimpleUploadedFile("internal.pdf", pdf),
        title="Internal panel paper",
    )
    client.force_login(parent)
    page = client.get(reverse("families:draft", args=[case.pk])).content.decode()
    assert "Draft EHC plan" not in page
    client.force_login(caseworker)
    staff_page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert 'Share<span class="govuk-visually-hidden"> Draft EHC plan' in staff_page
    client.post(reverse("families:share", args=[case.pk, draft.pk]))
    client.force_login(parent)
    page = client.get(reverse("families:draft", args=[case.pk])).content.decode()
    assert "Draft EHC plan" in page and "Internal panel paper" not in page
    download = client.get(reverse("families:document", args=[case.pk, draft.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    hidden = client.get(reverse("families:document", args=[case.pk, internal.pk]))
    assert hidden.status_code == 404


def test_the_family_gives_views_before_each_annual_review(
    client, cases, area, parent_of, caseworker
):
    from everychild.plans import services as plans
    from everychild.plans.models import AnnualReview

    child = factories.ChildFactory(area=area)
    parent = parent_of(child)
    case = cases.with_draft(child, draft_days_ago=20)
    case = plans.issue_final_plan(
        actor=caseworker, case=case, version=None, issued_on=timezone.localdate()
    )
    review = AnnualReview.objects.create(
        plan=case.plan, due_on=timezone.localdate() + dt.timedelta(days=300)
    )
    client.force_login(parent)
    plan_page = client.get(reverse("families:plan", args=[case.pk])).content.decode()
    assert "new plan after an EHC needs assessment" in plan_page  # not "an ehc needs"
    link = reverse("families:review-views", args=[case.pk, review.pk])
    assert link in plan_page and "Tell us your views before the review" in plan_page
    edit = reverse("families:review-views-edit", args=[case.pk, review.pk, "parent"])
    response = client.post(edit, {"about": "He has settled well this year.", "send": "1"})
    assert response.status_code == 302
    statement = ViewsStatement.objects.get(review=review)
    assert statement.is_sent and statement.assessment_request == case
    # Views for a review are not section A's (the assessment's) views.
    assert selectors.family_views_for(case) == []
    client.force_login(caseworker)
    review_page = client.get(reverse("plans:review", args=[review.pk])).content.decode()
    assert "He has settled well this year." in review_page
    # Once the meeting has been held, views for it are closed, with the reason.
    AnnualReview.objects.filter(pk=review.pk).update(meeting_on=timezone.localdate())
    client.force_login(parent)
    child_page = reverse("families:review-views-edit", args=[case.pk, review.pk, "child"])
    refused = client.post(child_page, {"about": "Late", "send": "1"})
    assert "The review meeting has been held" in html.unescape(refused.content.decode())
    assert ViewsStatement.objects.filter(review=review).count() == 1
    # Another family's review cannot be reached through this case.
    other = factories.EHCPlanFactory(child__area=area)
    elsewhere = AnnualReview.objects.create(plan=other, due_on=timezone.localdate())
    missing = reverse("families:review-views", args=[case.pk, elsewhere.pk])
    assert client.get(missing).status_code == 404

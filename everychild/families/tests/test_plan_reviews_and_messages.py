"""Issue 20, families: the issued plan only (never a draft), every read audited; "Where are
we?" never gives a past date as the next one; a young person is "you"; comments can be sent
again until the 15 days end; messages to the caseworker are kept and announced without the
child's details."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from everychild.access.models import AuditAction, AuditEntry
from everychild.accounts.models import Role
from everychild.advice.models import AdviceWork
from everychild.casework.models import AdviceKind
from everychild.families import selectors, services
from everychild.families.forms import ViewsForm
from everychild.families.models import DraftPlanResponse, FamilyMessage
from everychild.notifications.models import Message
from everychild.plans import services as plans
from everychild.plans.models import AnnualReview, EHCPlan, PlanVersion
from everychild.testing import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def issued_case(cases, caseworker, child=None, *, issued_days_ago=10, draft_days_ago=30):
    case = cases.with_draft(
        child, draft_days_ago=draft_days_ago, received_days_ago=draft_days_ago + 90
    )
    return plans.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=days_ago(issued_days_ago)
    )


def test_a_family_reads_issued_versions_only_and_each_read_is_audited(
    cases, caseworker, area, parent_of
):
    child = factories.ChildFactory(area=area)
    case = issued_case(cases, caseworker, child)
    first = PlanVersion.objects.get(document__assessment_request=case)
    PlanVersion.objects.create(document=first.document, number=2, sections=first.sections)
    parent = parent_of(child)

    assert [v.number for v in selectors.issued_versions(case)] == [1]
    _case, version = selectors.issued_version_for_family(parent, case.pk, 1)
    assert version == first
    with pytest.raises(PlanVersion.DoesNotExist):
        selectors.issued_version_for_family(parent, case.pk, 2)
    stranger = parent_of(factories.ChildFactory(area=area))
    with pytest.raises(Exception, match="does not exist"):
        selectors.issued_version_for_family(stranger, case.pk, 1)
    selectors.issued_version_for_family(parent, case.pk, 1, download=True)
    entries = AuditEntry.objects.filter(actor=parent, record_type="plans.PlanVersion")
    assert sorted(entries.values_list("action", flat=True)) == sorted(
        [AuditAction.VIEW, AuditAction.DOWNLOAD]
    )


def test_a_late_review_is_never_the_next_legal_date(cases, caseworker, area):
    case = issued_case(cases, caseworker, issued_days_ago=400, draft_days_ago=420)
    where = selectors.where_are_we(case)
    assert where.review_late
    assert where.next_date is None
    assert "late" in where.missed[0] and "sorry" in where.missed[0]
    assert "complain to the council" in where.missed[0]


def test_a_review_scheduled_by_the_plans_module_gives_the_next_date(cases, caseworker, area):
    case = issued_case(cases, caseworker, issued_days_ago=400, draft_days_ago=420)
    plan = EHCPlan.objects.get(assessment_request=case)
    AnnualReview.objects.create(plan=plan, due_on=days_ago(-30))
    where = selectors.where_are_we(case)
    assert not where.review_late and where.next_date == days_ago(-30)


def test_a_passed_decision_date_is_late_not_next(cases, area):
    case = cases.request(received_days_ago=60)  # no decision within 6 weeks
    where = selectors.where_are_we(case)
    assert where.next_date is None or where.next_date >= timezone.localdate()
    assert "did not tell you our decision in time" in where.missed[0]


def test_a_young_person_is_spoken_to_as_you(cases, area):
    born = timezone.localdate().replace(year=timezone.localdate().year - 18)
    young = factories.ChildFactory(area=area, date_of_birth=born)
    young.own_account = factories.make_user(Role.YOUNG_PERSON)
    young.save()
    case = cases.request(young, received_days_ago=5)
    where = selectors.where_are_we(case, user=young.own_account)
    words = " ".join([where.explanation, *(a["text"] for a in where.can_do)])
    assert "what help you need" in where.explanation
    assert "your child" not in words.lower()
    parent_view = selectors.where_are_we(case, user=factories.FamilyLinkFactory(child=young).user)
    assert "what help your child needs" in parent_view.explanation


def test_a_parents_page_of_views_asks_a_parents_questions():
    parent_form = ViewsForm(kind="parent")
    child_form = ViewsForm(kind="child")
    assert parent_form.fields["about"].label == "About your child"
    assert child_form.fields["about"].label == "About me"
    assert "me" not in parent_form.fields["how_to_help"].label.split()


def test_comments_can_be_sent_again_until_the_15_days_end(
    cases, area, parent_of, django_capture_on_commit_callbacks
):
    child = factories.ChildFactory(area=area)
    case = cases.with_draft(child, draft_days_ago=3)
    parent = parent_of(child)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_draft_response(actor=parent, case=case, comments={"B": "One."}, send=True)
        services.save_draft_response(actor=parent, case=case, comments={"F": "Two."}, send=True)
    sent = selectors.sent_responses_for(parent, case)
    assert [r.comments for r in sent] == [{"B": "One."}, {"F": "Two."}]
    assert len(selectors.draft_responses_for(case)) == 2
    confirmations = Message.objects.filter(template="family_comments_received", to=parent.email)
    assert confirmations.count() == 2
    assert child.first_name not in confirmations.first().body

    late = cases.with_draft(factories.ChildFactory(area=area), draft_days_ago=20)
    late_parent = parent_of(late.child)
    with pytest.raises(ValidationError):
        services.save_draft_response(
            actor=late_parent, case=late, comments={"B": "Too late."}, send=True
        )
    assert not DraftPlanResponse.objects.filter(assessment_request=late).exists()


def test_a_message_is_kept_and_the_caseworker_told_without_the_childs_details(
    cases, area, parent_of, caseworker, la, django_capture_on_commit_callbacks
):
    child = factories.ChildFactory(area=area, first_name="Zebedee")
    case = cases.request(child, received_days_ago=5)
    parent = parent_of(child)
    with pytest.raises(ValidationError):
        services.send_message(actor=parent, case=case, body="   ")
    assert not FamilyMessage.objects.exists()

    # With no caseworker allocated, the team's managers are told.
    manager = factories.make_user(Role.TEAM_MANAGER, la, email="manager@la.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(actor=parent, case=case, body="Zebedee is unwell this week.")
    told = Message.objects.get(template="family_message_received")
    assert told.to == manager.email
    assert "Zebedee" not in told.body and "unwell" not in told.body
    assert case.reference in told.body

    case.caseworker = caseworker
    case.save(update_fields=["caseworker"])
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(actor=parent, case=case, body="Any news?")
    assert Message.objects.filter(template="family_message_received", to=caseworker.email).exists()
    stranger = parent_of(factories.ChildFactory(area=area))
    with pytest.raises(Exception, match="not one of your"):
        services.send_message(actor=stranger, case=case, body="Hello")
    assert FamilyMessage.objects.count() == 2


def test_the_caseworker_sees_the_familys_messages_on_the_case_page(
    client, cases, area, parent_of, caseworker
):
    child = factories.ChildFactory(area=area)
    case = cases.request(child, received_days_ago=5)
    services.send_message(actor=parent_of(child), case=case, body="Please call me after 3pm.")
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "Messages from the family" in page and "Please call me after 3pm." in page


def test_a_closed_window_still_shows_what_was_sent(client, cases, area, parent_of):
    child = factories.ChildFactory(area=area)
    case = cases.with_draft(child, draft_days_ago=20)
    parent = parent_of(child)
    DraftPlanResponse.objects.create(
        assessment_request=case,
        author=parent,
        comments={"B": "Kept."},
        sent_at=timezone.now() - dt.timedelta(days=10),
    )
    client.force_login(parent)
    page = client.get(reverse("families:draft", args=[case.pk])).content.decode()
    assert "Kept." in page and "Send my" not in page
    assert "Comments are closed" in page


def test_before_a_caseworker_is_given_the_family_writes_to_the_send_team_not_a_caseworker(
    client, cases, area, parent_of, caseworker
):
    child = factories.ChildFactory(area=area)
    case = cases.request(child, received_days_ago=5)
    client.force_login(parent_of(child))
    where = client.get(reverse("families:case", args=[case.pk])).content.decode()
    assert "We have not given this request a caseworker yet" in where
    assert "Send a message to the SEND team" in where
    assert "to your caseworker" not in where  # the link and "What you can do now"
    writing = client.get(reverse("families:message", args=[case.pk])).content.decode()
    assert '<h1 class="govuk-heading-l">Send a message to the SEND team</h1>' in writing
    sent = client.post(
        reverse("families:message", args=[case.pk]), {"body": "Any news?"}, follow=True
    )
    assert "Your message has been sent to the SEND team." in sent.content.decode()

    case.caseworker = caseworker
    case.save(update_fields=["caseworker"])
    where = client.get(reverse("families:case", args=[case.pk])).content.decode()
    assert "Send a message to your caseworker" in where and "SEND team" not in where


def test_too_long_a_message_or_answer_says_its_limit_as_5000_is_written(
    client, cases, area, parent_of
):
    child = factories.ChildFactory(area=area)
    case = cases.with_draft(child, draft_days_ago=3)
    client.force_login(parent_of(child))
    message = client.post(reverse("families:message", args=[case.pk]), {"body": "m" * 5001})
    assert "Your message must be 5,000 characters or fewer." in message.content.decode()
    comments = client.post(
        reverse("families:draft", args=[case.pk]), {"section_B": "c" * 5001}
    ).content.decode()
    assert "Your comments on section B must be 5,000 characters or fewer." in comments
    views = ViewsForm({"about": "v" * 5001}, kind="child")
    about = "Your answer for “About me” must be 5,000 characters or fewer."
    assert views.errors["about"] == [about]


def test_the_plan_page_lists_all_the_advice_received_in_the_readers_words(
    client, cases, caseworker, area
):
    child = factories.ChildFactory(area=area)
    case = issued_case(cases, caseworker, child)
    # The school's advice came through the advice portal, with a summary; the educational
    # psychologist's was recorded as received by the caseworker (cases.with_draft).
    school = factories.AdviceRequestFactory(
        assessment_request=case,
        kind=AdviceKind.EDUCATION,
        organisation=factories.SchoolFactory(area=area),
        provided_on=days_ago(40),
    )
    AdviceWork.objects.create(
        advice_request=school, submitted_on=days_ago(40), summary="Reads well one to one."
    )
    parent = factories.FamilyLinkFactory(child=child).user
    client.force_login(parent)
    page = client.get(reverse("families:plan", args=[case.pk])).content.decode()
    assert "Psychological advice from the educational psychology service, received" in page
    assert "from your child&#x27;s school or setting" in page and "{childs}" not in page
    assert "Reads well one to one." in page
    assert "The advice is listed in section K of the plan" not in page


def test_once_the_final_plan_is_issued_the_draft_page_no_longer_says_to_wait_for_it(
    client, cases, caseworker, area
):
    child = factories.ChildFactory(area=area)
    case = issued_case(cases, caseworker, child)
    client.force_login(factories.FamilyLinkFactory(child=child).user)
    page = client.get(reverse("families:draft", args=[case.pk])).content.decode()
    assert "the final plan has been issued" in page
    assert "When the final plan is issued" not in page
    assert "If you disagree with the final plan" in page
    assert reverse("families:plan", args=[case.pk]) in page

"""The family's plan page, walked as a parent and as a young person: each annual review read in
their own words (no staff table, regulation numbers or staff names); after a decision to amend,
the next legal date is the amendment's (reg 22), not the next annual review; and once a plan,
an amended plan or a decision to cease is sent, the last days to contact a mediation adviser
and to appeal, with GOV.UK's guide."""

import re

import pytest

from everychild.accounts.models import Role
from everychild.core.prose import long_date
from everychild.plans import services as plans
from everychild.plans.models import EHCPlan
from everychild.statutory import deadlines
from everychild.testing import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db

APPEAL_GUIDE = "https://www.gov.uk/appeal-ehc-plan-decision"


def page_text(client, user, case) -> str:
    client.force_login(user)
    response = client.get(f"/family/cases/{case.pk}/plan/")
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    text = re.sub(r"\s+([.,:;])", r"\1", re.sub(r"\s+", " ", text))
    return text.replace("&#x27;", "'")


@pytest.fixture
def issued(cases, caseworker, area):
    """A plan issued `issued_days_ago` for a child at school, with the SENCO who runs its
    reviews (a staff name the family must never see)."""

    def make(child=None, *, issued_days_ago=360):
        school = factories.SchoolFactory(area=area)
        child = child or factories.ChildFactory(area=area, current_setting=school)
        child.current_setting = school
        child.save()
        case = cases.with_draft(
            child, draft_days_ago=issued_days_ago + 40, received_days_ago=issued_days_ago + 130
        )
        case = plans.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(issued_days_ago)
        )
        senco = factories.make_user(Role.SENCO, school, full_name="Sunita Senco")
        return case, EHCPlan.objects.get(assessment_request=case), senco

    return make


def held_and_decided(plan, senco, caseworker, decision, *, met_days_ago=20):
    plans.send_review_invitations(
        actor=senco,
        plan=plan,
        meeting_on=days_ago(met_days_ago),
        sent_on=days_ago(met_days_ago + 15),
        invitees=[("parent", "Parent"), ("school", "The school"), ("health", "Dr Hettie Health")],
    )
    review = plans.record_review_meeting(
        actor=senco,
        plan=plan,
        meeting_on=days_ago(met_days_ago),
        invitations_sent_on=None,
        advice_circulated_on=None,
        attendees="Parent, SENCO",
        views_summary="Happy at school",
        progress_summary="Good progress",
        recommendation=decision,
        recommended_changes="Update section F for reading." if decision == "amend" else "",
    )
    return plans.decide_after_review(
        actor=caseworker,
        review=review,
        decision=decision,
        decided_on=days_ago(met_days_ago - 5),
        reasons="Reading has moved on; section F needs changing.",
    )


def changes_proposed(plan, senco, caseworker, *, sent_days_ago):
    """A review decided to amend the plan and the proposed changes sent (reg 22(2))."""
    review = held_and_decided(plan, senco, caseworker, "amend")
    return plans.send_proposed_amendments(
        actor=caseworker, review=review, sent_on=days_ago(sent_days_ago)
    )


def test_a_parent_reads_each_review_in_their_own_words_without_staff_detail(
    client, issued, caseworker, parent_of
):
    case, plan, senco = issued()
    parent = parent_of(case.child)
    held_and_decided(plan, senco, caseworker, "amend")

    text = page_text(client, parent, case)

    assert f"The review meeting was held on {long_date(days_ago(20))}." in text
    assert "We did not receive your views before the meeting." in text
    assert f"On {long_date(days_ago(15))} we decided to change (amend) your child's plan." in text
    assert "We will send you the changes we propose." in text
    # Nothing of the staff table: no third-person wording, regulations, names or counts.
    for staff_only in (
        "the family write their views",
        "SEND Regulations",
        "reg 20",
        "Children and Families Act",
        "Sunita Senco",
        "Dr Hettie Health",
        "professionals",
        "Step by step",
    ):
        assert staff_only not in text, staff_only


def test_a_young_person_reads_their_review_as_you(client, issued, caseworker, young_person):
    young = young_person()
    case, plan, senco = issued(young)
    held_and_decided(plan, senco, caseworker, "maintain")

    text = page_text(client, young.own_account, case)

    assert f"On {long_date(days_ago(15))} we decided to keep your plan as it is." in text
    assert "Your plan stays as it is until the next review." in text
    assert "your child" not in text.lower()


def test_after_a_decision_to_amend_the_next_legal_date_is_the_amendments_not_the_review(
    client, issued, caseworker, parent_of
):
    case, plan, senco = issued()
    parent = parent_of(case.child)
    review = changes_proposed(plan, senco, caseworker, sent_days_ago=3)
    comments_close = deadlines.amendment_comments_close(days_ago(3))
    amended_by = deadlines.amended_plan_due(days_ago(3))

    text = page_text(client, parent, case)

    assert (
        f"The next legal date {long_date(comments_close)}: this is the last day you can tell us "
        "what you think of the changes we propose to the plan. We must then send you the "
        f"amended plan by {long_date(amended_by)}." in text
    )
    assert "the latest date for the next annual review" not in text
    assert f"You can tell us what you think until {long_date(comments_close)}." in text
    assert "Send your comments to" in text

    # Once the 15 days are over, the amended plan is what must come next.
    review.amendments_sent_on = days_ago(20)
    review.save(update_fields=["amendments_sent_on"])
    text = page_text(client, parent, case)
    assert (
        f"The next legal date {long_date(deadlines.amended_plan_due(days_ago(20)))}: this is the "
        "last day we can send you the amended plan" in text
    )
    assert "Send your comments" not in text


def test_once_the_final_plan_is_issued_the_family_is_told_when_to_appeal(client, issued, parent_of):
    case, _plan, _senco = issued(issued_days_ago=10)
    parent = parent_of(case.child)

    text = page_text(client, parent, case)

    assert "If you disagree with the final plan" in text
    mediation_by = deadlines.mediation_contact_due(days_ago(10))
    appeal_by = deadlines.appeal_deadline(days_ago(10))
    assert f"Contact a mediation adviser by {long_date(mediation_by)}." in text
    assert f"Appeal by {long_date(appeal_by)}. Your appeal must reach the SEND Tribunal" in text
    assert "only want to appeal about the school or other place named in section I" in text
    client.force_login(parent)
    assert APPEAL_GUIDE in client.get(f"/family/cases/{case.pk}/plan/").content.decode()


def test_a_mediation_certificate_the_caseworker_recorded_gives_the_later_appeal_date(
    client, issued, caseworker, parent_of
):
    case, plan, _senco = issued(issued_days_ago=40)
    parent = parent_of(case.child)
    disagreement = plans.record_disagreement(
        actor=caseworker,
        plan=plan,
        decision_disputed="The final plan",
        decision_letter_on=days_ago(40),
    )
    plans.update_disagreement(
        actor=caseworker, disagreement=disagreement, mediation_certificate_on=days_ago(2)
    )

    text = page_text(client, parent, case)

    later = deadlines.appeal_deadline(days_ago(40), days_ago(2))
    assert later > deadlines.appeal_deadline(days_ago(40))
    assert f"Appeal by {long_date(later)}." in text


def test_a_decision_to_cease_is_appealable_and_a_passed_deadline_is_not_shown(
    client, issued, caseworker, parent_of
):
    case, plan, _senco = issued(issued_days_ago=400)
    parent = parent_of(case.child)
    assert "If you disagree" not in page_text(client, parent, case)

    plans.cease_plan(
        actor=caseworker,
        plan=plan,
        reason="2",
        decided_on=days_ago(6),
        notice_sent_on=days_ago(5),
        ceases_on=days_ago(-30),
        explanation="Needs are now met without a plan.",
    )
    text = page_text(client, parent, case)

    assert "If you disagree with the decision to end the plan" in text
    assert f"Appeal by {long_date(deadlines.appeal_deadline(days_ago(5)))}." in text
    assert "section I" not in text


# --- A review's decision not to change the plan (CFA 2014 s.51(2)(e)) ----------------------


def shows_the_appeal_dates_from(text: str, sent_on) -> None:
    mediation_by = deadlines.mediation_contact_due(sent_on)
    assert f"Contact a mediation adviser by {long_date(mediation_by)}." in text
    assert f"Appeal by {long_date(deadlines.appeal_deadline(sent_on))}." in text


def test_after_a_review_keeps_the_plan_as_it_is_the_family_is_told_when_to_appeal(
    client, issued, caseworker, young_person
):
    young = young_person()
    case, plan, senco = issued(young)
    held_and_decided(plan, senco, caseworker, "maintain")

    text = page_text(client, young.own_account, case)

    assert "If you disagree with the decision to keep the plan as it is" in text
    assert (
        f"We sent you the decision to keep the plan as it is on {long_date(days_ago(15))}." in text
    )
    shows_the_appeal_dates_from(text, days_ago(15))
    assert "section I" in text  # the plan stands: its named school can be appealed alone


def test_a_decision_to_keep_the_plan_is_not_shown_once_the_time_to_appeal_has_passed(
    client, issued, caseworker, parent_of
):
    case, plan, senco = issued()
    parent = parent_of(case.child)
    held_and_decided(plan, senco, caseworker, "maintain", met_days_ago=120)

    text = page_text(client, parent, case)

    assert "keep your child's plan as it is" in text
    assert "If you disagree" not in text
    assert "Appeal by" not in text


def test_not_changing_the_plan_after_proposing_changes_is_appealable(
    client, issued, caseworker, parent_of
):
    case, plan, senco = issued()
    parent = parent_of(case.child)
    review = changes_proposed(plan, senco, caseworker, sent_days_ago=12)
    plans.decide_not_to_amend(
        actor=caseworker,
        review=review,
        decided_on=days_ago(4),
        reasons="Your comments showed section F already covers the reading support.",
    )

    text = page_text(client, parent, case)

    assert "If you disagree with the decision not to change the plan after all" in text
    shows_the_appeal_dates_from(text, days_ago(4))


def test_a_later_amended_plan_takes_the_place_of_the_decision_to_keep_it(
    client, issued, caseworker, parent_of
):
    case, plan, senco = issued()
    parent = parent_of(case.child)
    held_and_decided(plan, senco, caseworker, "maintain")
    draft = plans.start_amendment(actor=caseworker, plan=plan, reason="other")
    plans.issue_amendment(actor=caseworker, draft=draft, issued_on=days_ago(2))

    text = page_text(client, parent, case)

    assert "If you disagree with the amended plan" in text
    assert "If you disagree with the decision to keep" not in text
    shows_the_appeal_dates_from(text, days_ago(2))


def test_a_caseworker_records_a_disagreement_with_the_decision_and_both_sides_read_one_date(
    client, issued, caseworker, parent_of
):
    case, plan, senco = issued()
    parent = parent_of(case.child)
    held_and_decided(plan, senco, caseworker, "maintain", met_days_ago=45)
    decided = days_ago(40)
    client.force_login(caseworker)
    form = client.get(f"/plans/{plan.pk}/disagreements/new/").content.decode()
    assert f"The decision to keep the plan as it is, sent {long_date(decided)}" in form
    choice = re.search(
        r'value="(\w+)"[^>]*>\s*<label[^>]*>\s*The decision to keep the plan as it is', form
    ).group(1)

    response = client.post(f"/plans/{plan.pk}/disagreements/new/", {"decision": choice})
    assert response.status_code == 302
    staff_page = client.get(response["Location"]).content.decode()
    assert "The decision to keep the plan as it is" in staff_page
    assert long_date(deadlines.appeal_deadline(decided)) in staff_page

    # The certificate the caseworker records gives the family the same later date.
    disagreement = plan.disagreements.get()
    assert disagreement.decision_letter_on == decided
    plans.update_disagreement(
        actor=caseworker, disagreement=disagreement, mediation_certificate_on=days_ago(1)
    )
    later = deadlines.appeal_deadline(decided, days_ago(1))
    assert long_date(later) in client.get(response["Location"]).content.decode()
    assert f"Appeal by {long_date(later)}." in page_text(client, parent, case)


def test_another_decision_is_described_and_dated_by_hand(client, issued, caseworker):
    _case, plan, _senco = issued()
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/disagreements/new/"

    missing = client.post(url, {"decision": "other"}).content.decode()
    assert "Enter what was decided." in missing
    assert "Enter the date of the decision letter." in missing
    assert not plan.disagreements.exists()

    response = client.post(
        url,
        {
            "decision": "other",
            "decision_disputed": "Refusal of a personal budget",
            "decision_letter_on-day": str(days_ago(30).day),
            "decision_letter_on-month": str(days_ago(30).month),
            "decision_letter_on-year": str(days_ago(30).year),
        },
    )
    assert response.status_code == 302
    assert plan.disagreements.get().decision_letter_on == days_ago(30)

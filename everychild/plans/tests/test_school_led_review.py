"""A school-led annual review, step by step (SEND Regulations 2014 reg 20): the SENCO invites
the family and professionals at least 2 weeks ahead, gathers advice and circulates it, holds
the meeting and sends the report; the council decides. Each step is a record with its legal
date, and the same timeline is read by the school and the council (the family portal reads
each review in the family's own words)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.plans import selectors, services
from everychild.plans.models import AnnualReview, ReviewInvitee
from everychild.plans.tests.conftest import days_ago
from everychild.testing import factories

FAMILY_AND_SCHOOL = [
    ("parent", "Mrs Lovelace"),
    ("school", "Oakfield Primary SENCO"),
    ("health", "Speech and language therapy, Poole Hospital"),
]


@pytest.fixture
def plan(area, school):
    child = factories.ChildFactory(area=area, current_setting=school)
    return factories.issued_plan(child, issued_on=days_ago(340))


@pytest.fixture
def senco(school):
    return factories.make_user(Role.SENCO, school, full_name="Sita Senco")


def invite(actor, plan, **overrides):
    values = {
        "meeting_on": days_ago(-21),
        "sent_on": days_ago(0),
        "invitees": FAMILY_AND_SCHOOL,
    }
    values.update(overrides)
    return services.send_review_invitations(actor=actor, plan=plan, **values)


def hold(actor, plan, on):
    return services.record_review_meeting(
        actor=actor,
        plan=plan,
        meeting_on=on,
        invitations_sent_on=None,
        advice_circulated_on=None,
        attendees="Parent, SENCO, therapist",
        views_summary="Ada wants to join the choir",
        progress_summary="Speech outcome met",
        recommendation="maintain",
    )


def steps(review, **kwargs):
    return {s.key: s for s in selectors.review_timeline(review, **kwargs)}


def test_the_senco_invites_the_family_and_professionals_and_the_review_opens(plan, senco):
    review = invite(senco, plan)
    assert review.invitations_sent_on == days_ago(0)
    assert review.meeting_planned_on == days_ago(-21)
    assert review.invitations_sent_by == senco
    assert [(i.role, i.name) for i in review.invitees.all()] == FAMILY_AND_SCHOOL
    invited = steps(review)["invitations"]
    # reg 20(3): 2 weeks before the meeting it was called for.
    assert invited.due == days_ago(-7) and invited.status == "met"
    assert invited.by == "Sita Senco"
    assert AuditEntry.objects.filter(detail__step="review_invited", actor=senco).exists()


def test_a_meeting_less_than_2_weeks_after_the_invitations_is_refused(plan, senco):
    """reg 20(3): the people invited "must" have at least 2 weeks' notice."""
    with pytest.raises(ValidationError) as refused:
        invite(senco, plan, meeting_on=days_ago(-13))
    error = refused.value.error_dict["meeting_on"][0]
    assert error.code == "notice_too_short"
    assert "reg 20(3)" in error.message
    assert not AnnualReview.objects.filter(plan=plan).exists()
    # Exactly 2 weeks is enough.
    assert invite(senco, plan, meeting_on=days_ago(-14)).meeting_planned_on == days_ago(-14)


def test_the_family_must_be_invited_and_only_once(plan, senco):
    with pytest.raises(ValidationError) as refused:
        invite(senco, plan, invitees=[("school", "SENCO")])
    assert refused.value.error_dict["invitees"][0].code == "no_family"
    invite(senco, plan)
    with pytest.raises(ValidationError) as refused:
        invite(senco, plan)
    assert refused.value.error_dict["sent_on"][0].code == "already_invited"
    assert ReviewInvitee.objects.count() == 3


def test_a_senco_cannot_invite_for_another_settings_pupil(area, senco):
    other = factories.issued_plan(factories.ChildFactory(area=area), issued_on=days_ago(300))
    with pytest.raises(PermissionDenied):
        invite(senco, other)


def test_advice_is_recorded_from_each_professional_but_never_for_the_family(plan, senco):
    review = invite(senco, plan)
    therapist = review.invitees.get(role="health")
    services.record_review_advice(
        actor=senco,
        review=review,
        invitee_id=therapist.pk,
        advice="Speech is clearer; keep weekly therapy.",
        received_on=days_ago(0),
    )
    therapist.refresh_from_db()
    assert therapist.advice_recorded_by == senco
    parent = review.invitees.get(role="parent")
    with pytest.raises(ValidationError) as refused:
        services.record_review_advice(
            actor=senco, review=review, invitee_id=parent.pk, advice="x", received_on=days_ago(0)
        )
    assert refused.value.error_dict["invitee"][0].code == "family"
    advice = steps(review)["advice"]
    assert "Advice received from 1 of 2 professionals invited" in advice.details
    assert advice.due == days_ago(-7) and advice.status == "pending"


def test_advice_circulated_late_is_recorded_and_shown_late(plan, senco):
    review = invite(senco, plan, sent_on=days_ago(20), meeting_on=days_ago(-1))
    review = services.circulate_review_advice(actor=senco, review=review, circulated_on=days_ago(0))
    advice = steps(review)["advice"]
    # reg 20(4): 2 weeks before the meeting; circulated the day before it.
    assert advice.due == days_ago(13) and advice.status == "met_late"
    with pytest.raises(ValidationError):
        services.circulate_review_advice(actor=senco, review=review, circulated_on=days_ago(0))


def test_the_meeting_keeps_the_invitations_and_the_report_is_due_2_weeks_after(plan, senco):
    review = invite(senco, plan, sent_on=days_ago(40), meeting_on=days_ago(20))
    services.circulate_review_advice(actor=senco, review=review, circulated_on=days_ago(35))
    held = hold(senco, plan, days_ago(20))
    assert held.pk == review.pk
    assert held.invitations_sent_on == days_ago(40)
    assert held.advice_circulated_on == days_ago(35)
    report = steps(held)["report"]
    assert report.due == days_ago(6) and report.status == "overdue"  # reg 20(7)
    held = services.send_review_report(actor=senco, review=held, sent_on=days_ago(1))
    timeline = steps(held)
    assert timeline["report"].status == "met_late" and timeline["report"].by == "Sita Senco"
    assert timeline["decision"].due == days_ago(-8)  # reg 20(10): 4 weeks from the meeting
    assert timeline["decision"].status == "pending"


def test_the_report_needs_the_meeting_and_is_sent_once(plan, senco):
    review = invite(senco, plan)
    with pytest.raises(ValidationError) as refused:
        services.send_review_report(actor=senco, review=review, sent_on=days_ago(0))
    assert refused.value.error_dict["sent_on"][0].code == "no_meeting"


def test_the_council_decides_and_the_timeline_says_who_and_when(plan, senco, caseworker):
    invite(senco, plan, sent_on=days_ago(40), meeting_on=days_ago(20))
    review = hold(senco, plan, days_ago(20))
    services.send_review_report(actor=senco, review=review, sent_on=days_ago(10))
    with pytest.raises(PermissionDenied):
        services.decide_after_review(
            actor=senco, review=review, decision="maintain", decided_on=days_ago(0), reasons="x"
        )
    services.decide_after_review(
        actor=caseworker,
        review=review,
        decision="maintain",
        decided_on=days_ago(2),
        reasons="Good progress",
    )
    review.refresh_from_db()
    decision = steps(review)["decision"]
    assert decision.status == "met" and decision.by == "Casey Worker"
    assert decision.details == ("Keep the plan as it is",)


def test_the_council_cannot_decide_before_the_review_report_was_sent(
    client, plan, senco, caseworker
):
    """reg 20(7)-(10): the council decides on the report it was sent, so a decision dated
    before the report is refused, saying why, and nothing is recorded."""
    invite(senco, plan, sent_on=days_ago(40), meeting_on=days_ago(20))
    review = hold(senco, plan, days_ago(20))
    review = services.send_review_report(actor=senco, review=review, sent_on=days_ago(10))
    client.force_login(caseworker)
    posted = client.post(
        f"/plans/reviews/{review.pk}/",
        {
            "version": review.version,
            "decision": "maintain",
            "decided_on": days_ago(11).strftime("%d/%m/%Y"),
            "reasons": "Good progress",
        },
    )
    assert posted.status_code == 200
    page = posted.content.decode()
    assert "There is a problem" in page
    assert "the decision cannot be dated before then" in page and "reg 20(7)-(10)" in page
    review.refresh_from_db()
    assert review.decision == "" and review.decision_on is None
    decided = services.decide_after_review(
        actor=caseworker,
        review=review,
        decision="maintain",
        decided_on=days_ago(10),
        reasons="Good progress",
    )
    assert decided.decision_on == days_ago(10)


def test_a_report_dated_after_the_councils_decision_is_refused(plan, senco, caseworker):
    invite(senco, plan, sent_on=days_ago(40), meeting_on=days_ago(20))
    review = hold(senco, plan, days_ago(20))
    review = services.decide_after_review(
        actor=caseworker, review=review, decision="maintain", decided_on=days_ago(5), reasons="x"
    )
    with pytest.raises(ValidationError) as refused:
        services.send_review_report(actor=senco, review=review, sent_on=days_ago(4))
    assert refused.value.error_dict["sent_on"][0].code == "after_decision"
    review.refresh_from_db()
    assert review.report_sent_on is None
    sent = services.send_review_report(actor=senco, review=review, sent_on=days_ago(5))
    assert steps(sent)["report"].done_on <= steps(sent)["decision"].done_on


def test_the_senco_overview_counts_due_overdue_and_waiting_for_the_council(plan, senco, area):
    school = plan.child.current_setting
    overdue = factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=days_ago(400)
    )
    invite(senco, plan, sent_on=days_ago(40), meeting_on=days_ago(20))
    review = hold(senco, plan, days_ago(20))
    rows = selectors.senco_reviews(senco)
    overview = selectors.senco_review_overview(senco, rows)
    assert overview["overdue"] == 1
    assert [r.plan_id for r in rows if r.is_overdue] == [overdue.pk]
    assert [item.review.pk for item in overview["awaiting"]] == [review.pk]
    assert [item.review.pk for item in overview["report_late"]] == [review.pk]
    assert overview["awaiting"][0].decision.due == days_ago(-8)


def test_a_meeting_called_and_not_held_is_listed_as_overdue(plan, senco):
    invite(senco, plan, sent_on=days_ago(30), meeting_on=days_ago(2))
    overview = selectors.senco_review_overview(senco, selectors.senco_reviews(senco))
    assert [review.plan_id for review in overview["meeting_not_recorded"]] == [plan.pk]


def test_the_open_review_is_the_one_in_progress(plan, senco):
    review = invite(senco, plan)
    assert selectors.open_review_of(plan).pk == review.pk


# --- The pages: the school runs the review; the council reads the same steps -----------------


def test_the_senco_runs_the_review_from_one_page(client, plan, senco):
    client.force_login(senco)
    page = client.get(f"/plans/{plan.pk}/annual-review/").content.decode()
    assert "Invite people to the review meeting" in page
    posted = client.post(
        f"/plans/{plan.pk}/annual-review/invite/",
        {
            "version": plan.review_version,
            "meeting_on": (days_ago(-10)).strftime("%d/%m/%Y"),
            "sent_on": days_ago(0).strftime("%d/%m/%Y"),
            "parent": "Mrs Lovelace",
            "health": "Speech therapy",
        },
    )
    # Less than 2 weeks: the error summary says why, and nothing is kept.
    assert posted.status_code == 200
    assert "There is a problem" in posted.content.decode()
    assert "reg 20(3)" in posted.content.decode()
    assert not AnnualReview.objects.exists()
    posted = client.post(
        f"/plans/{plan.pk}/annual-review/invite/",
        {
            "version": plan.review_version,
            "meeting_on": (days_ago(-21)).strftime("%d/%m/%Y"),
            "sent_on": days_ago(0).strftime("%d/%m/%Y"),
            "parent": "Mrs Lovelace",
            "health": "Speech therapy",
        },
    )
    assert posted.status_code == 302
    review = AnnualReview.objects.get()
    therapist = review.invitees.get(role="health")
    page = client.get(f"/plans/{plan.pk}/annual-review/").content.decode()
    assert "Record advice from Speech therapy" in page
    assert "Called for" in page
    posted = client.post(
        f"/plans/{plan.pk}/annual-review/advice/",
        {
            "version": review.version,
            "invitee": therapist.pk,
            "received_on": days_ago(0).strftime("%d/%m/%Y"),
            "advice": "Keep weekly therapy.",
        },
    )
    assert posted.status_code == 302
    page = client.get(f"/plans/{plan.pk}/annual-review/").content.decode()
    assert "Keep weekly therapy." in page
    assert "Advice received from 1 of 1 professionals invited" in page


def test_another_setting_and_another_area_cannot_open_the_review(client, plan, area):
    other_school = factories.SchoolFactory(area=area, urn="999999")
    client.force_login(factories.make_user(Role.SENCO, other_school))
    for url in ("", "invite/", "advice/", "circulated/", "report/"):
        assert client.get(f"/plans/{plan.pk}/annual-review/{url}").status_code == 404


def test_the_caseworker_sees_the_same_steps_on_the_plan_page(client, plan, senco, caseworker):
    invite(senco, plan)
    client.force_login(caseworker)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "The current review, step by step" in page
    assert "Invite the family and professionals to the meeting" in page
    assert "Sita Senco" in page


def test_the_senco_list_names_a_meeting_not_recorded_and_audits_it(client, plan, senco):
    invite(senco, plan, sent_on=days_ago(30), meeting_on=days_ago(2))
    client.force_login(senco)
    page = client.get("/plans/reviews/my-pupils/").content.decode()
    assert "1 meeting passed, not recorded" in page
    assert "is not recorded as held" in page
    assert AuditEntry.objects.filter(
        actor=senco, detail__list="senco_reviews_meeting_not_recorded", child_id=plan.child_id
    ).exists()


def test_a_meeting_before_the_recorded_invitations_is_refused(plan, senco):
    invite(senco, plan, sent_on=days_ago(10), meeting_on=days_ago(-4))
    with pytest.raises(ValidationError) as refused:
        hold(senco, plan, days_ago(12))
    assert refused.value.error_dict["meeting_on"][0].code == "before_invitations"
    plan.refresh_from_db()
    assert plan.last_review_meeting_on is None


def test_two_pages_opened_together_record_the_advice_once(plan, senco, school):
    """No lost edits: the second of two pages opened at the same version is refused whole."""
    review = invite(senco, plan)
    opened_at = review.version
    therapist = review.invitees.get(role="health")
    services.circulate_review_advice(
        actor=senco, review=review, circulated_on=days_ago(0), version=opened_at
    )
    with pytest.raises(ValidationError):
        services.record_review_advice(
            actor=senco,
            review=review,
            invitee_id=therapist.pk,
            advice="Late words",
            received_on=days_ago(0),
            version=opened_at,
        )
    therapist.refresh_from_db()
    assert therapist.advice == ""

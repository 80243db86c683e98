"""The processes the statutory engine computes and plans now records (issue 16): a plan
transferred in (reg 15, 16), a decision not to amend (reg 22(4)), mediation and its agreement
(reg 37, 42), a post-16 move at another time (reg 18(2)), the six reg 2 transfers between
phases and the Tribunal's recommendations (2017 Regulations). Worked examples on fixed days,
each quoting the words it rests on."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.plans import selectors, services
from everychild.plans.models import PlanVersion
from everychild.testing import factories

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 27)


@pytest.fixture(autouse=True)
def on_today():
    moment = dt.datetime(2026, 11, 27, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=False):
        yield TODAY


@pytest.fixture
def plan(area, school):
    child = factories.ChildFactory(area=area, current_setting=school, date_of_birth=D(2012, 3, 1))
    return factories.issued_plan(child, issued_on=D(2025, 9, 1))


def steps(plan) -> dict:
    plan.refresh_from_db()
    return {m.key: m for m in selectors.plan_clock(plan)["milestones"]}


def overdue_ids(user) -> list[int]:
    return [r.plan_id for r in selectors.review_backlog(user)["overdue"]]


# --- A plan transferred in (reg 15, 16) ------------------------------------------------------


def transfer(caseworker, plan, **overrides):
    values = {
        "from_authority": "Dorset Council",
        "moved_on": D(2026, 10, 1),
        "old_authority_aware_on": D(2026, 9, 20),
        "plan_transferred_on": D(2026, 10, 8),
        "health_body_aware_on": D(2026, 10, 1),
        "new_health_body": "NHS Dorset",
        "version": 0,
    }
    values.update(overrides)
    return services.record_transfer_in(actor=caseworker, plan=plan, **values)


def test_a_transferred_plan_is_reviewed_by_the_later_of_12_months_and_3_months(plan, caseworker):
    """reg 15: the new council must review the plan "within 12 months of the date on which
    the plan was made or last reviewed, or within 3 months of the transfer, whichever is the
    later". Made 1 September 2025: s.44(1) alone ends on 31 August 2026, so the plan shows
    overdue on the review backlog. Transferred on 8 October 2026: due by 8 January 2027, and
    it leaves the overdue list."""
    assert overdue_ids(caseworker) == [plan.pk]
    assert services.next_review_due(plan) == D(2026, 8, 31)
    transfer(caseworker, plan)
    assert services.next_review_due(plan) == D(2027, 1, 8)
    assert overdue_ids(caseworker) == []
    review = steps(plan)["annual_review_meeting"]
    assert (review.due, review.status) == (D(2027, 1, 8), "pending")
    assert "reg 15" in review.regulation


def test_the_transfer_and_the_family_notice_are_judged_by_reg_15(plan, caseworker):
    """reg 15: the old council transfers the plan "on the day of the move", or, where it
    learned of the move less than 15 working days before, "within 15 working days" of
    learning of it (learned Sunday 20 September: by Friday 9 October); the new council tells
    the family within 6 weeks of the transfer whether it will assess and when it will review
    (transferred 8 October: by 19 November)."""
    transfer(caseworker, plan)
    found = steps(plan)
    assert (found["transfer:plan_transferred"].due, found["transfer:plan_transferred"].status) == (
        D(2026, 10, 9),
        "met",
    )
    notice = found["transfer:family_notice"]
    assert (notice.due, notice.status) == (D(2026, 11, 19), "overdue")
    record = plan.transfer_in
    transfer(caseworker, plan, family_notified_on=D(2026, 11, 10), version=record.version)
    assert steps(plan)["transfer:family_notice"].status == "met"


def test_the_health_commissioning_change_is_due_in_15_working_days(plan, caseworker):
    """reg 16: where the health commissioning body changes, the old body notifies the new
    one "within 15 working days" of becoming aware of the move: aware Thursday 1 October 2026,
    due Thursday 22 October."""
    item = transfer(caseworker, plan)
    health = steps(plan)["transfer:health_body_notified"]
    assert (health.due, health.status) == (D(2026, 10, 22), "overdue")
    transfer(caseworker, plan, health_body_notified_on=D(2026, 10, 20), version=item.version)
    assert steps(plan)["transfer:health_body_notified"].status == "met"


def test_a_transfer_from_a_stale_page_or_with_bad_dates_changes_nothing(plan, caseworker):
    item = transfer(caseworker, plan)
    transfer(caseworker, plan, family_notified_on=D(2026, 11, 1), version=item.version)
    with pytest.raises(ValidationError, match="changed since you opened it"):
        transfer(caseworker, plan, family_notified_on=D(2026, 11, 2), version=item.version)
    with pytest.raises(ValidationError) as refused:
        transfer(
            caseworker,
            plan,
            family_notified_on=D(2026, 10, 1),  # before the transfer on 8 October
            version=item.version + 1,
        )
    assert "family_notified_on" in refused.value.message_dict
    plan.transfer_in.refresh_from_db()
    assert plan.transfer_in.family_notified_on == D(2026, 11, 1)


def test_once_reviewed_here_the_transferred_plan_runs_on_s44_again(plan, caseworker, school):
    """The 3 months of reg 15 set only the first review after the transfer: the next runs on
    "each subsequent period of 12 months starting with the date on which the plan was last
    reviewed" (s.44(1)(b))."""
    transfer(caseworker, plan)
    senco = factories.make_user(Role.SENCO, school)
    services.record_review_meeting(
        actor=senco,
        plan=plan,
        meeting_on=D(2026, 11, 20),
        invitations_sent_on=None,
        advice_circulated_on=None,
        attendees="Parent, SENCO",
        views_summary="Settling in",
        progress_summary="Good",
        recommendation="maintain",
    )
    plan.refresh_from_db()
    assert services.next_review_due(plan) == D(2027, 11, 19)
    assert "transfer:family_notice" in steps(plan)


# --- A decision not to amend (reg 22(4)) -----------------------------------------------------


@pytest.fixture
def amending(plan, caseworker, school):
    senco = factories.make_user(Role.SENCO, school)
    review = services.record_review_meeting(
        actor=senco,
        plan=plan,
        meeting_on=D(2026, 7, 1),
        invitations_sent_on=None,
        advice_circulated_on=None,
        attendees="Parent, SENCO",
        views_summary="Wants more speech therapy",
        progress_summary="Some outcomes met",
        recommendation="amend",
        recommended_changes="More therapy",
    )
    review = services.decide_after_review(
        actor=caseworker,
        review=review,
        decision="amend",
        decided_on=D(2026, 7, 20),
        reasons="Therapy",
        version=review.version,
    )
    return services.send_proposed_amendments(
        actor=caseworker, review=review, sent_on=D(2026, 8, 1), version=review.version
    )


def test_a_decision_not_to_amend_ends_the_amendment_and_nothing_shows_overdue(amending, caseworker):
    """reg 22(4): "Where the local authority decides not to amend the EHC plan, it must notify
    the child's parent or the young person of its decision and the reasons for it within 8
    weeks of sending the proposed amendments". Sent 1 August 2026: the amended plan (reg 22(3))
    was due by 26 September and shows overdue on the review page and the backlog until the
    decision not to amend is recorded; then it is not due at all."""
    review = amending
    assert [r.pk for r in selectors.review_backlog(caseworker)["amendments_overdue"]] == [review.pk]
    amended = {m.key: m for m in selectors.review_clock(review, review.plan.area)["steps"]}
    assert (amended["amended_plan"].due, amended["amended_plan"].status) == (
        D(2026, 9, 26),
        "overdue",
    )
    draft = review.amended_version
    review = services.decide_not_to_amend(
        actor=caseworker,
        review=review,
        decided_on=D(2026, 9, 20),
        reasons="The family now agrees the therapy is already in section F.",
        version=review.version,
    )
    after = {m.key: m for m in selectors.review_clock(review, review.plan.area)["steps"]}
    assert after["amended_plan"].status == "not_applicable"
    assert (after["decision_not_to_amend"].due, after["decision_not_to_amend"].status) == (
        D(2026, 9, 26),
        "met",
    )
    assert selectors.review_backlog(caseworker)["amendments_overdue"] == []
    assert "amended_plan" not in {
        m.key for m in steps(review.plan).values() if m.status == "overdue"
    }
    assert not PlanVersion.objects.filter(pk=draft.pk).exists()
    assert review.is_complete
    assert AuditEntry.objects.filter(detail__step="not_amending").exists()


def test_a_decision_not_to_amend_after_8_weeks_is_late(amending, caseworker):
    review = services.decide_not_to_amend(
        actor=caseworker,
        review=amending,
        decided_on=D(2026, 10, 1),
        reasons="Changed our mind",
        version=amending.version,
    )
    after = {m.key: m for m in selectors.review_clock(review, review.plan.area)["steps"]}
    assert after["decision_not_to_amend"].status == "met_late"


def test_a_decision_not_to_amend_is_refused_from_a_stale_page_or_without_amendments(
    plan, amending, caseworker
):
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.decide_not_to_amend(
            actor=caseworker,
            review=amending,
            decided_on=D(2026, 9, 1),
            reasons="No",
            version=amending.version - 1,
        )
    with pytest.raises(ValidationError) as refused:
        services.decide_not_to_amend(
            actor=caseworker,
            review=amending,
            decided_on=D(2026, 7, 30),  # before the amendments were sent
            reasons="No",
            version=amending.version,
        )
    assert "decided_on" in refused.value.message_dict
    amending.refresh_from_db()
    assert amending.decision_not_to_amend_on is None and amending.amended_version is not None


def test_only_the_local_authority_decides_not_to_amend(amending, school):
    senco = factories.make_user(Role.SENCO, school)
    with pytest.raises(PermissionDenied):
        services.decide_not_to_amend(
            actor=senco, review=amending, decided_on=D(2026, 9, 1), reasons="No"
        )


# --- Mediation and its agreement (reg 37, 42) ------------------------------------------------


@pytest.fixture
def mediated(plan, caseworker):
    item = services.record_disagreement(
        actor=caseworker,
        plan=plan,
        decision_disputed="School named",
        decision_letter_on=D(2026, 6, 1),
    )
    return services.update_disagreement(
        actor=caseworker,
        disagreement=item,
        mediation_wanted_la_told_on=D(2026, 6, 10),
        mediation_held_on=D(2026, 7, 1),
        version=item.version,
    )


def disagreement_steps(item) -> dict:
    item.refresh_from_db()
    return {m.key: m for m in selectors.disagreement_steps(item)}


def test_mediation_is_held_within_30_days_and_the_certificate_3_working_days_after(mediated):
    """reg 37: the mediation must take place "within 30 days" of the local authority being
    told the family wants it (told 10 June 2026: by 10 July); the certificate within 3 working
    days of it (held Wednesday 1 July: by Monday 6 July)."""
    found = disagreement_steps(mediated)
    assert (found["mediation_held"].due, found["mediation_held"].status) == (
        D(2026, 7, 10),
        "met",
    )
    assert found["mediation_certificate"].due == D(2026, 7, 6)


def test_an_agreement_on_an_appealable_matter_runs_on_the_reg_44_periods(mediated, caseworker):
    """reg 42(3)-(4): where the agreement requires the local authority to do something it
    could have been ordered to do on appeal, it must do so within the period reg 44 sets for
    that order: amending the plan, 5 weeks (reg 44(2)(e)): agreed 1 July, by 5 August."""
    services.record_mediation_agreement(
        actor=caseworker,
        disagreement=mediated,
        kind="amend_plan",
        agreed_on=D(2026, 7, 1),
        what="Add 30 minutes of speech therapy a week to section F",
        version=0,
    )
    step = disagreement_steps(mediated)["mediation_agreement:amend_plan"]
    assert (step.due, step.status) == (D(2026, 8, 5), "overdue")
    assert "reg 42 (the periods of reg 44(2)(e))" in step.regulation
    agreement = mediated.mediation_agreement
    services.record_mediation_agreement(
        actor=caseworker,
        disagreement=mediated,
        kind="amend_plan",
        agreed_on=D(2026, 7, 1),
        what=agreement.what,
        amended_plan_issued_on=D(2026, 8, 3),
        version=agreement.version,
    )
    assert disagreement_steps(mediated)["mediation_agreement:amend_plan"].status == "met"


def test_other_agreed_action_is_due_in_2_weeks(mediated, caseworker):
    """reg 42(5): any other agreed action "within 2 weeks" of the agreement: agreed 1 July,
    by 15 July; it shows on the disagreements list until done."""
    services.record_mediation_agreement(
        actor=caseworker,
        disagreement=mediated,
        kind="other",
        agreed_on=D(2026, 7, 1),
        what="Arrange a meeting with the new school",
        version=0,
    )
    step = disagreement_steps(mediated)["mediation_agreement:other"]
    assert (step.due, step.status) == (D(2026, 7, 15), "overdue")
    (row,) = selectors.disagreements(caseworker)
    assert [m.key for m in row["steps"]] == ["mediation_certificate", "mediation_agreement:other"]


def test_an_agreement_needs_the_mediation_and_its_own_steps(plan, caseworker):
    item = services.record_disagreement(
        actor=caseworker, plan=plan, decision_disputed="Refusal", decision_letter_on=D(2026, 6, 1)
    )
    with pytest.raises(ValidationError, match="Record when the local authority was told"):
        services.record_mediation_agreement(
            actor=caseworker,
            disagreement=item,
            kind="other",
            agreed_on=D(2026, 7, 1),
            what="Meet",
            version=0,
        )


def test_a_step_that_is_not_part_of_the_agreement_is_refused(mediated, caseworker):
    with pytest.raises(ValidationError) as refused:
        services.record_mediation_agreement(
            actor=caseworker,
            disagreement=mediated,
            kind="other",
            agreed_on=D(2026, 7, 1),
            what="Meet",
            amended_plan_issued_on=D(2026, 7, 3),
            version=0,
        )
    assert "amended_plan_issued_on" in refused.value.message_dict
    assert not hasattr(mediated, "mediation_agreement") or mediated.mediation_agreement is None


# --- A post-16 move at another time (reg 18(2)); the six reg 2 transfers --------------------


def test_a_post16_move_needs_the_plan_amended_5_months_before(plan, caseworker):
    """reg 18(2): where a young person moves between post-16 institutions at another time, the
    local authority must review and amend the plan "at least five months before" the move: a
    move on 1 January 2027, amended by 1 August 2026. An amendment issued on 15 July is in
    time."""
    services.record_post16_move(
        actor=caseworker, plan=plan, move_on=D(2027, 1, 1), moving_to="Bournemouth College"
    )
    ((move, step),) = selectors.plan_clock(plan)["post16_moves"]
    assert (step.due, step.status) == (D(2026, 8, 1), "overdue")
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    services.issue_amendment(
        actor=caseworker, draft=draft, issued_on=D(2026, 7, 15), lock_version=draft.lock_version
    )
    ((move, step),) = selectors.plan_clock(plan)["post16_moves"]
    assert (step.met_on, step.status) == (D(2026, 7, 15), "met")
    ((listed, judged),) = selectors.post16_moves(caseworker)
    assert listed == move and judged.status == "met"


@pytest.mark.parametrize(
    ("transfer", "kind", "due"),
    [
        ("infant_to_junior", "school", D(2027, 2, 14)),
        ("middle_to_secondary", "school", D(2027, 2, 14)),
        ("secondary_to_post16", "post16", D(2027, 3, 30)),
    ],
)
def test_every_reg_2_transfer_is_recorded_with_its_reg_18_date(
    plan, caseworker, transfer, kind, due
):
    """reg 2(1): a transfer from "(b) infant school to junior school ... (e) middle school to
    secondary school; or (f) secondary school to a post-16 institution"; reg 18(1): amended
    "before ... 31st March" for (f), "15th February ... in any other case"."""
    item = services.record_phase_transfer(
        actor=caseworker, plan=plan, year=2027, transfer=transfer, version=0
    )
    assert (item.transfer, item.kind) == (transfer, kind)
    page, _ = selectors.phase_transfers(caseworker)
    (row,) = [r for r in page.object_list if r.plan.pk == plan.pk]
    assert row.move.transfer == transfer and row.move.amended_plan_by == due


def test_a_transfer_judged_by_the_other_limb_is_refused(plan, caseworker):
    with pytest.raises(ValidationError) as refused:
        services.record_phase_transfer(
            actor=caseworker, plan=plan, year=2027, transfer="infant_to_junior", kind="post16"
        )
    assert "transfer" in refused.value.message_dict
    assert not plan.phase_transfers.exists()


# --- The Tribunal's recommendations (2017 Regulations) --------------------------------------


def test_the_body_answers_a_recommendation_within_5_weeks(mediated, caseworker):
    """SEND (First-tier Tribunal Recommendations Power) Regulations 2017: the body must respond
    "within 5 weeks" of the date of the Tribunal's decision: decided 2 November 2026, answer by
    7 December."""
    item = services.record_recommendation(
        actor=caseworker,
        disagreement=mediated,
        body="health",
        body_name="NHS Dorset",
        recommendation="Provide occupational therapy in section G",
        made_on=D(2026, 11, 2),
    )
    step = disagreement_steps(mediated)[f"tribunal_recommendation:{item.pk}"]
    assert (step.due, step.status) == (D(2026, 12, 7), "pending")
    services.record_recommendation_answer(
        actor=caseworker,
        recommendation=item,
        answered_on=D(2026, 11, 25),
        answer="We will provide it from January",
        version=item.version,
    )
    assert disagreement_steps(mediated)[f"tribunal_recommendation:{item.pk}"].status == "met"


def test_recommendations_are_refused_for_decisions_before_3_april_2018(plan, caseworker):
    item = services.record_disagreement(
        actor=caseworker,
        plan=plan,
        decision_disputed="Refusal to assess",
        decision_letter_on=D(2018, 3, 1),
    )
    with pytest.raises(ValidationError, match="3 April 2018"):
        services.record_recommendation(
            actor=caseworker,
            disagreement=item,
            body="social_care",
            body_name="BCP children's services",
            recommendation="Short breaks",
            made_on=D(2018, 10, 1),
        )
    assert not item.recommendations.exists()


# --- The pages ----------------------------------------------------------------------------------


def body(response) -> str:
    return response.content.decode()


def test_the_transfer_page_records_the_transfer_and_the_plan_shows_its_dates(
    client, plan, caseworker
):
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/transfer-in/"
    assert client.get(url).status_code == 200
    typed = {
        "version": 0,
        "from_authority": "Dorset Council",
        "moved_on": "1/10/2026",
        "plan_transferred_on": "8/10/2026",
        "family_notified_on": "1/10/2026",  # before the transfer: refused
    }
    refused = client.post(url, typed)
    assert refused.status_code == 200 and "There is a problem" in body(refused)
    assert "Dorset Council" in body(refused)
    assert not hasattr(plan, "transfer_in") or plan.transfer_in is None
    typed["family_notified_on"] = "10/11/2026"
    assert client.post(url, typed).status_code == 302
    page = body(client.get(f"/plans/{plan.pk}/"))
    assert "Transferred from Dorset Council" in page
    assert "Review a plan transferred from another council" in page and "8 Jan 2027" in page
    stale = client.post(url, typed)  # version 0 again: someone already recorded it
    assert "changed since you opened it" in body(stale)


def test_the_not_amending_page_records_the_decision(client, amending, caseworker):
    client.force_login(caseworker)
    review = amending
    review_page = body(client.get(f"/plans/reviews/{review.pk}/"))
    assert "Decide not to amend the plan after all" in review_page
    url = f"/plans/reviews/{review.pk}/not-amending/"
    assert client.get(url).status_code == 200
    missing = client.post(url, {"version": review.version, "decided_on": "20/9/2026"})
    assert "Enter the reasons given to the family" in body(missing)
    done = client.post(
        url, {"version": review.version, "decided_on": "20/9/2026", "reasons": "Agreed"}
    )
    assert done.status_code == 302
    page = body(client.get(f"/plans/reviews/{review.pk}/"))
    assert "will not be amended (reg 22(4))" in page and "Does not apply" in page
    assert "None." in body(client.get("/plans/reviews/")).split("Amended plans overdue")[1]


def test_the_disagreement_page_records_an_agreement_a_recommendation_and_its_answer(
    client, mediated, caseworker
):
    client.force_login(caseworker)
    url = f"/plans/disagreements/{mediated.pk}/"
    bad = client.post(
        url,
        {
            "form": "agreement",
            "agreement-version": 0,
            "agreement-kind": "other",
            "agreement-what": "Meet",
        },
    )
    assert "There is a problem" in body(bad) and "Enter date of the agreement" in body(bad)
    ok = client.post(
        url,
        {
            "form": "agreement",
            "agreement-version": 0,
            "agreement-kind": "other",
            "agreement-agreed_on": "1/7/2026",
            "agreement-what": "Meet the new school",
        },
    )
    assert ok.status_code == 302
    client.post(
        url,
        {
            "form": "recommendation",
            "body": "health",
            "body_name": "NHS Dorset",
            "recommendation": "Occupational therapy",
            "made_on": "2/11/2026",
        },
    )
    (item,) = mediated.recommendations.all()
    page = body(client.get(url))
    assert "Do what was agreed at mediation" in page and "15 Jul 2026" in page
    assert "To NHS Dorset" in page and "7 Dec 2026" in page
    answered = client.post(
        url,
        {
            "form": "answer",
            "recommendation": item.pk,
            f"answer{item.pk}-version": item.version,
            f"answer{item.pk}-answered_on": "25/11/2026",
            f"answer{item.pk}-answer": "From January",
        },
    )
    assert answered.status_code == 302
    item.refresh_from_db()
    assert item.answered_on == D(2026, 11, 25)
    assert "Do what was agreed at mediation" in body(client.get("/plans/disagreements/"))


def test_the_post16_and_phase_transfer_pages(client, plan, caseworker):
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/post16-move/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"version": 0, "moving_to": "Bournemouth College", "move_on": "1/1/2027"}
    )
    assert response.status_code == 302
    assert "To Bournemouth College on 1 January 2027" in body(client.get(f"/plans/{plan.pk}/"))
    page = client.get(f"/plans/{plan.pk}/phase-transfer/")
    assert page.status_code == 200 and "Infant school to junior school" in body(page)
    moved = client.post(
        f"/plans/{plan.pk}/phase-transfer/",
        {"version": 0, "transfer": "secondary_to_post16"},
    )
    assert moved.status_code == 302
    assert plan.phase_transfers.get().kind == "post16"


def test_an_answer_from_a_stale_page_is_refused(mediated, caseworker):
    item = services.record_recommendation(
        actor=caseworker,
        disagreement=mediated,
        body="social_care",
        body_name="BCP children's services",
        recommendation="Short breaks",
        made_on=D(2026, 11, 2),
    )
    opened = item.version
    services.record_recommendation_answer(
        actor=caseworker, recommendation=item, answered_on=D(2026, 11, 20), answer="Yes"
    )
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.record_recommendation_answer(
            actor=caseworker,
            recommendation=item,
            answered_on=D(2026, 11, 21),
            answer="No",
            version=opened,
        )
    item.refresh_from_db()
    assert (item.answered_on, item.answer) == (D(2026, 11, 20), "Yes")


def test_the_review_api_gives_no_amended_plan_date_after_a_decision_not_to_amend(
    client, amending, caseworker
):
    client.force_login(caseworker)
    before = client.get(f"/api/v1/reviews/{amending.pk}/").json()
    assert before["dates"]["amended_plan_by"] == "2026-09-26"
    services.decide_not_to_amend(
        actor=caseworker,
        review=amending,
        decided_on=D(2026, 9, 20),
        reasons="Agreed with the family",
        version=amending.version,
    )
    after = client.get(f"/api/v1/reviews/{amending.pk}/").json()
    assert after["decision_not_to_amend_on"] == "2026-09-20"
    assert "amended_plan_by" not in after["dates"]

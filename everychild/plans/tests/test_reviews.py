"""Annual reviews: the SENCO records the meeting, the LA decides, amendments follow reg 22."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.accounts.models import Role
from everychild.plans import selectors, services
from everychild.plans.models import AnnualReview, AreaPlanSettings, PlanVersion
from everychild.plans.tests.conftest import days_ago
from everychild.statutory import deadlines
from everychild.statutory.counting import months_after
from everychild.testing import factories


@pytest.fixture
def plan(area, school):
    child = factories.ChildFactory(area=area, current_setting=school)
    return factories.issued_plan(child, issued_on=days_ago(400))


@pytest.fixture
def senco(school):
    return factories.make_user(Role.SENCO, school)


def meeting(actor, plan, **overrides):
    values = {
        "meeting_on": days_ago(10),
        "invitations_sent_on": days_ago(30),
        "advice_circulated_on": days_ago(25),
        "attendees": "Parent, SENCO, class teacher",
        "views_summary": "Happy at school",
        "progress_summary": "Two outcomes met",
        "recommendation": "amend",
        "recommended_changes": "Add swimming to section F",
    }
    values.update(overrides)
    return services.record_review_meeting(actor=actor, plan=plan, **values)


def test_the_next_review_is_due_12_months_from_issue_by_the_engine(plan):
    """CFA 2014 s.44(1): "in the period of 12 months starting with the date on which the plan
    was first made": the last day is the day before the anniversary."""
    assert services.next_review_due(plan) == months_after(plan.issued_on, 12) - dt.timedelta(1)


def test_six_monthly_reviews_for_under_fives_where_the_area_chose_them(area):
    child = factories.ChildFactory(area=area, date_of_birth=days_ago(3 * 365))
    plan = factories.issued_plan(child, issued_on=dt.date(2026, 1, 10))
    assert services.next_review_due(plan) == dt.date(2027, 1, 9)  # s.44(1)
    AreaPlanSettings.objects.create(area=area, six_monthly_reviews_under_5=True)
    assert services.next_review_due(plan) == dt.date(2026, 7, 10)


def test_the_senco_records_the_meeting_and_the_plan_is_no_longer_overdue(plan, senco):
    assert [r.plan_id for r in selectors.senco_reviews(senco) if r.is_overdue] == [plan.pk]
    review = meeting(senco, plan)
    plan.refresh_from_db()
    assert plan.last_review_meeting_on == days_ago(10)
    assert review.meeting_recorded_by == senco
    assert not [r for r in selectors.senco_reviews(senco) if r.is_overdue]
    dates = selectors.review_clock(review, plan.area)["meeting"]
    assert dates.report_by == days_ago(10) + dt.timedelta(weeks=2)  # reg 20(7)
    assert dates.decision_by == days_ago(10) + dt.timedelta(weeks=4)  # reg 20(10)


def test_a_senco_cannot_record_reviews_for_another_settings_pupil(area, senco):
    other = factories.issued_plan(factories.ChildFactory(area=area))
    with pytest.raises(PermissionDenied):
        meeting(senco, other)


def test_the_meeting_cannot_be_before_the_invitations_or_in_the_future(plan, senco):
    with pytest.raises(ValidationError) as refused:
        meeting(senco, plan, invitations_sent_on=days_ago(5))
    assert "invitations_sent_on" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        meeting(senco, plan, meeting_on=days_ago(-3))
    assert "meeting_on" in refused.value.error_dict
    assert not AnnualReview.objects.exists()


def test_the_manager_decides_to_amend_and_the_amended_plan_waits_for_the_15_days(
    plan, senco, team_manager
):
    review = meeting(senco, plan)
    review = services.decide_after_review(
        actor=team_manager,
        review=review,
        decision="amend",
        decided_on=days_ago(8),
        reasons="Provision to change",
    )
    draft = review.amended_version
    assert draft.number == 2 and draft.reason == PlanVersion.Reason.REVIEW
    review = services.send_proposed_amendments(
        actor=team_manager, review=review, sent_on=days_ago(7)
    )
    amendments = selectors.review_clock(review, plan.area)["amendments"]
    assert amendments.comments_close == days_ago(7) + dt.timedelta(days=14)  # reg 22(2)(c)
    assert amendments.amended_plan_by == days_ago(7) + dt.timedelta(weeks=8)  # reg 22(3)
    with pytest.raises(ValidationError) as refused:
        services.issue_amendment(actor=team_manager, draft=draft, issued_on=days_ago(0))
    assert refused.value.error_dict["issued_on"][0].code == "comment_window_open"
    with pytest.raises(ValidationError):
        services.decide_after_review(
            actor=team_manager,
            review=review,
            decision="maintain",
            decided_on=days_ago(1),
            reasons="Again",
        )


def test_the_backlog_lists_overdue_and_due_this_month(area, caseworker, plan):
    due_soon = factories.issued_plan(
        factories.ChildFactory(area=area),
        issued_on=selectors.end_of_month(days_ago(0)).replace(year=days_ago(0).year - 1),
    )
    later = factories.issued_plan(factories.ChildFactory(area=area), issued_on=days_ago(30))
    backlog = selectors.review_backlog(caseworker)
    assert [r.plan_id for r in backlog["overdue"]] == [plan.pk]
    assert due_soon.pk in [r.plan_id for r in backlog["this_month"]]
    assert later.pk not in [r.plan_id for r in backlog["overdue"] + backlog["this_month"]]


def test_ceasing_needs_a_reason_and_for_a_transfer_the_new_la(plan, caseworker):
    with pytest.raises(ValidationError) as refused:
        services.cease_plan(
            actor=caseworker,
            plan=plan,
            reason="5",
            decided_on=days_ago(5),
            notice_sent_on=days_ago(4),
            ceases_on=days_ago(0),
            explanation="Moved away",
        )
    assert "transferred_to" in refused.value.error_dict
    services.cease_plan(
        actor=caseworker,
        plan=plan,
        reason="5",
        decided_on=days_ago(5),
        notice_sent_on=days_ago(4),
        ceases_on=days_ago(0),
        explanation="Moved away",
        transferred_to="Dorset Council",
    )
    plan.refresh_from_db()
    assert (plan.ceased_on, plan.cease_reason) == (days_ago(0), "5")


def test_tribunal_orders_have_reg_44_dates_and_concessions_reg_45(plan, caseworker):
    item = services.record_disagreement(
        actor=caseworker,
        plan=plan,
        decision_disputed="Refusal to name a special school",
        decision_letter_on=days_ago(60),
    )
    dates = selectors.disagreement_dates(item)
    # 2 months, moved past a non-working day, August or Christmas (HESC Rules r.12(2), (3)(a)).
    assert dates["appeal_by"] == deadlines.tribunal_time_ends(months_after(days_ago(60), 2))
    assert dates["mediation_contact_by"] == months_after(days_ago(60), 2)  # reg 33
    item = services.update_disagreement(
        actor=caseworker,
        disagreement=item,
        appeal_registered_on=days_ago(40),
        conceded_on=days_ago(20),
    )
    order = services.record_tribunal_order(
        actor=caseworker, disagreement=item, kind="name_school", ordered_on=days_ago(20)
    )
    [step] = selectors.order_steps(order)
    assert step["due"] == days_ago(20) + dt.timedelta(weeks=2)  # reg 44(2)(e)
    amend = services.record_tribunal_order(
        actor=caseworker, disagreement=item, kind="amend_plan", ordered_on=days_ago(20)
    )
    assert selectors.order_steps(amend)[0]["due"] == days_ago(20) + dt.timedelta(weeks=5)


def test_the_sencos_overview_counts_overdue_and_due_and_lists_those_waiting_for_the_council(
    client, area, school, plan, senco
):
    due_soon = factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=days_ago(340)
    )
    held = factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=days_ago(380)
    )
    meeting(senco, held)
    elsewhere = factories.issued_plan(factories.ChildFactory(area=area), issued_on=days_ago(400))
    overview = selectors.senco_review_overview(senco, selectors.senco_reviews(senco))
    assert overview["overdue"] == 1  # `plan`, issued 400 days ago, no meeting
    assert overview["due"] == 1  # `due_soon`, due within 8 weeks
    [waiting] = overview["awaiting"]
    assert waiting.review.plan == held
    assert waiting.decision.due == days_ago(10) + dt.timedelta(weeks=4)  # reg 20(10)
    client.force_login(senco)
    page = client.get("/plans/reviews/my-pupils/").content.decode()
    assert "1 waiting for the council" in page
    assert held.child.full_name in page
    assert elsewhere.child.full_name not in page
    assert due_soon.child.full_name in page

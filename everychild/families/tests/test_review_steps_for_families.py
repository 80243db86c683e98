"""A school-led annual review as the family sees it (SEND Regulations 2014 reg 20): told when
invited and when the council has decided, with no child's details in the message, and the review
read in their own words, with whether their views are in."""

import pytest

from everychild.accounts.models import Role
from everychild.core.prose import long_date
from everychild.families import notices, selectors, services
from everychild.notifications.models import Message
from everychild.plans import services as plans
from everychild.plans.models import EHCPlan
from everychild.testing import factories

from .conftest import days_ago
from .test_notices import assert_impersonal

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(cases, caseworker, area, parent_of):
    school = factories.SchoolFactory(area=area, urn="246810")
    child = factories.ChildFactory(area=area, first_name="Ottoline", current_setting=school)
    case = cases.with_draft(child, draft_days_ago=400, received_days_ago=490)
    case = plans.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=days_ago(360)
    )
    parent = parent_of(child)
    senco = factories.make_user(Role.SENCO, school)
    plan = EHCPlan.objects.get(assessment_request=case)
    review = plans.send_review_invitations(
        actor=senco,
        plan=plan,
        meeting_on=days_ago(-15),
        sent_on=days_ago(0),
        invitees=[("parent", parent.full_name), ("school", school.name)],
    )
    return {"case": case, "parent": parent, "senco": senco, "review": review, "child": child}


def test_the_family_is_told_of_the_invitation_once_without_the_childs_details(reviewed):
    notices.sweep()
    notices.sweep()
    told = Message.objects.filter(template="family_review_invitation")
    assert told.count() == 1
    assert told.get().to == reviewed["parent"].email
    assert "meeting on" in told.get().body
    assert_impersonal(told, reviewed["child"], reviewed["parent"])


def test_the_family_reads_the_meeting_and_whether_their_views_are_in(reviewed, caseworker):
    case, parent, review = reviewed["case"], reviewed["parent"], reviewed["review"]
    [shown] = selectors.reviews_for_family(parent, case)
    assert shown.invited_on == days_ago(0)
    assert shown.meeting == f"The review meeting is on {long_date(days_ago(-15))}."
    assert shown.views == "" and shown.open
    services.save_views(
        actor=parent,
        case=case,
        kind="parent",
        values={"about": "She loves music."},
        send=True,
        review=review,
    )
    [shown] = selectors.reviews_for_family(parent, case)
    assert shown.views == f"We have your views: you sent 1 page on {long_date(days_ago(0))}."


def test_the_family_is_told_when_the_council_decides(reviewed, caseworker):
    review = reviewed["review"]
    plans.record_review_meeting(
        actor=reviewed["senco"],
        plan=review.plan,
        meeting_on=days_ago(0),
        invitations_sent_on=None,
        advice_circulated_on=None,
        attendees="Parent, SENCO",
        views_summary="Happy",
        progress_summary="Good",
        recommendation="maintain",
    )
    plans.decide_after_review(
        actor=caseworker,
        review=review,
        decision="maintain",
        decided_on=days_ago(0),
        reasons="Progress is good",
    )
    notices.sweep()
    told = Message.objects.filter(template="family_review_decision")
    assert told.count() == 1
    assert_impersonal(told, reviewed["child"], reviewed["parent"])

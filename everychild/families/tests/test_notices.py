"""What families are told, through the notifications module: no personal data in bodies,
and a second sweep (or a retried task) never sends a message twice."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from everychild.families import notices
from everychild.notifications.models import Message
from everychild.plans import services as plans
from everychild.testing import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def personal(child, parent):
    return [child.first_name, child.last_name, parent.full_name, str(child.date_of_birth.year)]


def assert_impersonal(messages, child, parent):
    for message in messages:
        text = message.subject + message.body
        for detail in personal(child, parent):
            assert detail not in text, (message.template, detail)


def test_families_are_told_of_the_decision_and_the_draft_with_its_last_day(cases, area, parent_of):
    from everychild.casework import clock

    child = factories.ChildFactory(area=area, first_name="Ottoline")
    parent = parent_of(child)
    case = cases.with_draft(child, draft_days_ago=2, received_days_ago=70)
    notices.sweep()
    templates = set(Message.objects.values_list("template", flat=True))
    assert "family_draft_plan_ready" in templates
    draft = Message.objects.get(template="family_draft_plan_ready")
    last = clock.comments_close(days_ago(2))
    assert f"{last.day} {last:%B %Y}" in draft.body and case.reference in draft.subject
    assert draft.to == parent.email
    assert_impersonal(Message.objects.all(), child, parent)


def test_a_second_sweep_sends_nothing_twice(cases, area, parent_of):
    child = factories.ChildFactory(area=area)
    parent_of(child)
    cases.with_draft(child, draft_days_ago=2, received_days_ago=70)
    out = io.StringIO()
    call_command("send_family_notices", stdout=out)
    assert "Family notices checked" in out.getvalue()
    first = Message.objects.count()
    assert first >= 1
    notices.sweep()
    notices.sweep()
    assert Message.objects.count() == first


def test_a_missed_legal_date_is_told_once(cases, area, parent_of):
    child = factories.ChildFactory(area=area)
    parent = parent_of(child)
    cases.request(child, received_days_ago=50)  # the 6-week decision is overdue
    notices.sweep()
    notices.sweep()
    missed = Message.objects.filter(template="family_legal_date_missed")
    assert missed.count() == 1
    assert "We are late" in missed.get().subject
    assert_impersonal(missed, child, parent)


def test_final_plan_and_review_coming_up(cases, area, parent_of, caseworker):
    child = factories.ChildFactory(area=area)
    parent = parent_of(child)
    case = cases.with_draft(child, draft_days_ago=30, received_days_ago=130)
    plans.issue_final_plan(actor=caseworker, case=case, version=case.version, issued_on=days_ago(1))
    notices.sweep()
    assert Message.objects.filter(template="family_final_plan_issued").count() == 1
    with time_machine.travel(dt.datetime.now() + dt.timedelta(days=320)):
        notices.sweep()
        notices.sweep()
    review = Message.objects.filter(template="family_review_coming_up")
    assert review.count() == 1
    assert_impersonal(Message.objects.all(), child, parent)


def test_each_later_review_is_announced_once(cases, area, parent_of, caseworker):
    from everychild.plans.models import AnnualReview

    child = factories.ChildFactory(area=area)
    parent_of(child)
    case = cases.with_draft(child, draft_days_ago=30, received_days_ago=130)
    case = plans.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=days_ago(1)
    )
    # A review the plans module has scheduled (an early one, as for an under-5), due in 6
    # weeks: nothing in the plan's issue date announces it.
    AnnualReview.objects.create(plan=case.plan, due_on=days_ago(-42))
    notices.sweep()
    notices.sweep()
    coming = Message.objects.filter(template="family_review_coming_up")
    assert coming.count() == 1
    assert str(days_ago(-42).year) in coming.get().body


def test_no_one_outside_the_family_is_told(cases, area):
    child = factories.ChildFactory(area=area)
    cases.with_draft(child, draft_days_ago=2, received_days_ago=70)
    notices.sweep()
    assert not Message.objects.filter(template__startswith="family_").exists()


def test_families_are_told_of_the_decision_once(cases, area, parent_of):
    child = factories.ChildFactory(area=area)
    parent = parent_of(child)
    cases.assessing(child, received_days_ago=30, advice_days_ago=5)  # decided 10 days ago
    notices.sweep()
    notices.sweep()
    decided = Message.objects.filter(template="family_decision_to_assess")
    assert decided.count() == 1 and decided.get().to == parent.email
    assert_impersonal(decided, child, parent)

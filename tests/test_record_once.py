"""Issue 17, no lost edits: a step recorded once (an annual review meeting, the decision after
it, the final plan's issue, the decision whether to assess) cannot be applied twice by two
people who opened it at the same time. Two pages opened before either is sent: the first
is recorded, the second is refused with the GOV.UK error summary and nothing of it is kept.
And on a real database, two at the same moment: the row lock lets exactly one through."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.plans import services as plan_services
from everychild.plans.models import AnnualReview, EHCPlan, ReviewDecision
from everychild.testing import factories
from tests.test_no_lost_edits import CHANGED, _form_fields

pytestmark = pytest.mark.django_db


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _typed(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _meeting(attendees: str, meeting_on: dt.date) -> dict:
    return {
        "meeting_on": _typed(meeting_on),
        "invitations_sent_on": _typed(_days_ago(40)),
        "advice_circulated_on": _typed(_days_ago(35)),
        "attendees": attendees,
        "views_summary": "Happy at school.",
        "progress_summary": "Two outcomes met.",
        "recommendation": ReviewDecision.MAINTAIN,
    }


@pytest.fixture
def plan(area):
    return factories.issued_plan(factories.ChildFactory(area=area), issued_on=_days_ago(380))


def _two_open_pages(area, la, url, role=Role.CASEWORKER):
    """Two people of the area open the same page; the forms as each would send them."""
    clients = []
    for _ in range(2):
        person = factories.make_user(role, la, area=area)
        client = Client()
        client.force_login(person)
        page = client.get(url)
        assert page.status_code == 200
        clients.append((client, _form_fields(page.content.decode())))
    return clients


def test_the_review_meeting_recorded_from_two_pages_at_once_is_recorded_once(area, la, plan):
    url = f"/plans/{plan.pk}/review/"
    (first, first_form), (second, second_form) = _two_open_pages(area, la, url)
    first_form.update(_meeting("Parent, SENCO, class teacher", _days_ago(10)))
    second_form.update(_meeting("Parent and SENCO", _days_ago(9)))

    assert first.post(url, first_form).status_code == 302
    refused = second.post(url, second_form)
    text = refused.content.decode()
    assert refused.status_code in (200, 409)
    assert "There is a problem" in text and CHANGED.search(text)

    [review] = AnnualReview.objects.filter(plan=plan)
    assert review.attendees == "Parent, SENCO, class teacher"
    assert EHCPlan.objects.get(pk=plan.pk).last_review_meeting_on == _days_ago(10)


def test_the_same_meeting_date_from_two_pages_is_also_refused_with_the_summary(area, la, plan):
    url = f"/plans/{plan.pk}/review/"
    (first, first_form), (second, second_form) = _two_open_pages(area, la, url)
    first_form.update(_meeting("Parent, SENCO, class teacher", _days_ago(10)))
    second_form.update(_meeting("Parent and SENCO", _days_ago(10)))
    assert first.post(url, first_form).status_code == 302
    text = second.post(url, second_form).content.decode()
    assert "There is a problem" in text
    assert AnnualReview.objects.get(plan=plan).attendees == "Parent, SENCO, class teacher"


def test_a_review_meeting_from_a_current_page_after_the_last_is_still_recorded(area, la, plan):
    url = f"/plans/{plan.pk}/review/"
    [(client, form)] = _two_open_pages(area, la, url)[:1]
    form.update(_meeting("Parent, SENCO, class teacher", _days_ago(10)))
    assert client.post(url, form).status_code == 302
    review = AnnualReview.objects.get(plan=plan)
    plan_services.decide_after_review(
        actor=factories.make_user(Role.CASEWORKER, la, area=area),
        review=review,
        decision=ReviewDecision.MAINTAIN,
        decided_on=_days_ago(5),
        reasons="Progress is good; keep the plan.",
    )
    # The next year's meeting, from a page opened now, is recorded.
    form = _form_fields(client.get(url).content.decode())
    form.update(_meeting("Parent and SENCO", _days_ago(1)))
    assert client.post(url, form).status_code == 302
    assert AnnualReview.objects.filter(plan=plan).count() == 2


def test_the_decision_after_a_review_from_two_pages_is_made_once(area, la, plan):
    review = AnnualReview.objects.create(
        plan=plan,
        due_on=plan.issued_on + dt.timedelta(days=364),
        meeting_on=_days_ago(5),
        recommendation=ReviewDecision.MAINTAIN,
    )
    url = f"/plans/reviews/{review.pk}/"
    (first, first_form), (second, second_form) = _two_open_pages(area, la, url)
    first_form.update(decision="maintain", decided_on=_typed(_days_ago(1)), reasons="Keep it.")
    second_form.update(decision="cease", decided_on=_typed(_days_ago(1)), reasons="Needs met.")
    assert first.post(url, first_form).status_code == 302
    text = second.post(url, second_form).content.decode()
    assert "There is a problem" in text
    review.refresh_from_db()
    assert (review.decision, review.decision_reasons) == ("maintain", "Keep it.")


@pytest.mark.django_db(transaction=True)
def test_two_review_meetings_at_the_same_moment_one_is_recorded(area, la):
    """Two threads that read the plan at the same version: the plan's row lock (SELECT ...
    FOR UPDATE on PostgreSQL; SQLite's one writer) lets exactly one through."""
    plan = factories.issued_plan(factories.ChildFactory(area=area), issued_on=_days_ago(380))
    people = [factories.make_user(Role.CASEWORKER, la, area=area) for _ in range(2)]
    version = plan.review_version
    outcomes = []
    barrier = threading.Barrier(2)

    def record(person, attendees, meeting_on):
        try:
            barrier.wait()
            plan_services.record_review_meeting(
                actor=person,
                plan=EHCPlan.objects.get(pk=plan.pk),
                version=version,
                meeting_on=meeting_on,
                invitations_sent_on=None,
                advice_circulated_on=None,
                attendees=attendees,
                views_summary="Happy at school.",
                progress_summary="Two outcomes met.",
                recommendation=ReviewDecision.MAINTAIN,
            )
            outcomes.append("recorded")
        except Exception as error:  # refused, or SQLite reporting the lock as busy
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=(people[0], "Parent", _days_ago(10))),
        threading.Thread(target=record, args=(people[1], "SENCO", _days_ago(9))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("recorded") == 1, outcomes
    assert AnnualReview.objects.filter(plan=plan).count() == 1

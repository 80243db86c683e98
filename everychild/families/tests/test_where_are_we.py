"""'Where are we?': plain English from the engine and the case's facts, never internal notes
or anyone else's details."""

import pytest
from django.urls import reverse

from everychild.casework import services as casework
from everychild.families import selectors
from everychild.testing import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def long(day):
    return f"{day.day} {day:%B %Y}"


def test_a_family_sees_who_we_are_waiting_for_with_the_engines_dates(
    client, cases, area, parent_of, caseworker
):
    child = factories.ChildFactory(area=area)
    case = cases.assessing(child, received_days_ago=60, advice_days_ago=20)
    casework.add_note(actor=caseworker, case=case, text="Mum is hard to reach; SECRET-NOTE")
    parent = parent_of(child)
    client.force_login(parent)
    page = client.get(reverse("families:case", args=[case.pk])).content.decode()
    advice = case.advice_requests.get()
    from everychild.casework import clock

    due = clock.advice_due(advice.received_by_body_on, area=area)
    assert "We are doing the assessment" in page
    assert (
        f"We asked the educational psychology service for advice on "
        f"{long(advice.received_by_body_on)}; it is due by {long(due)}."
    ) in page
    final_due = clock.clock_for(case).milestone("final_plan").due
    assert long(final_due) in page and "the last day we can send you the final EHC plan" in page
    # Never the notes, the staff's names or the organisation's name.
    assert "SECRET-NOTE" not in page
    assert caseworker.full_name not in page
    assert "Harbour EP Service" not in page
    assert "Tell us about your child" in page


def test_a_missed_legal_date_is_explained(cases, area):
    case = cases.request(received_days_ago=60)  # no decision within 6 weeks
    where = selectors.where_are_we(case)
    assert where.missed and "did not tell you our decision in time" in where.missed[0]


def test_the_draft_window_is_counted_down_from_the_engine(cases, area):
    from everychild.casework import clock

    case = cases.with_draft(draft_days_ago=3)
    where = selectors.where_are_we(case)
    assert where.window["last_day"] == clock.comments_close(days_ago(3))
    assert where.window["is_open"]
    # The 15 days begin with the day the draft was served: 3 days ago was day 1, today is
    # day 4, so today and 11 more days are left.
    assert where.window["days_left"] == 12

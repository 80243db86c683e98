"""The plans' list pages (the quality overview, the review backlog, phase transfers,
disagreements) make the same number of database queries for 5 plans as for 50, with every new
process recorded: plans transferred in (reg 15), amendments proposed and withdrawn (reg 22(4)),
mediation agreements (reg 42), the Tribunal's recommendations, named reg 2 transfers and post-16
moves (reg 18(2))."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from everychild.plans import services
from everychild.plans.models import AnnualReview
from everychild.statutory import reviews as review_rules
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def plans(n: int, area, caseworker, school, start: int = 0) -> None:
    on = timezone.localdate()
    # Year 6 this school year: primary to secondary next September (reg 2(1)(d)).
    born = dt.date(on.year - 10 if on.month >= 9 else on.year - 11, 1, 15)
    move_year = review_rules.phase_move(born, on).year
    for i in range(start, start + n):
        child = factories.ChildFactory(area=area, date_of_birth=born, current_setting=school)
        plan = factories.issued_plan(child, issued_on=ago(300 + (i * 17) % 200))
        if i % 2:
            services.record_transfer_in(
                actor=caseworker, plan=plan, from_authority="Dorset Council", moved_on=ago(40)
            )
        if i % 3 == 0:
            AnnualReview.objects.create(
                plan=plan,
                due_on=ago(10),
                meeting_on=ago(150),
                decision="amend",
                decision_on=ago(140),
                amendments_sent_on=ago(130),
                decision_not_to_amend_on=ago(120) if i % 2 else None,
            )
        if i % 4 == 1:
            services.record_post16_move(
                actor=caseworker, plan=plan, move_on=ago(-200), moving_to="Bournemouth College"
            )
            draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
            services.issue_amendment(actor=caseworker, draft=draft, issued_on=ago(3))
        services.record_phase_transfer(
            actor=caseworker,
            plan=plan,
            year=move_year,
            transfer="primary_to_secondary",
            named_setting=school if i % 2 else None,
            named_on=ago(5) if i % 2 else None,
        )
        item = services.record_disagreement(
            actor=caseworker, plan=plan, decision_disputed="Section F", decision_letter_on=ago(60)
        )
        item = services.update_disagreement(
            actor=caseworker,
            disagreement=item,
            mediation_wanted_la_told_on=ago(55),
            mediation_held_on=ago(50),
        )
        services.record_mediation_agreement(
            actor=caseworker, disagreement=item, kind="other", agreed_on=ago(50), what="Meet"
        )
        services.record_recommendation(
            actor=caseworker,
            disagreement=item,
            body="health",
            body_name="NHS Dorset",
            recommendation="Therapy",
            made_on=ago(20),
        )


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", ["/plans/", "/plans/reviews/", "/plans/phase-transfers/", "/plans/disagreements/"]
)
def test_plan_lists_make_the_same_number_of_queries_for_5_and_50_plans(
    client, area, caseworker, school, url, django_assert_max_num_queries
):
    plans(5, area, caseworker, school)
    client.force_login(caseworker)
    client.get(url)  # warm the session
    at_five = queries_for(client, url)
    plans(45, area, caseworker, school, start=5)
    with django_assert_max_num_queries(at_five):
        response = client.get(url)
    assert response.status_code == 200

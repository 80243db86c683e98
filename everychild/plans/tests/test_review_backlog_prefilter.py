"""The review lists leave to the database only what cannot change their answer: the plans whose
review period began too recently to end by the list's last day (REVIEW_PERIOD_AT_LEAST_DAYS).
Over plans of every kind, and every day of a window, the lists are exactly what the engine
gives plan by plan, and no review period in the engine is ever shorter than the bound."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.access.models import AuditAction, AuditEntry
from everychild.plans import selectors, services
from everychild.plans.clock import review_due
from everychild.plans.models import (
    AnnualReview,
    AreaPlanSettings,
    CeaseReason,
    EHCPlan,
    PlanTransferIn,
)
from everychild.plans.selectors import REVIEW_PERIOD_AT_LEAST_DAYS
from everychild.statutory.rules import SEND_REGULATIONS_IN_FORCE
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def test_review_period_bound():
    """Every day a period can start on, from before the 2014 Regulations (a statement converted
    to a plan keeps its dates) to 2040, each way an area counts and reviews under-5s, a child
    under 5 or not, transferred in that day or not: the engine's next review date is never
    fewer than REVIEW_PERIOD_AT_LEAST_DAYS days after the start."""
    day, last = dt.date(2010, 1, 1), dt.date(2040, 12, 31)
    shortest = None
    while day <= last:
        for six_monthly in (False, True):
            for day_one in (False, True):
                # A transfer in is counted from the 2014 Regulations on (reg 15).
                for transferred in (None, day) if day >= SEND_REGULATIONS_IN_FORCE else (None,):
                    due = review_due(
                        issued_on=day,
                        last_meeting_on=None,
                        born=day - dt.timedelta(days=400),  # under 5 on the day
                        six_monthly_under_5=six_monthly,
                        count_start_as_day_one=day_one,
                        transferred_on=transferred,
                    )
                    gap = (due - day).days
                    shortest = gap if shortest is None else min(shortest, gap)
        day += dt.timedelta(days=1)
    assert shortest >= REVIEW_PERIOD_AT_LEAST_DAYS
    assert shortest < 200  # the six-monthly reviews were reached


def _plans_of_every_kind(area, other_area) -> None:
    """Plans in an area counting the usual way and one reviewing under-5s every 6 months and
    counting the start as day one; issued and last reviewed on every kind of day."""
    other_area.count_start_as_day_one = True
    other_area.save(update_fields=["count_start_as_day_one"])
    AreaPlanSettings.objects.create(area=other_area, six_monthly_reviews_under_5=True)
    today = timezone.localdate()

    def plan(where, *, born=None, issued, last=None, ceased=None, moved=None, transferred=None):
        child = factories.ChildFactory(area=where, **({"date_of_birth": born} if born else {}))
        made = factories.EHCPlanFactory(
            child=child,
            issued_on=issued,
            last_review_meeting_on=last,
            ceased_on=ceased,
            cease_reason=CeaseReason.NEEDS_MET if ceased else "",
        )
        if moved:
            PlanTransferIn.objects.create(
                plan=made,
                from_authority="Dorset Council",
                moved_on=moved,
                plan_transferred_on=transferred,
            )
        return made

    for where in (area, other_area):
        # Issued every 23rd day from about two and a half years ago to 46 days ahead, unreviewed.
        for k in range(-2, 42):
            plan(where, issued=today - dt.timedelta(days=23 * k))
        # Reviewed: long ago, recently, around the bound, today, and in the future.
        for days in (700, 400, 366, 365, 364, 200, 181, 180, 151, 150, 149, 120, 30, 0, -40):
            plan(where, issued=today - dt.timedelta(days=900), last=today - dt.timedelta(days=days))
        # Before the SEND Regulations 2014 (statements converted to plans), and month ends.
        for issued in (dt.date(2010, 1, 31), dt.date(2013, 6, 30), dt.date(2014, 8, 31)):
            plan(where, issued=issued)
        for issued in (dt.date(2024, 2, 29), dt.date(2025, 8, 31), dt.date(2025, 12, 31)):
            plan(where, issued=issued)
        # Under 5, just turning 5, and 5: six-monthly reviews in the other area only.
        for age_days in (400, 1500, 1800, 1830, 1900, 3000):
            for issued_days in (10, 100, 170, 200, 300):
                plan(
                    where,
                    born=today - dt.timedelta(days=age_days),
                    issued=today - dt.timedelta(days=issued_days),
                )
            plan(
                where,
                born=today - dt.timedelta(days=age_days),
                issued=today - dt.timedelta(days=700),
                last=today - dt.timedelta(days=175),
            )
        # Transferred in (reg 15): moved recently, plan arrived or not; reviewed here since.
        for moved_days in (5, 60, 100, 300):
            moved = today - dt.timedelta(days=moved_days)
            plan(where, issued=today - dt.timedelta(days=360), moved=moved)
            plan(where, issued=today - dt.timedelta(days=200), moved=moved, transferred=moved)
            plan(
                where,
                issued=today - dt.timedelta(days=800),
                last=today - dt.timedelta(days=moved_days + 20),
                moved=moved,
                transferred=moved + dt.timedelta(days=10),
            )
        # Ceased plans, overdue or not, are never listed.
        plan(where, issued=today - dt.timedelta(days=800), ceased=today - dt.timedelta(days=9))
        plan(where, issued=today - dt.timedelta(days=100), ceased=today - dt.timedelta(days=1))


def _judged_plan_by_plan(on: dt.date, until: dt.date | None) -> list[tuple]:
    """The plain engine, one plan at a time, over every active plan (no database filter)."""
    found = []
    for plan in EHCPlan.objects.filter(ceased_on__isnull=True).select_related(
        "child", "area", "transfer_in"
    ):
        due = services.next_review_due(plan)
        if until is None or due <= until:
            found.append(
                (plan.pk, plan.child_id, due, (on - due).days, plan.last_review_meeting_on)
            )
    return sorted(found, key=lambda row: (row[2], row[0]))


def _listed(on: dt.date, until: dt.date | None) -> list[tuple]:
    rows = selectors.review_due_rows(EHCPlan.objects.all(), on=on, until=until)
    return [(r.plan_id, r.child_id, r.due, r.overdue_days, r.meeting_on) for r in rows]


def test_the_lists_are_what_the_engine_gives_plan_by_plan(area, other_area):
    _plans_of_every_kind(area, other_area)
    today = timezone.localdate()
    assert len(_judged_plan_by_plan(today, None)) == 226  # 115 an area, 2 ceased
    # The list's last day moves across two years (both sides of every plan's date), and the
    # backlog's own (the end of the month) and My tasks' (some weeks ahead).
    untils = [today + dt.timedelta(days=d) for d in range(-400, 400, 11)]
    untils += [selectors.end_of_month(today), today + dt.timedelta(days=56)]
    for until in untils:
        assert _listed(today, until) == _judged_plan_by_plan(today, until), until
    assert _listed(today, None) == _judged_plan_by_plan(today, None)
    # Some plans were left out by the database for the backlog, so the filter was exercised.
    assert len(_listed(today, selectors.end_of_month(today))) < len(_listed(today, None))


def test_the_backlog_page_shows_what_the_engine_gives(area, other_area, caseworker):
    _plans_of_every_kind(area, other_area)
    today = timezone.localdate()
    backlog = selectors.review_backlog(caseworker)
    expected = [
        row
        for row in _judged_plan_by_plan(today, selectors.end_of_month(today))
        if EHCPlan.objects.get(pk=row[0]).area_id == area.pk
    ]
    listed = [(r.plan_id, r.due) for r in backlog["overdue"] + backlog["this_month"]]
    assert listed == [(row[0], row[2]) for row in expected]
    assert {r.plan_id for r in backlog["overdue"]} == {row[0] for row in expected if row[3] > 0}


def test_the_backlog_page_audits_each_list_by_name_in_one_write(client, area, caseworker):
    today = timezone.localdate()
    overdue = factories.issued_plan(
        factories.ChildFactory(area=area), issued_on=today - dt.timedelta(500)
    )
    recent = today - dt.timedelta(days=200)
    awaiting = factories.issued_plan(factories.ChildFactory(area=area), issued_on=recent)
    AnnualReview.objects.create(
        plan=awaiting, due_on=recent + dt.timedelta(364), meeting_on=today - dt.timedelta(3)
    )
    amending = factories.issued_plan(factories.ChildFactory(area=area), issued_on=recent)
    AnnualReview.objects.create(
        plan=amending,
        due_on=recent + dt.timedelta(364),
        meeting_on=today - dt.timedelta(150),
        decision="amend",
        decision_on=today - dt.timedelta(140),
        amendments_sent_on=today - dt.timedelta(130),
    )
    client.force_login(caseworker)
    client.get("/plans/reviews/")  # the session's first request
    before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    assert client.get("/plans/reviews/").status_code == 200
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.detail["list"], e.child_id) for e in entries] == [
        ("review_backlog", overdue.child_id),
        ("review_awaiting_decision", awaiting.child_id),
        ("review_amendments_overdue", amending.child_id),
    ]
    assert {(e.actor_id, e.action, e.record_type, e.at) for e in entries} == {
        (caseworker.pk, AuditAction.VIEW, "plans.EHCPlan", entries[0].at)
    }

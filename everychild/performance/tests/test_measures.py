"""Every measure on one small area whose figures are worked out by hand below.

Today is 15 January 2025; the period is the calendar year 2024. The area has no school
closures, and 2024 is outside the 2020 easement, so the only exceptions are the recorded ones.

Requests (received; decision; outcome), days counted from the request (day 0):

    A  8 Jan 2024   assess  5 Feb (+28, in 6 weeks)   plan 20 May (+133, in 20 weeks)
    B 10 Jan 2024   assess  1 Mar (+51, late)         plan  1 Aug (+204, late)
    C  1 Feb 2024   assess 29 Feb (+28)               plan  2 Sep (+214, late) - exception
                    10(4)(c) from 1 Mar to 30 Apr lifts the limit
    D  1 Mar 2024   assess 28 Mar (+27)               plan 10 Jun (+101, in time) - exception
                    10(4)(d), away 1 Apr to 10 May (40 days): Week20 = 1 although on time
    E  4 Mar 2024   not to assess 1 Apr (+28)
    F  3 Jun 2024   assess  1 Jul (+28)               not to issue 2 Sep
    G  5 Feb 2024   assess  1 Apr (+56, late)         still open today
    H  1 Apr 2024   assess 29 Apr (+28)               plan 15 Jul (+105, in time)
    I  4 Nov 2024   no decision yet
    J  1 Dec 2023   assess  5 Jan 2024 (+35)          plan 15 Apr 2024 (+136, in time)

Plans made before the records began: P1 (2015, reviewed Oct 2024), P2 (2016, last reviewed
1 Nov 2023: review overdue), P3 (2017, ceased 31 Jul 2024), P5 (June 2023, never reviewed:
overdue since 1 Jun 2024).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import transaction

from everychild.accounts.models import Role, SettingType
from everychild.casework.models import AdviceKind, CaseException, Decision
from everychild.children.codes import NeedType
from everychild.performance import dataset, measures
from everychild.performance.filters import Filters
from everychild.performance.measures.base import NOT_COUNTED_FOR_A_PAST_DAY
from everychild.performance.periods import Period, calendar_year, months
from everychild.plans.models import AnnualReview, Disagreement, PlanTransferIn, ReviewDecision
from everychild.testing import factories

TODAY = date(2025, 1, 15)
BORN = date(2016, 6, 1)
YEAR = calendar_year(2024)


@dataclass
class World:
    area: object
    cases: dict
    plans: dict
    advice: dict
    caseworkers: dict
    settings: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _build() -> World:
    area = factories.AreaFactory(setting_closures=[])
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    cw1 = factories.make_user(Role.CASEWORKER, la)
    cw2 = factories.make_user(Role.CASEWORKER, la)
    settings = {
        "mainstream": factories.SchoolFactory(area=area),
        "special": factories.SchoolFactory(area=area, setting_type=SettingType.MAINTAINED_SPECIAL),
        "independent": factories.SchoolFactory(
            area=area, setting_type=SettingType.INDEPENDENT_SPECIAL
        ),
        "early_years": factories.EarlyYearsFactory(area=area),
        "college": factories.CollegeFactory(area=area),
    }
    d = date

    def case(key, received, decision=None, decided=None, final=None, not_issued=None, cw=None,
             born=BORN):  # fmt: skip
        child = factories.ChildFactory(area=area, date_of_birth=born)
        return factories.AssessmentRequestFactory(
            child=child,
            received_on=received,
            decision=decision or "",
            decision_on=decided,
            final_plan_issued_on=final,
            decision_not_to_issue_on=not_issued,
            caseworker=cw,
            reference=f"T-{key}",
        )

    assess, refuse = Decision.ASSESS, Decision.NOT_ASSESS
    cases = {
        "A": case("A", d(2024, 1, 8), assess, d(2024, 2, 5), d(2024, 5, 20), cw=cw1),
        "B": case("B", d(2024, 1, 10), assess, d(2024, 3, 1), d(2024, 8, 1), cw=cw2),
        "C": case("C", d(2024, 2, 1), assess, d(2024, 2, 29), d(2024, 9, 2), cw=cw1),
        "D": case(
            "D", d(2024, 3, 1), assess, d(2024, 3, 28), d(2024, 6, 10), cw=cw2, born=d(2021, 9, 1)
        ),  # fmt: skip
        "E": case("E", d(2024, 3, 4), refuse, d(2024, 4, 1), cw=cw1),
        "F": case("F", d(2024, 6, 3), assess, d(2024, 7, 1), not_issued=d(2024, 9, 2), cw=cw2),
        "G": case("G", d(2024, 2, 5), assess, d(2024, 4, 1), cw=cw2),
        "H": case("H", d(2024, 4, 1), assess, d(2024, 4, 29), d(2024, 7, 15), cw=cw2),
        "I": case("I", d(2024, 11, 4), cw=cw2),
        "J": case(
            "J", d(2023, 12, 1), assess, d(2024, 1, 5), d(2024, 4, 15), cw=cw2, born=d(2007, 3, 1)
        ),  # fmt: skip
    }
    CaseException.objects.create(
        assessment_request=cases["C"],
        regulation=CaseException.Regulation.PERSONAL_CIRCUMSTANCES,
        starts_on=d(2024, 3, 1),
        ends_on=d(2024, 4, 30),
        reason="Parent in hospital",
    )
    CaseException.objects.create(
        assessment_request=cases["D"],
        regulation=CaseException.Regulation.ABSENT_FROM_AREA,
        starts_on=d(2024, 4, 1),
        ends_on=d(2024, 5, 10),
        reason="Away from the area",
    )

    def plan(key, issued, need, setting=None, code="", case_key=None, ceased=None, review=None):
        child = cases[case_key].child if case_key else factories.ChildFactory(area=area)
        return factories.EHCPlanFactory(
            child=child,
            assessment_request=cases[case_key] if case_key else None,
            issued_on=issued,
            primary_need=need,
            setting=settings[setting] if setting else None,
            setting_code=code,
            ceased_on=ceased,
            cease_reason="2" if ceased else "",
            last_review_meeting_on=review,
        )

    ASD, SEMH, SLCN, MLD, SPLD = "ASD", "SEMH", "SLCN", "MLD", "SPLD"
    plans = {
        "A": plan("A", d(2024, 5, 20), ASD, "mainstream", case_key="A"),
        "B": plan("B", d(2024, 8, 1), SEMH, "special", case_key="B"),
        "C": plan("C", d(2024, 9, 2), ASD, "mainstream", case_key="C"),
        "D": plan("D", d(2024, 6, 10), SLCN, "early_years", case_key="D"),
        "H": plan("H", d(2024, 7, 15), ASD, "independent", case_key="H"),
        "J": plan("J", d(2024, 4, 15), MLD, "college", case_key="J"),
        "P1": plan("P1", d(2015, 6, 1), ASD, "mainstream", review=d(2024, 10, 1)),
        "P2": plan("P2", d(2016, 1, 10), SEMH, code="EHE", review=d(2023, 11, 1)),
        "P3": plan("P3", d(2017, 3, 1), MLD, "mainstream", ceased=d(2024, 7, 31)),
        "P5": plan("P5", d(2023, 6, 1), SPLD, code="NEET"),
    }

    def ep_advice(key, received, provided=None, cancelled=None):
        return factories.AdviceRequestFactory(
            assessment_request=cases[key],
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            organisation=ep,
            received_by_body_on=received,
            provided_on=provided,
            cancelled_on=cancelled,
        )

    advice = {
        "A": ep_advice("A", d(2024, 2, 7), d(2024, 3, 10)),  # 32 days
        "B": ep_advice("B", d(2024, 3, 4), d(2024, 5, 20)),  # 77 days
        "C": ep_advice("C", d(2024, 3, 4), d(2024, 4, 10)),  # 37 days
        "G": ep_advice("G", d(2024, 4, 3)),  # due 15 May 2024, still waiting
        "H": ep_advice("H", d(2024, 5, 1), d(2024, 6, 5)),  # 35 days
        "J": ep_advice("J", d(2024, 1, 8), d(2024, 2, 12)),  # 35 days
        "F": ep_advice("F", d(2024, 7, 3), cancelled=d(2024, 8, 20)),  # due 14 Aug
    }
    # Health advice does not count towards the EP measures.
    factories.AdviceRequestFactory(
        assessment_request=cases["G"], kind=AdviceKind.HEALTH, received_by_body_on=d(2024, 4, 3)
    )
    # Annual reviews: P1 met 1 Oct 2024, decided 20 Oct (19 days: in time); P2 met 1 Nov 2023,
    # decided 15 Jan 2024 (75 days: late); P5 met 2 Dec 2024, not decided yet (not counted).
    review = AnnualReview.objects.create
    review(plan=plans["P1"], due_on=d(2024, 10, 1), meeting_on=d(2024, 10, 1),
           decision=ReviewDecision.MAINTAIN, decision_on=d(2024, 10, 20))  # fmt: skip
    review(plan=plans["P2"], due_on=d(2023, 11, 1), meeting_on=d(2023, 11, 1),
           decision=ReviewDecision.AMEND, decision_on=d(2024, 1, 15))  # fmt: skip
    review(plan=plans["P5"], due_on=d(2024, 6, 1), meeting_on=d(2024, 12, 2))
    # Disagreements: E's family went to mediation (10 May 2024), then appealed (1 Jun), and the
    # LA conceded (1 Aug). F's appealed the decision not to issue (1 Oct), and the Tribunal
    # ordered a plan (10 Dec). P1's family had a mediation in 2023 (outside the year).
    dispute = Disagreement.objects.create
    dispute(area=area, child=cases["E"].child, decision_disputed="Not to assess",
            decision_letter_on=d(2024, 4, 1), mediation_held_on=d(2024, 5, 10),
            appeal_registered_on=d(2024, 6, 1), outcome=Disagreement.Outcome.CONCEDED,
            outcome_on=d(2024, 8, 1))  # fmt: skip
    dispute(area=area, child=cases["F"].child, decision_disputed="Not to issue a plan",
            decision_letter_on=d(2024, 9, 2), appeal_registered_on=d(2024, 10, 1),
            outcome=Disagreement.Outcome.ORDER, outcome_on=d(2024, 12, 10))  # fmt: skip
    dispute(area=area, child=plans["P1"].child, plan=plans["P1"],
            decision_disputed="The plan's contents", decision_letter_on=d(2023, 5, 1),
            mediation_held_on=d(2023, 6, 1), outcome=Disagreement.Outcome.RESOLVED_IN_MEDIATION,
            outcome_on=d(2023, 6, 1))  # fmt: skip
    return World(area, cases, plans, advice, {"cw1": cw1, "cw2": cw2}, settings)


@pytest.fixture
def data(world, db):
    return dataset.load(world.area, TODAY)


def ids(world, kind, *keys):
    return sorted(getattr(world, kind)[k].pk for k in keys)


def test_plans_within_20_weeks_including_exceptions(world, data):
    figure = measures.get("plans_within_20_weeks").figure(data, YEAR)
    # Issued in 2024: A, B, C, D, H, J; within 20 weeks: A, D, H, J.
    assert (figure.numerator, figure.denominator, figure.value) == (4, 6, 66.7)
    assert sorted(figure.numerator_ids) == ids(world, "cases", "A", "D", "H", "J")


def test_plans_within_20_weeks_excluding_exceptions(world, data):
    figure = measures.get("plans_within_20_weeks_excluding_exceptions").figure(data, YEAR)
    # C (late, excused) and D (on time, but an exception applied: Week20 = 1) are left out:
    # A, B, H, J remain, of which A, H, J were within 20 weeks.
    assert (figure.numerator, figure.denominator, figure.value) == (3, 4, 75.0)
    assert sorted(figure.denominator_ids) == ids(world, "cases", "A", "B", "H", "J")


def test_the_pair_differs_only_by_the_cases_with_exceptions(world, data):
    including = measures.get("plans_within_20_weeks").figure(data, YEAR)
    excluding = measures.get("plans_within_20_weeks_excluding_exceptions").figure(data, YEAR)
    left_out = set(including.denominator_ids) - set(excluding.denominator_ids)
    assert left_out == set(ids(world, "cases", "C", "D"))


def test_decisions_within_6_weeks(world, data):
    figure = measures.get("decisions_within_6_weeks").figure(data, YEAR)
    # DfE's cohort, the requests received in 2024: A B C D E F G H I (J was received in
    # 2023). Within 6 weeks: A C D E F H; over: B (+51), G (+56) and I, undecided today at
    # +72 days.
    assert (figure.numerator, figure.denominator, figure.value) == (6, 9, 66.7)


def test_plans_by_20_to_52_and_over_52_weeks(world, data):
    # New plans issued in 2024: A (+133), B (+204), C (+214), D (+101), H (+105), J (+136).
    middle = measures.get("plans_issued_20_to_52_weeks").figure(data, YEAR)
    assert (middle.numerator, middle.denominator, middle.value) == (2, 6, 33.3)
    over = measures.get("plans_issued_over_52_weeks").figure(data, YEAR)
    assert (over.numerator, over.denominator, over.value) == (0, 6, 0.0)


def test_open_past_20_and_30_weeks(world, data):
    past_20, past_30 = measures.get("open_past_20_weeks"), measures.get("open_past_30_weeks")
    on = lambda day: Period(day, day)  # noqa: E731
    # 30 June 2024: B (172 days), C (150) and G (146) are open past 140 days; none past 210.
    assert past_20.figure(data, on(date(2024, 6, 30))).value == 3
    assert past_30.figure(data, on(date(2024, 6, 30))).value == 0
    # 31 August 2024: B has its plan; C (212 days) and G (208) remain past 20 weeks, C past 30.
    assert past_20.figure(data, on(date(2024, 8, 31))).value == 2
    assert past_30.figure(data, on(date(2024, 8, 31))).numerator_ids == ids(world, "cases", "C")
    # Today: only G (345 days); I is 72 days old.
    assert past_20.figure(data, YEAR).value == 1  # read on the period's last day
    assert past_30.figure(data, Period(TODAY, TODAY)).value == 1


def test_ep_advice_backlog(world, data):
    backlog = measures.get("ep_advice_backlog")
    # B's advice was due on 15 April 2024 and given on 20 May; G's was due on 15 May (+42) and
    # is still waiting; F's was due on 14 August and was cancelled on 20 August.
    on = lambda day: Period(day, day)  # noqa: E731
    assert backlog.figure(data, on(date(2024, 4, 15))).value == 0
    assert backlog.figure(data, on(date(2024, 4, 16))).value == 1  # B
    assert backlog.figure(data, on(date(2024, 5, 16))).value == 2  # B, G
    assert backlog.figure(data, on(date(2024, 5, 20))).value == 1  # G: B's advice came today
    assert backlog.figure(data, on(date(2024, 8, 16))).value == 2  # G, F
    figure = backlog.figure(data, Period(TODAY, TODAY))
    assert figure.value == 1 and figure.numerator_ids == [world.advice["G"].pk]


def test_ep_advice_wait_median_and_90th_percentile(world, data):
    figure = measures.get("ep_advice_wait").figure(data, YEAR)
    # Given in 2024 after 32, 77, 37, 35 and 35 days: 4.57, 11.0, 5.29, 5.0, 5.0 weeks.
    # Nearest rank: the median is the 3rd of 5 (5.0), the 90th percentile the 5th (11.0).
    assert figure.value == 5.0
    assert figure.extra["p90"] == 11.0
    assert figure.numerator == 5


@pytest.fixture
def on_today():
    """The clock at noon on TODAY: a today-only measure is counted only for today."""
    with time_machine.travel(datetime(2025, 1, 15, 12, 0, tzinfo=UTC), tick=False):
        yield


def test_annual_review_backlog(world, data, on_today):
    figure = measures.get("annual_review_backlog").figure(data, YEAR)
    # P2 (last review 1 Nov 2023) and P5 (issued 1 Jun 2023, never reviewed). P1 was reviewed
    # in October 2024; P3 has ceased; the 2024 plans are not a year old.
    assert sorted(figure.numerator_ids) == ids(world, "plans", "P2", "P5")


def test_a_plan_transferred_in_is_not_in_the_backlog_until_3_months_after_the_transfer(world):
    """SEND Regulations 2014 reg 15: a transferred plan's review is due by the later of the
    s.44(1) date and 3 months from the transfer. P5 (issued 1 Jun 2023, never reviewed) was
    late on its own dates; transferred on 2 Dec 2024, its review is due by 1 Mar 2025."""
    PlanTransferIn.objects.create(
        plan=world.plans["P5"],
        from_authority="Another council",
        moved_on=date(2024, 12, 2),
        plan_transferred_on=date(2024, 12, 2),
    )
    with time_machine.travel(datetime(2025, 1, 15, 12, 0, tzinfo=UTC), tick=False):
        figure = measures.get("annual_review_backlog").figure(dataset.load(world.area, TODAY), YEAR)
    assert sorted(figure.numerator_ids) == ids(world, "plans", "P2")
    with time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False):
        later = measures.get("annual_review_backlog").figure(
            dataset.load(world.area, date(2025, 3, 3)), Period(date(2025, 3, 3), date(2025, 3, 3))
        )
    assert world.plans["P5"].pk in later.numerator_ids


def test_annual_review_backlog_has_no_past(world, data, on_today):
    series = measures.get("annual_review_backlog").series(data, months(date(2024, 1, 1), TODAY))
    assert all(f.value is None for f in series[:-1])
    assert series[-1].value == 2


def test_annual_review_backlog_is_not_counted_as_at_a_past_day(world):
    """Asked as at a past day (a board pack as at the end of a month), the today-only measure
    gives no figure and says why: never today's count presented as that day's, and never a
    count of that day made from the latest review meetings (which may be after it)."""
    measure = measures.get("annual_review_backlog")
    with time_machine.travel(datetime(2025, 3, 3, 12, 0, tzinfo=UTC), tick=False):
        today = measure.figure(dataset.load(world.area, date(2025, 3, 3)), YEAR)
        past = dataset.load(world.area, TODAY)
        figure = measure.figure(past, YEAR)
        cached = measure.cached_figure(past, YEAR)
        series = measure.series(past, months(date(2024, 1, 1), TODAY))
    assert today.value is not None and today.not_counted == ""
    for each in (figure, cached, series[-1]):
        assert each.value is None and each.numerator is None and each.numerator_ids == []
        assert each.not_counted == NOT_COUNTED_FOR_A_PAST_DAY
    assert all(f.value is None for f in series)


def test_review_decisions_within_4_weeks(world, data):
    figure = measures.get("review_decisions_within_4_weeks").figure(data, YEAR)
    # Decided in 2024: P1 (19 days after the meeting) and P2 (75 days); P5 awaits a decision.
    assert (figure.numerator, figure.denominator, figure.value) == (1, 2, 50.0)
    assert figure.numerator_ids == ids(world, "plans", "P1")


def test_disagreements_per_100_decisions(world, data):
    figure = measures.get("disagreements_per_100_decisions").figure(data, YEAR)
    # Decisions in 2024: 9 whether to assess (A B C D E F G H J), 6 final plans (A B C D H J)
    # and 1 not to issue (F) = 16. Mediations and appeals in 2024: E's mediation, E's appeal,
    # F's appeal = 3. 3 / 16 x 100 = 18.75.
    assert (figure.numerator, figure.denominator, figure.value) == (3, 16, 18.8)


def test_tribunal_outcomes(world, data):
    figure = measures.get("tribunal_outcomes").figure(data, YEAR)
    assert figure.value == 2
    assert figure.breakdown == {
        "Appeal conceded by the local authority (not opposed)": 1,
        "Tribunal decided: order made": 1,
    }


def test_requests_received_and_refused(world, data):
    received = measures.get("requests_received").figure(data, YEAR)
    assert received.value == 9  # A-I; J came in December 2023
    refused = measures.get("requests_refused").figure(data, YEAR)
    assert (refused.numerator, refused.denominator, refused.value) == (1, 9, 11.1)  # E


def test_assessments_leading_to_a_plan(world, data):
    figure = measures.get("assessments_leading_to_plan").figure(data, YEAR)
    # Outcomes in 2024: plans for A B C D H J, a decision not to issue for F.
    assert (figure.numerator, figure.denominator, figure.value) == (6, 7, 85.7)


def test_plans_issued(world, data):
    assert measures.get("plans_issued").figure(data, YEAR).value == 6


def test_active_plans_and_growth(world, data):
    active = measures.get("active_plans")
    today = Period(TODAY, TODAY)
    assert active.figure(data, today).value == 9  # A B C D H J P1 P2 P5
    year_before = Period(date(2024, 1, 15), date(2024, 1, 15))
    assert active.figure(data, year_before).value == 4  # P1 P2 P3 P5
    growth = measures.get("caseload_growth").figure(data, today)
    assert growth.value == 125.0  # (9 - 4) / 4


def test_placement_mix(world, data):
    figure = measures.get("placement_mix").figure(data, Period(TODAY, TODAY))
    assert figure.breakdown == {
        "mainstream": 3,  # A, C, P1
        "special": 2,  # B (maintained special), H (independent special)
        "early_years": 1,  # D
        "post16": 1,  # J (college)
        "elsewhere": 2,  # P2 (EHE), P5 (NEET)
    }


def test_primary_need_mix(world, data):
    figure = measures.get("primary_need_mix").figure(data, Period(TODAY, TODAY))
    assert figure.breakdown == {"ASD": 4, "SEMH": 2, "SLCN": 1, "MLD": 1, "SPLD": 1}


def test_every_measure_is_tested_here():
    tested = {
        "plans_within_20_weeks",
        "plans_within_20_weeks_excluding_exceptions",
        "plans_issued_20_to_52_weeks",
        "plans_issued_over_52_weeks",
        "decisions_within_6_weeks",
        "open_past_20_weeks",
        "open_past_30_weeks",
        "ep_advice_backlog",
        "ep_advice_wait",
        "annual_review_backlog",
        "requests_received",
        "requests_refused",
        "assessments_leading_to_plan",
        "plans_issued",
        "active_plans",
        "caseload_growth",
        "placement_mix",
        "primary_need_mix",
        "review_decisions_within_4_weeks",
        "disagreements_per_100_decisions",
        "tribunal_outcomes",
    }
    # The measures of SEN support, tested in test_support_measures.py.
    tested |= {
        "sen_support_by_phase",
        "sen_support_by_need",
        "sen_support_by_age",
        "support_reviews_on_time",
        "requests_with_support_evidence",
        "refused_with_support_evidence",
        "refused_without_support_evidence",
        "support_to_request_weeks",
        "support_then_ehc_plan",
    }
    assert set(measures.MEASURES) == tested


def test_every_measure_has_a_written_definition():
    for measure in measures.MEASURES.values():
        definition = measure.definition
        assert measure.id and measure.title
        for part in (definition.numerator, definition.denominator, definition.period):
            assert len(part) > 10, measure.id
        assert definition.exclusions, measure.id


# --- filters --------------------------------------------------------------------------------


def test_filter_by_caseworker(world, data):
    mine = data.filtered(Filters(caseworker_id=world.caseworkers["cw1"].pk))
    figure = measures.get("plans_within_20_weeks").figure(mine, YEAR)
    assert (figure.numerator, figure.denominator) == (1, 2)  # A in time, C late


def test_filter_by_primary_need(world, data):
    autism = data.filtered(Filters(primary_need=NeedType.ASD))
    figure = measures.get("plans_within_20_weeks").figure(autism, YEAR)
    assert (figure.numerator, figure.denominator) == (2, 3)  # A, H of A, C, H


def test_filter_by_setting(world, data):
    mainstream = data.filtered(Filters(setting_id=world.settings["mainstream"].pk))
    figure = measures.get("active_plans").figure(mainstream, Period(TODAY, TODAY))
    assert sorted(figure.numerator_ids) == ids(world, "plans", "A", "C", "P1")


def test_filter_by_age_group(world, data):
    # D was 2 when the request came; J was 16.
    under_5 = data.filtered(Filters(age_group="under-5"))
    assert measures.get("plans_issued").figure(under_5, YEAR).numerator_ids == ids(
        world, "cases", "D"
    )
    older = data.filtered(Filters(age_group="16-19"))
    assert measures.get("plans_issued").figure(older, YEAR).numerator_ids == ids(
        world, "cases", "J"
    )


def test_a_monthly_series_agrees_with_each_month(world, data):
    periods = months(date(2024, 1, 1), TODAY)
    for measure in measures.MEASURES.values():
        if measure.today_only or measure.id == "caseload_growth":
            continue
        series = measure.series(data, periods)
        for period, from_series in zip(periods, series, strict=True):
            alone = measure.figure(data, period)
            assert from_series.value == alone.value, (measure.id, period)

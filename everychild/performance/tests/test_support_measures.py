"""The measures of SEN support (issue 22, decision 0221) on one small area whose figures are
worked out by hand below. Today is 15 January 2025; the period is the calendar year 2024.

Support plans (child born; setting now; need; started; ended):

    S1  c1 1 Jun 2016, primary school     SLCN  10 Jan 2024  open
    S2  c2 1 May 2010, secondary school   SEMH   1 Mar 2024  open
    S3  c3 1 Mar 2021, early years        SLCN   1 Sep 2024  open
    S4  c4 1 Feb 2012, special school     ASD    1 Jun 2023  open (an EHC plan since 2022)
    S5  c5 1 Jun 2016, primary school     MLD    1 Feb 2024  ended 1 Jul 2024

Cycles whose review fell due in 2024: S1 #1 due 10 Apr held 8 Apr (on time), #2 due 10 Jul held
20 Jul (late), #3 due 1 Dec not held (late); S2 #1 due 1 Jun held 1 Jun (on time); S2 #2 due
1 Mar 2025 (future: not counted); S5 #1 due 1 Aug, plan ended 1 Jul (not counted).

Requests in 2024: R1 c1 3 Jun, made from S1, refused; R2 c2 1 Aug, school steps, assessed;
R3 3 May no evidence, refused; R4 2 Sep no evidence, no decision; R5 7 Oct no evidence,
assessed. c1 had an EHC plan issued on 1 Oct 2024.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from everychild.accounts.models import Role, SettingType
from everychild.casework.models import Decision, GraduatedApproachStep, SchoolRequest
from everychild.performance import dataset, measures
from everychild.performance.filters import Filters
from everychild.performance.periods import Period, calendar_year, months
from everychild.performance.suppression import shown
from everychild.support.models import RequestFromSupport, SupportCycle, SupportPlan
from everychild.testing import factories

TODAY = date(2025, 1, 15)
YEAR = calendar_year(2024)
NOW = Period(TODAY, TODAY)
d = date


@dataclass
class World:
    area: object
    plans: dict
    cases: dict
    settings: dict


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _build() -> World:
    area = factories.AreaFactory(setting_closures=[])
    settings = {
        "primary": factories.SchoolFactory(area=area, phase="Primary"),
        "secondary": factories.SchoolFactory(area=area, phase="Secondary"),
        "special": factories.SchoolFactory(area=area, setting_type=SettingType.MAINTAINED_SPECIAL),
        "early_years": factories.EarlyYearsFactory(area=area),
    }
    senco = factories.make_user(Role.SENCO, settings["primary"])

    def child(born, setting):
        return factories.ChildFactory(
            area=area, date_of_birth=born, current_setting=settings[setting]
        )

    children = {
        "c1": child(d(2016, 6, 1), "primary"),
        "c2": child(d(2010, 5, 1), "secondary"),
        "c3": child(d(2021, 3, 1), "early_years"),
        "c4": child(d(2012, 2, 1), "special"),
        "c5": child(d(2016, 6, 1), "primary"),
    }

    def plan(key, need, started, ended=None):
        return SupportPlan.objects.create(
            child=children[key],
            area=area,
            started_by_setting=children[key].current_setting,
            started_on=started,
            ended_on=ended,
            primary_need=need,
            created_by=senco,
        )

    plans = {
        "S1": plan("c1", "SLCN", d(2024, 1, 10)),
        "S2": plan("c2", "SEMH", d(2024, 3, 1)),
        "S3": plan("c3", "SLCN", d(2024, 9, 1)),
        "S4": plan("c4", "ASD", d(2023, 6, 1)),
        "S5": plan("c5", "MLD", d(2024, 2, 1), d(2024, 7, 1)),
    }

    def cycle(key, number, due, held=None):
        SupportCycle.objects.create(
            plan=plans[key],
            number=number,
            started_on=plans[key].started_on,
            assessed="Assessed",
            planned="Planned",
            review_due=due,
            reviewed_on=held,
            created_by=senco,
        )

    cycle("S1", 1, d(2024, 4, 10), d(2024, 4, 8))
    cycle("S1", 2, d(2024, 7, 10), d(2024, 7, 20))
    cycle("S1", 3, d(2024, 12, 1))
    cycle("S2", 1, d(2024, 6, 1), d(2024, 6, 1))
    cycle("S2", 2, d(2025, 3, 1))
    cycle("S5", 1, d(2024, 8, 1))

    def case(key, received, decision="", who=None):
        return factories.AssessmentRequestFactory(
            child=who or factories.ChildFactory(area=area),
            received_on=received,
            decision=decision,
            decision_on=d(received.year, received.month + 1, 1) if decision else None,
            reference=f"S-{key}",
        )

    cases = {
        "R1": case("R1", d(2024, 6, 3), Decision.NOT_ASSESS, children["c1"]),
        "R2": case("R2", d(2024, 8, 1), Decision.ASSESS, children["c2"]),
        "R3": case("R3", d(2024, 5, 3), Decision.NOT_ASSESS),
        "R4": case("R4", d(2024, 9, 2)),
        "R5": case("R5", d(2024, 10, 7), Decision.ASSESS),
    }
    RequestFromSupport.objects.create(
        plan=plans["S1"], assessment_request=cases["R1"], made_on=d(2024, 6, 3)
    )
    sent = SchoolRequest.objects.create(
        assessment_request=cases["R2"],
        setting=settings["secondary"],
        made_by=senco,
        consent_given_by="A parent",
        consent_given_on=d(2024, 7, 30),
        family_views="Yes",
    )
    GraduatedApproachStep.objects.create(
        school_request=sent, kind="review", started_on=d(2024, 6, 1), what="Review"
    )
    factories.EHCPlanFactory(child=children["c1"], issued_on=d(2024, 10, 1))
    factories.EHCPlanFactory(child=children["c4"], issued_on=d(2022, 9, 1))
    return World(area, plans, cases, settings)


@pytest.fixture
def data(world, db):
    return dataset.load(world.area, TODAY)


def ids(world, kind, *keys):
    return sorted(getattr(world, kind)[k].pk for k in keys)


def test_children_on_sen_support_by_phase(world, data):
    figure = measures.get("sen_support_by_phase").figure(data, NOW)
    assert figure.value == 4  # S5 has ended
    assert figure.breakdown == {"primary": 1, "secondary": 1, "early_years": 1, "special": 1}
    assert sorted(figure.numerator_ids) == ids(world, "plans", "S1", "S2", "S3", "S4")


def test_children_on_sen_support_by_need(world, data):
    figure = measures.get("sen_support_by_need").figure(data, NOW)
    assert figure.breakdown == {"SLCN": 2, "SEMH": 1, "ASD": 1}


def test_children_on_sen_support_by_age(world, data):
    figure = measures.get("sen_support_by_age").figure(data, NOW)
    assert figure.breakdown == {"5-10": 1, "11-15": 2, "under-5": 1}


def test_sen_support_in_the_past_counts_the_plans_open_then(world, data):
    mid_2024 = Period(d(2024, 6, 1), d(2024, 6, 30))
    figure = measures.get("sen_support_by_phase").figure(data, mid_2024)
    assert sorted(figure.numerator_ids) == ids(world, "plans", "S1", "S2", "S4", "S5")


def test_support_plan_reviews_on_time(world, data):
    figure = measures.get("support_reviews_on_time").figure(data, YEAR)
    assert (figure.numerator, figure.denominator, figure.value) == (2, 4, 50.0)


def test_requests_with_graduated_approach_evidence(world, data):
    figure = measures.get("requests_with_support_evidence").figure(data, YEAR)
    assert (figure.numerator, figure.denominator) == (2, 5)
    assert sorted(figure.numerator_ids) == ids(world, "cases", "R1", "R2")


def test_refusal_share_with_and_without_evidence(world, data):
    with_ = measures.get("refused_with_support_evidence").figure(data, YEAR)
    without = measures.get("refused_without_support_evidence").figure(data, YEAR)
    assert (with_.numerator, with_.denominator, with_.value) == (1, 2, 50.0)
    assert (without.numerator, without.denominator, without.value) == (1, 3, 33.3)


def test_median_time_from_sen_support_to_request(world, data):
    figure = measures.get("support_to_request_weeks").figure(data, YEAR)
    # R1: 10 Jan to 3 Jun 2024 = 145 days; R2: 1 Mar to 1 Aug = 153 days; nearest rank.
    assert figure.value == round(145 / 7, 1)
    assert figure.extra["p90"] == round(153 / 7, 1)


def test_children_with_a_support_plan_who_later_have_an_ehc_plan(world, data):
    figure = measures.get("support_then_ehc_plan").figure(data, YEAR)
    assert (figure.numerator, figure.denominator, figure.value) == (1, 4, 25.0)
    assert figure.numerator_ids == ids(world, "plans", "S1")


def test_filters_apply_to_support_plans(world, data):
    primary = data.filtered(Filters(setting_id=world.settings["primary"].pk))
    figure = measures.get("sen_support_by_phase").figure(primary, NOW)
    assert figure.numerator_ids == ids(world, "plans", "S1")
    slcn = data.filtered(Filters(primary_need="SLCN"))
    assert measures.get("sen_support_by_need").figure(slcn, NOW).value == 2


def test_a_new_support_plan_is_counted_on_the_next_load(world, db):
    before = measures.get("sen_support_by_need").figure(dataset.load(world.area, TODAY), NOW)
    child = factories.ChildFactory(area=world.area, current_setting=world.settings["primary"])
    SupportPlan.objects.create(
        child=child,
        area=world.area,
        started_by_setting=world.settings["primary"],
        started_on=d(2025, 1, 2),
        primary_need="SPLD",
        created_by=world.plans["S1"].created_by,
    )
    after = measures.get("sen_support_by_need").figure(dataset.load(world.area, TODAY), NOW)
    assert after.value == before.value + 1


def test_a_series_agrees_with_each_month(world, data):
    periods = months(d(2024, 1, 1), TODAY)
    for measure_id in (
        "sen_support_by_phase",
        "support_reviews_on_time",
        "requests_with_support_evidence",
        "support_to_request_weeks",
        "support_then_ehc_plan",
    ):
        measure = measures.get(measure_id)
        series = measure.series(data, periods)
        for period, from_series in zip(periods, series, strict=True):
            assert from_series.value == measure.figure(data, period).value, (measure_id, period)


def test_small_numbers_are_withheld_for_aggregate_roles(world, data):
    measure = measures.get("support_reviews_on_time")
    figure = measure.figure(data, YEAR)  # 2 of 4: every part is small
    assert shown(figure, measure.unit, measure.aggregate, suppress=True).withheld
    assert shown(figure, measure.unit, measure.aggregate, suppress=False).value == 50.0


def test_the_board_sees_sen_support_withheld_and_no_child(client, area):
    school = factories.SchoolFactory(area=area, phase="Primary")
    senco = factories.make_user(Role.SENCO, school)
    child = factories.ChildFactory(area=area, current_setting=school)
    SupportPlan.objects.create(
        child=child,
        area=area,
        started_by_setting=school,
        started_on=timezone.localdate() - timedelta(days=30),
        primary_need="SLCN",
        created_by=senco,
    )
    board = factories.make_user(Role.BOARD_MEMBER, factories.ParentCarerForumFactory(area=area))
    client.force_login(board)
    page = client.get("/performance/measures/sen_support_by_need/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "fewer than 5" in text and child.last_name not in text
    assert client.get("/performance/measures/sen_support_by_need/records/").status_code == 403
    manager = factories.make_user(Role.TEAM_MANAGER, factories.LocalAuthorityFactory(area=area))
    client.force_login(manager)
    records = client.get(
        "/performance/measures/sen_support_by_need/records/", {"period": "last-12-months"}
    )
    assert records.status_code == 200 and child.last_name in records.content.decode()


def test_a_support_plan_added_or_changed_shows_in_the_kept_figures_on_the_next_load(world, db):
    """The area's whole data keeps its support records and figures while nothing changes; a
    support record is watched like a case, so a change shows on the next load (decision 0270),
    in this process and in one that has made nothing yet."""
    measure = measures.get("sen_support_by_need")

    def figure():
        return measure.cached_figure(dataset.load(world.area, TODAY), NOW).value

    before = figure()
    assert figure() == before  # kept
    child = factories.ChildFactory(area=world.area, current_setting=world.settings["primary"])
    added = SupportPlan.objects.create(
        child=child,
        area=world.area,
        started_by_setting=world.settings["primary"],
        started_on=d(2025, 1, 2),
        primary_need="SPLD",
        created_by=world.plans["S1"].created_by,
    )
    assert figure() == before + 1
    SupportPlan.objects.filter(pk=added.pk).update(ended_on=d(2025, 1, 3))  # ended before NOW
    dataset._BUILT.clear()  # another process
    assert figure() == before

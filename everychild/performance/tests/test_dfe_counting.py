"""The DfE-comparable measures count as DfE counts (DOMAIN.md section 5; decision 0131), on
a small area whose council counts the day of receipt as day one (a stricter view than DfE's).

Today is 15 January 2025; the period is the calendar year 2024. Days from the request (day 0):

    N  8 Jan 2024   assess 19 Feb (+42: DfE within)   plan 27 May (+140: DfE within)
    L 15 Jan 2024   assess 15 Mar (+60, late)         plan  2 Dec (+322: 20 to 52 weeks)
    O  1 Jun 2023   assess  1 Jul 2023                plan  1 Jul 2024 (+396: over 52 weeks)
    R  1 Mar 2024   a re-assessment of X: decided 10 Mar (+9), plan 1 May
    W  1 May 2024   withdrawn 20 May, undecided
    U  1 Oct 2024   undecided today (+106: over 6 weeks)
    V 20 Dec 2024   undecided today (+26: not yet 6 weeks)
    X  1 Mar 2022   assess, plan 1 Jul 2022 (the plan R re-assesses)
"""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from everychild.casework.models import Decision
from everychild.performance import dataset, measures
from everychild.performance.benchmarking import INDICATOR_IDS
from everychild.performance.measures.decisions_within_6_weeks import census_day
from everychild.performance.periods import calendar_year
from everychild.testing import factories

TODAY = date(2025, 1, 15)
YEAR = calendar_year(2024)


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        area = factories.AreaFactory(setting_closures=[], count_start_as_day_one=True)
        d, assess = date, Decision.ASSESS

        def case(key, received, decided=None, final=None, **kw):
            return factories.AssessmentRequestFactory(
                child=kw.pop("child", None) or factories.ChildFactory(area=area),
                received_on=received,
                decision=assess if decided else "",
                decision_on=decided,
                final_plan_issued_on=final,
                reference=f"D-{key}",
                **kw,
            )

        x = case("X", d(2022, 3, 1), d(2022, 4, 1), d(2022, 7, 1))
        cases = {
            "N": case("N", d(2024, 1, 8), d(2024, 2, 19), d(2024, 5, 27)),
            "L": case("L", d(2024, 1, 15), d(2024, 3, 15), d(2024, 12, 2)),
            "O": case("O", d(2023, 6, 1), d(2023, 7, 1), d(2024, 7, 1)),
            "R": case(
                "R",
                d(2024, 3, 1),
                d(2024, 3, 10),
                d(2024, 5, 1),
                child=x.child,
                reassessment_of=x,
            ),  # fmt: skip
            "W": case("W", d(2024, 5, 1), withdrawn_on=d(2024, 5, 20)),
            "U": case("U", d(2024, 10, 1)),
            "V": case("V", d(2024, 12, 20)),
        }
        loaded = dataset.load(area, TODAY)
        loaded.ids = {key: c.pk for key, c in cases.items()}
        yield loaded
        transaction.set_rollback(True)


def _figure(data, measure_id):
    return measures.get(measure_id).figure(data, YEAR)


def _keys(data, ids):
    names = {pk: key for key, pk in data.ids.items()}
    return {names[i] for i in ids}


def test_a_reassessment_is_judged_on_15_days_and_14_weeks(data, db):
    """Reg 25(1): "within 15 days of receiving a request"; reg 27(1): the plan "within 14
    weeks" of notifying the decision to re-assess."""
    r = next(c for c in data.cases if c.id == data.ids["R"])
    assert r.reassessment
    assert r.decision_due == date(2024, 3, 1) + timedelta(days=15)
    assert r.final_due == date(2024, 3, 10) + timedelta(weeks=14)
    assert r.decision_status == "met" and r.final_status == "met"


def test_reassessments_are_not_new_plans_nor_6_week_decisions(data, db):
    for measure_id in (
        "plans_within_20_weeks",
        "plans_within_20_weeks_excluding_exceptions",
        "plans_issued",
        "decisions_within_6_weeks",
    ):
        figure = _figure(data, measure_id)
        ids = figure.denominator_ids or figure.numerator_ids
        assert "R" not in _keys(data, ids), measure_id


def test_dfe_figures_use_dfe_counting_whatever_the_councils_day_one_setting(data, db):
    """DfE: within 20 weeks = issued <= received + 140 days; the council counts day one
    stricter, but N's plan on day 140 is within for DfE."""
    figure = _figure(data, "plans_within_20_weeks")
    assert _keys(data, figure.numerator_ids) == {"N"}
    assert _keys(data, figure.denominator_ids) == {"N", "L", "O"}


def test_decisions_within_6_weeks_is_dfes_cohort_of_requests_received(data, db):
    """DfE requests.csv: of the initial requests received in the year, those decided within 6
    weeks over those decided within plus those "where decision made after 6 weeks" - which
    includes requests still undecided once 6 weeks have passed. Withdrawn requests are in
    neither; O was received in 2023, so it is in 2023's cohort."""
    figure = _figure(data, "decisions_within_6_weeks")
    assert _keys(data, figure.denominator_ids) == {"N", "L", "U"}
    assert _keys(data, figure.numerator_ids) == {"N"}
    assert figure.value == 33.3
    assert "received" in measures.get("decisions_within_6_weeks").definition.period


def test_the_census_sees_a_request_as_it_stood_on_the_census_day(data, db):
    """A 2024 request undecided on the 2025 census day (16 January 2025) and not yet 6 weeks
    old there is left out, even if decided in time later."""
    assert census_day(2024, date(2026, 1, 1)) == date(2025, 1, 16)
    assert census_day(2024, TODAY) == TODAY


def test_the_20_to_52_and_over_52_week_bands(data, db):
    middle = _figure(data, "plans_issued_20_to_52_weeks")
    late = _figure(data, "plans_issued_over_52_weeks")
    assert _keys(data, middle.numerator_ids) == {"L"} and middle.value == 33.3
    assert _keys(data, late.numerator_ids) == {"O"} and late.value == 33.3
    assert _keys(data, late.denominator_ids) == {"N", "L", "O"}


def test_each_dfe_comparable_measure_has_its_benchmark():
    for measure_id, column in (
        ("decisions_within_6_weeks", "request_outcome_six_weeks_pc"),
        ("plans_issued_20_to_52_weeks", "pc_plans_issued_gt20weeks_ltYear"),
        ("plans_issued_over_52_weeks", "pc_plans_issued_gt_1_year"),
    ):
        indicator = INDICATOR_IDS[measures.get(measure_id).benchmark]
        assert indicator.columns == (column,) and indicator.measure == measure_id


def test_the_measures_command_prints_every_measure_of_an_area_for_a_year(data, db):
    out = io.StringIO()
    call_command(
        "measures", "--area", data.area.old_la_code, "--year", "2024", "--json",
        "--today", TODAY.isoformat(), stdout=out,
    )  # fmt: skip
    printed = json.loads(out.getvalue())
    assert printed["area"]["la_number"] == data.area.old_la_code
    by_id = {row["id"]: row for row in printed["measures"]}
    assert set(by_id) == set(measures.MEASURES)
    six = by_id["decisions_within_6_weeks"]
    assert (six["value"], six["numerator"], six["denominator"]) == (33.3, 1, 3)
    assert by_id["plans_issued"]["value"] == 3  # N, L and O; not R's re-assessment

    text = io.StringIO()
    call_command("measures", "--area", data.area.la_code, "--year", "2024", stdout=text)
    assert "Decisions whether to assess made within 6 weeks: " in text.getvalue()
    with pytest.raises(CommandError, match="No area"):
        call_command("measures", "--area", "999", "--year", "2024")

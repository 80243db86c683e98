"""The rules the figures rest on: small numbers withheld, the trajectory and its rating, and
the bucketing of events into months (a property test against the figure for each month)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from everychild.performance import measures, periods
from everychild.performance.dataset import AreaData, Case
from everychild.performance.measures.base import Figure
from everychild.performance.selectors import TargetPoint, rag, target_on
from everychild.performance.suppression import breakdown, shown


def _figure(value, numerator=None, denominator=None):
    return Figure(
        periods.Period(date(2024, 1, 1), date(2024, 1, 31)), value, numerator, denominator
    )


def test_small_counts_are_withheld_but_not_zero():
    assert shown(_figure(3, 3), "count", "count", suppress=True).withheld
    assert not shown(_figure(0, 0), "count", "count", suppress=True).withheld
    assert shown(_figure(5, 5), "count", "count", suppress=True).value == 5
    assert shown(_figure(3, 3), "count", "count", suppress=False).value == 3


def test_a_percentage_is_withheld_if_any_part_of_it_is_small():
    assert shown(_figure(50.0, 4, 8), "percent", "percent", suppress=True).withheld
    assert shown(_figure(80.0, 8, 10), "percent", "percent", suppress=True).withheld  # 2 missed
    assert shown(_figure(60.0, 3, 5), "percent", "percent", suppress=True).withheld
    assert shown(_figure(50.0, 5, 10), "percent", "percent", suppress=True).value == 50.0
    assert shown(_figure(100.0, 10, 10), "percent", "percent", suppress=True).value == 100.0


def test_a_lone_small_category_takes_the_next_smallest_with_it():
    counts = {"a": 40, "b": 3, "c": 7, "d": 12}
    assert breakdown(counts, suppress=True) == {"a": 40, "b": None, "c": None, "d": 12}
    assert breakdown({"a": 40, "b": 3, "c": 2}, suppress=True) == {"a": 40, "b": None, "c": None}
    assert breakdown(counts, suppress=False) == counts


def test_the_trajectory_runs_straight_between_targets():
    trajectory = [TargetPoint(date(2025, 3, 31), 50.0), TargetPoint(date(2026, 3, 31), 80.0)]
    assert target_on(trajectory, date(2025, 1, 1)) is None
    assert target_on(trajectory, date(2025, 3, 31)) == 50.0
    assert target_on(trajectory, date(2025, 9, 28)) == 64.9  # 50 + 30 x 181 / 365
    assert target_on(trajectory, date(2027, 1, 1)) == 80.0


def test_the_rating_follows_the_direction_of_the_measure():
    within = measures.get("plans_within_20_weeks_excluding_exceptions")
    backlog = measures.get("ep_advice_backlog")
    assert rag(within, 80.0, 75.0) == "green"
    assert rag(within, 72.0, 75.0) == "amber"  # within 5 points
    assert rag(within, 60.0, 75.0) == "red"
    assert rag(backlog, 8, 10) == "green"
    assert rag(backlog, 11, 10) == "amber"  # within 10% (at least 1)
    assert rag(backlog, 30, 10) == "red"
    assert rag(backlog, None, 10) == "" and rag(backlog, 3, None) == ""


START = date(2023, 1, 1)
cases = st.lists(
    st.tuples(
        st.integers(0, 700),  # received, days after START
        st.integers(10, 90),  # decision after
        st.one_of(st.none(), st.integers(60, 300)),  # final plan after the request
        st.booleans(),  # exceptions apply
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(rows=cases)
def test_a_series_equals_the_figure_for_each_month(rows):
    data = AreaData(area=None, today=date(2025, 6, 30))
    for n, (received, decided, final, exceptions) in enumerate(rows):
        got = START + timedelta(days=received)
        final_on = got + timedelta(days=final) if final else None
        data.cases.append(
            Case(
                id=n,
                child_id=n,
                reference=str(n),
                received_on=got,
                born=date(2015, 1, 1),
                caseworker_id=None,
                setting_id=None,
                decision="assess",
                decision_on=got + timedelta(days=decided),
                draft_on=None,
                final_on=final_on,
                not_issued_on=None,
                withdrawn_on=None,
                decision_status="met" if decided <= 42 else "met_late",
                final_status="met" if final and final <= 140 else "met_late",
                exceptions_apply=exceptions,
            )
        )
    months = periods.months(START, data.today)
    for measure_id in (
        "plans_within_20_weeks",
        "plans_within_20_weeks_excluding_exceptions",
        "decisions_within_6_weeks",
        "requests_received",
        "open_past_20_weeks",
        "open_past_30_weeks",
    ):
        measure = measures.get(measure_id)
        series = measure.series(data, months)
        assert [f.value for f in series] == [measure.figure(data, m).value for m in months]

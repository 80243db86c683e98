"""The forecast's mathematics, without Django: properties of the cohort projection, the
shrinkage, the simulation's seed, financial-year conversion, goal-seek and the growth
breakdown, on arrays and on a small synthetic area."""

import ast
import datetime as dt
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from everychild.finance.forecast import dimensions as d
from everychild.finance.forecast.decomposition import decompose
from everychild.finance.forecast.estimate import (
    LAG_MONTHS,
    Estimate,
    ForecastError,
    Inflow,
    Rates,
    estimate,
)
from everychild.finance.forecast.forecast import Forecaster
from everychild.finance.forecast.goalseek import bisect
from everychild.finance.forecast.levers import Lever, validate
from everychild.finance.forecast.money import (
    CostRow,
    CostTableError,
    budget_path,
    financial_year_counts,
    unit_costs,
)
from everychild.finance.forecast.projection import age_one_year, project, simulate, timeline
from everychild.finance.forecast.shrinkage import (
    RateError,
    hierarchical_rates,
    shrink,
    shrink_distribution,
)
from everychild.finance.tests.synthetic import synthetic_finance, synthetic_history

A, G, P = d.A, d.G, d.P
MODEL_DIR = Path(__file__).resolve().parents[1] / "forecast"


# --- Helpers: an Estimate built straight from arrays -----------------------------------------


def identity_moves() -> np.ndarray:
    return np.broadcast_to(np.eye(P), (A, G, P, P)).copy()


def random_moves(rng) -> np.ndarray:
    weights = rng.random((A, G, P, P)) ** 4 + np.eye(P) * 5
    return weights / weights.sum(axis=-1, keepdims=True)


def quiet_inflow(requests_last_year=0.0) -> Inflow:
    pmf = np.zeros(LAG_MONTHS)
    pmf[5] = 1.0
    return Inflow(
        conversion=0.6,
        conversion_counts=(60, 100),
        stage_conversion=np.array([0.6, 0.8, 0.95]),
        lag_pmf=pmf,
        requests_last_year=requests_last_year,
        population_base=1.0,
        growth_trend=0.0,
        growth_se=0.02,
        request_noise_sd=0.05,
        annual_requests=[],
        other_entries_per_year=0.0,
        entrant_survival=1.0,
        pipeline_stage=np.zeros(0, dtype=np.int64),
        pipeline_months=np.zeros(0, dtype=np.int64),
    )


def make_estimate(base, exit_rate, move, share=None, inflow=None) -> Estimate:
    if share is None:
        share = np.zeros((A, G, P))
        share[5, 0, 0] = 1.0
    return Estimate(
        as_of=dt.date(2026, 1, 15),  # the January 2026 census day
        base_state=base.astype(float),
        rates=Rates(exit=exit_rate, move=move, entry_share=share),
        inflow=inflow or quiet_inflow(),
        steps=[],
        observed={},
        population={},
        evidence={"plans_ended": 1000},
    )


STEPS = timeline(dt.date(2026, 1, 15), 6, on_census=True)

base_states = hnp.arrays(
    np.int64, (A, G, P), elements=st.integers(min_value=0, max_value=6)
).filter(lambda s: s[: A - 6].sum() > 0)


# --- The model is framework-free ------------------------------------------------------------


def test_the_model_imports_no_django():
    for path in MODEL_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "django" for n in names), path.name
    code = (
        "import sys, everychild.finance.forecast.forecast; "
        "assert not any(m.startswith('django') for m in sys.modules), 'django was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- Cohort properties ----------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=base_states, seed=st.integers(0, 2**16))
def test_zero_inflow_and_zero_exits_keep_the_cohort_while_ageing_it(base, seed):
    rng = np.random.default_rng(seed)
    move = random_moves(rng)
    estimate_ = make_estimate(base, np.zeros((A, G, P)), move)
    path = project(estimate_, STEPS, entrants=np.zeros(len(STEPS)))
    totals = path.by_placement.sum(axis=1)
    assert np.allclose(totals, base.sum())
    # Ageing: after 6 years, each age holds what was 6 years younger (the top age keeps its
    # own and gathers those who reach it).
    by_age_before = base.sum(axis=(1, 2)).astype(float)
    by_age_after = path.final_state.sum(axis=(1, 2))
    expected = np.zeros(A)
    expected[6:] = by_age_before[:-6]
    expected[-1] = by_age_before[-7:].sum()
    assert np.allclose(by_age_after, expected)
    # And the same holds, child for child, in every simulated run.
    simulated = simulate(estimate_, STEPS, runs=20, seed=seed)
    assert (simulated.by_placement.sum(axis=2) == base.sum()).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=base_states,
    seed=st.integers(0, 2**16),
    requests=st.floats(min_value=0, max_value=500),
    places=st.integers(min_value=0, max_value=300),
    shift=st.floats(min_value=0, max_value=100),
    exit_change=st.floats(min_value=-50, max_value=100),
)
def test_counts_are_never_negative(base, seed, requests, places, shift, exit_change):
    rng = np.random.default_rng(seed)
    exit_rate = rng.random((A, G, P))
    exit_rate[-1] = 1.0
    share = rng.random((A, G, P))
    share /= share.sum()
    levers = [
        Lever("extra_places", places, dt.date(2026, 9, 1), None, d.RESOURCED, d.MAINSTREAM),
        Lever("placement_shift", shift, dt.date(2027, 9, 1), None, d.EOTAS, d.MAINSTREAM),
        Lever("exit_rate_change", exit_change, dt.date(2026, 9, 1), age_from=10),
    ]
    estimate_ = make_estimate(
        base, exit_rate, random_moves(rng), share, quiet_inflow(requests_last_year=requests)
    )
    central = project(estimate_, STEPS, levers)
    assert (central.by_placement >= -1e-9).all()
    assert (central.final_state >= -1e-9).all()
    simulated = simulate(estimate_, STEPS, levers, runs=30, seed=seed)
    assert (simulated.by_placement >= 0).all()


def test_ageing_alone_loses_no_one():
    state = np.arange(A * 2, dtype=float).reshape(A, 2)
    aged = age_one_year(state)
    assert aged.sum() == state.sum()
    assert (aged[0] == 0).all()
    assert (aged[5] == state[4]).all()


def test_extra_places_fill_and_stay_full():
    base = np.zeros((A, G, P))
    base[8, 0, d.PLACEMENT_INDEX[d.SPECIAL_INDEPENDENT]] = 100
    estimate_ = make_estimate(base, np.zeros((A, G, P)), identity_moves())
    lever = Lever("extra_places", 40, dt.date(2026, 9, 1), None, d.RESOURCED, d.SPECIAL_INDEPENDENT)
    path = project(estimate_, STEPS, [lever], entrants=np.zeros(len(STEPS)))
    resourced = path.by_placement[:, d.PLACEMENT_INDEX[d.RESOURCED]]
    assert resourced[0] == pytest.approx(40)
    assert resourced.sum() > 0 and path.by_placement.sum(axis=1) == pytest.approx(100)


# --- Shrinkage ------------------------------------------------------------------------------


@st.composite
def counts_and_exposure(draw, moves=False):
    exposure = draw(hnp.arrays(np.int64, (A, G, P), elements=st.integers(0, 30)))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    if moves:
        pvals = rng.dirichlet(np.ones(P), size=(A, G, P))
        events = rng.multinomial(exposure, pvals)
    else:
        events = rng.binomial(exposure, rng.random((A, G, P)))
    return events, exposure


@settings(max_examples=40, deadline=None)
@given(data=counts_and_exposure(), strength=st.floats(min_value=0.01, max_value=1000))
def test_shrinkage_keeps_every_exit_rate_a_probability(data, strength):
    events, exposure = data
    rates = hierarchical_rates(events, exposure, strength)
    assert ((rates >= 0) & (rates <= 1)).all()


@settings(max_examples=30, deadline=None)
@given(data=counts_and_exposure(moves=True), strength=st.floats(min_value=0.01, max_value=500))
def test_shrinkage_keeps_moves_a_distribution(data, strength):
    events, exposure = data
    rates = hierarchical_rates(events, exposure, strength)
    assert ((rates >= 0) & (rates <= 1)).all()
    assert np.allclose(rates.sum(axis=-1), 1.0)


@settings(max_examples=50, deadline=None)
@given(
    counts=hnp.arrays(np.int64, (4, 6), elements=st.integers(0, 50)),
    strength=st.floats(min_value=0.01, max_value=100),
)
def test_a_shrunk_distribution_sums_to_one(counts, strength):
    prior = np.full(6, 1 / 6)
    shrunk = shrink_distribution(counts, prior, strength)
    assert np.allclose(shrunk.sum(axis=-1), 1.0)
    assert (shrunk > 0).all()  # nothing is zero by accident


def test_a_sparse_cell_borrows_from_its_parent_and_a_full_one_keeps_its_own():
    events = np.zeros((A, G, P))
    exposure = np.zeros((A, G, P))
    exposure[10, :, 0] = 1000
    events[10, :, 0] = 100  # 10 % end at age 10 in mainstream
    exposure[10, 3, 0] = 2
    events[10, 3, 0] = 0  # two children, none ended: raw rate 0
    rates = hierarchical_rates(events, exposure, strength=10)
    assert rates[10, 0, 0] == pytest.approx(0.1, abs=0.002)
    assert 0.07 < rates[10, 3, 0] < 0.1  # pulled to the family's 10 %, not left at 0


def test_shrinkage_refuses_counts_that_are_not_rates():
    with pytest.raises(RateError):
        shrink(np.array([3.0]), np.array([2.0]), np.array([0.5]), 1.0)
    with pytest.raises(RateError):
        shrink(np.array([1.0]), np.array([2.0]), np.array([1.5]), 1.0)


# --- The seed -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def forecaster():
    return Forecaster(synthetic_history(), synthetic_finance(), dt.date(2026, 6, 30), horizon=5)


def test_the_same_seed_reproduces_the_bands_and_another_seed_does_not(forecaster):
    first = forecaster.simulate(runs=200, seed=7)
    again = forecaster.simulate(runs=200, seed=7)
    other = forecaster.simulate(runs=200, seed=8)
    for key in ("counts", "spend", "cumulative_deficit"):
        assert np.array_equal(first[key], again[key])
    bands = np.percentile(first["counts"].sum(axis=2), [10, 50, 90], axis=0)
    other_bands = np.percentile(other["counts"].sum(axis=2), [10, 50, 90], axis=0)
    assert not np.array_equal(bands, other_bands)


def test_the_bands_surround_the_central_path(forecaster):
    central = forecaster.central()
    bands = forecaster.simulate(runs=400, seed=3)
    totals = bands["counts"].sum(axis=2)
    p10, p90 = np.percentile(totals, [10, 90], axis=0)
    central_totals = np.array([central.counts[y].sum() for y in bands["academic_years"]])
    assert (p10 <= central_totals + 1).all() and (central_totals <= p90 + 1).all()
    assert (p90[-1] - p10[-1]) > 0  # the future is uncertain
    assert p90[0] == p10[0]  # the past is not


# --- Financial years ------------------------------------------------------------------------


def test_financial_year_is_five_twelfths_of_one_academic_year_and_seven_of_the_next():
    counts = {2025: np.array([1200.0]), 2026: np.array([1320.0]), 2027: np.array([1452.0])}
    by_fy = financial_year_counts(counts)
    # 2026-27: April-August 2026 in 2025/26 (5 months), September-March in 2026/27 (7).
    assert by_fy[2026][0] == pytest.approx(5 / 12 * 1200 + 7 / 12 * 1320) == pytest.approx(1270)
    assert by_fy[2027][0] == pytest.approx(550 + 847)
    assert 2025 not in by_fy  # needs 2024/25, not given


def test_financial_year_costs_on_a_hand_worked_example():
    rows = [
        CostRow(d.MAINSTREAM, "top_up", 8000, dt.date(2025, 4, 1)),
        CostRow(d.SPECIAL_INDEPENDENT, "fees", 60000, dt.date(2025, 4, 1)),
        CostRow(d.SPECIAL_INDEPENDENT, "fees", 64000, dt.date(2026, 4, 1)),
    ]
    costs = unit_costs(rows, {2027: 0.05}, [2025, 2026, 2027], current_year=2026)
    main, indep = d.PLACEMENT_INDEX[d.MAINSTREAM], d.PLACEMENT_INDEX[d.SPECIAL_INDEPENDENT]
    assert costs[:, main].tolist() == pytest.approx([8000, 8000, 8400])
    assert costs[:, indep].tolist() == pytest.approx([60000, 64000, 67200])
    # 12 independent placements in 2025/26 and 18 in 2026/27 cost, in 2026-27:
    # (5/12 x 12 + 7/12 x 18) x £64,000 = 15.5 x 64,000 = £992,000.
    counts = {2025: np.zeros(P), 2026: np.zeros(P)}
    counts[2025][indep], counts[2026][indep] = 12, 18
    spend = financial_year_counts(counts)[2026] @ costs[1]
    assert spend == pytest.approx(992_000)


def test_a_cost_table_without_a_rate_for_a_placement_in_use_is_refused():
    rows = [CostRow(d.MAINSTREAM, "top_up", 8000, dt.date(2025, 4, 1))]
    with pytest.raises(CostTableError, match="independent or non-maintained special school"):
        unit_costs(rows, {}, [2026], 2026, needed={d.MAINSTREAM, d.SPECIAL_INDEPENDENT})


def test_deficit_path_and_interest_on_a_hand_worked_example():
    path = budget_path(
        [2026, 2027],
        income=np.array([60.0, 62.0]),
        spend=np.array([80.0, 90.0]),
        opening_deficit=100.0,
        safety_valve=np.array([10.0, 0.0]),
        interest_rates=np.array([0.05, 0.05]),
    )
    assert path.in_year_deficit.tolist() == [20.0, 28.0]
    assert path.cumulative_deficit.tolist() == [110.0, 138.0]
    assert path.interest.tolist() == pytest.approx([0.05 * 105, 0.05 * 124])


def test_the_deficit_without_payments_at_risk_adds_them_back_from_their_year_on():
    path = budget_path(
        [2026, 2027, 2028],
        income=np.array([60.0, 62.0, 64.0]),
        spend=np.array([80.0, 90.0, 64.0]),
        opening_deficit=100.0,
        safety_valve=np.array([10.0, 4.0, 4.0]),
        safety_valve_at_risk=np.array([0.0, 4.0, 4.0]),
    )
    assert path.cumulative_deficit.tolist() == [110.0, 134.0, 130.0]
    assert path.cumulative_without_at_risk.tolist() == [110.0, 138.0, 138.0]


# --- Goal-seek ------------------------------------------------------------------------------


def test_bisection_finds_the_root_of_a_known_line():
    result = bisect(lambda x: 100 - 4 * x, 0, 100, tolerance=1e-6)
    assert result.found and result.value == pytest.approx(25, abs=1e-5)


def test_bisection_says_when_no_value_in_range_is_enough():
    result = bisect(lambda x: -10 - x, 0, 100)
    assert not result.found and result.value is None
    assert "No value" in result.reason


def test_goal_seek_finds_the_funding_growth_that_balances_a_year():
    """Funding growth changes income only, so the answer is known: the growth that takes
    this year's income to the target year's spending."""
    forecaster = Forecaster(
        synthetic_history(),
        synthetic_finance(income={2025: 6e6, 2026: 6e6}),
        dt.date(2026, 6, 30),
        horizon=5,
    )
    central = forecaster.central()
    target = 2029
    spend = central.spend[central.financial_years.index(target)]
    expected = ((spend / 6e6) ** (1 / 3) - 1) * 100
    template = Lever("funding_growth", 0, dt.date(2027, 4, 1))
    result = forecaster.goal_seek([], template, target)
    assert result.found
    assert result.value == pytest.approx(expected, abs=0.02)
    assert abs(result.balance_at_value) < 0.001 * spend


# --- The growth breakdown -------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    pops=st.tuples(st.floats(1e4, 1e6), st.floats(1e4, 1e6)),
    n0=hnp.arrays(float, P, elements=st.floats(1, 1000)),
    n1=hnp.arrays(float, P, elements=st.floats(1, 1000)),
    u0=hnp.arrays(float, P, elements=st.floats(100, 100_000)),
    u1=hnp.arrays(float, P, elements=st.floats(100, 100_000)),
)
def test_the_growth_breakdown_adds_up_to_the_change(pops, n0, n1, u0, u1):
    parts = decompose(pops, (n0, n1), (u0, u1))
    total = parts.demography + parts.prevalence + parts.placement_mix + parts.unit_cost
    assert total == pytest.approx(parts.total_change, rel=1e-9, abs=1e-3)


def test_the_breakdown_puts_a_pure_price_rise_in_unit_cost():
    n = np.full(P, 10.0)
    u = np.full(P, 1000.0)
    parts = decompose((1e5, 1e5), (n, n), (u, u * 1.1))
    assert parts.unit_cost == pytest.approx(parts.total_change)
    assert parts.demography == parts.prevalence == pytest.approx(0.0)


# --- Levers ---------------------------------------------------------------------------------


def test_a_lever_outside_its_range_is_refused_with_the_range():
    problems = validate(Lever("request_growth", 45, dt.date(2026, 9, 1)))
    assert problems == [
        ("value", "Growth in requests for assessment must be between -20 and 30 % a year.")
    ]
    assert validate(Lever("request_growth", 5, dt.date(2026, 9, 1))) == []
    problems = dict(validate(Lever("extra_places", 40, dt.date(2026, 9, 1), None, d.RESOURCED)))
    assert "source_type" in problems
    ended_before = Lever("cost_inflation", 4, dt.date(2027, 4, 1), dt.date(2026, 4, 1))
    assert dict(validate(ended_before))["ends_on"]


def test_a_lever_acts_on_the_years_it_is_in_force_on_1_october():
    lever = Lever("extra_places", 40, dt.date(2026, 9, 1), dt.date(2028, 8, 31), "x", "y")
    assert [y for y in range(2025, 2030) if lever.in_force(y)] == [2026, 2027]


# --- History and estimation ------------------------------------------------------------------


def test_too_little_history_is_refused_with_the_reason():
    history = synthetic_history(first_year=2025, last_day=dt.date(2026, 6, 30))
    with pytest.raises(ForecastError, match="too little history"):
        estimate(history, dt.date(2026, 6, 30))


def test_a_forecast_without_funding_is_refused():
    with pytest.raises(ForecastError, match="No high-needs funding"):
        Forecaster(
            synthetic_history(), synthetic_finance(income={}), dt.date(2026, 6, 30), horizon=3
        )


def test_estimated_rates_are_probabilities_and_every_plan_ends_by_25():
    result = estimate(synthetic_history(), dt.date(2026, 6, 30))
    assert ((result.rates.exit >= 0) & (result.rates.exit <= 1)).all()
    assert (result.rates.exit[d.MAX_AGE] == 1).all()
    assert np.allclose(result.rates.move.sum(axis=-1), 1)
    assert result.rates.entry_share.sum() == pytest.approx(1)
    # Moves crowd at year 7: the synthetic area moves 30 % of mainstream pupils to special.
    main, special = d.PLACEMENT_INDEX[d.MAINSTREAM], d.PLACEMENT_INDEX[d.SPECIAL_MAINTAINED]
    at_11 = result.rates.move[11, :, main, special].mean()
    at_8 = result.rates.move[8, :, main, special].mean()
    assert at_11 > 0.15 and at_8 < 0.05


def test_waiting_requests_add_plans_to_the_first_year():
    history = synthetic_history()
    with_pipeline = estimate(history, dt.date(2026, 6, 30))
    assert len(with_pipeline.inflow.pipeline_stage) > 0
    steps = timeline(dt.date(2026, 6, 30), 3)
    from everychild.finance.forecast.projection import expected_entrants

    entrants = expected_entrants(with_pipeline, steps, [])
    with_pipeline.inflow.pipeline_stage = np.zeros(0, dtype=np.int64)
    with_pipeline.inflow.pipeline_months = np.zeros(0, dtype=np.int64)
    without = expected_entrants(with_pipeline, steps, [])
    assert entrants[0] > without[0]


def test_placement_type_from_setting_type_or_code():
    assert d.placement_type_for("special_independent", "") == d.SPECIAL_INDEPENDENT
    assert d.placement_type_for("fe", "") == d.POST16_FE
    assert d.placement_type_for(None, "OLA") == d.EOTAS
    assert d.placement_type_for(None, "NEET") == d.OTHER
    assert d.placement_type_for("", "EYP") == d.EARLY_YEARS


def test_academic_age_census_day_and_years():
    assert d.academic_age(dt.date(2015, 8, 31), dt.date(2026, 11, 1)) == 11  # year 7
    assert d.academic_age(dt.date(2015, 9, 1), dt.date(2026, 11, 1)) == 10  # year 6
    assert d.census_day(2025) == dt.date(2026, 1, 15)  # third Thursday of January 2026
    assert d.financial_year_of(dt.date(2027, 3, 31)) == 2026
    assert d.fy_label(2027) == "2027-28" and d.ay_label(2027) == "2027/28"

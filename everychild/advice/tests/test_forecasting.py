"""Forecast properties (hypothesis) and the goal-seek."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from everychild.advice import forecasting


@settings(max_examples=25, deadline=None)
@given(
    waiting=st.integers(min_value=0, max_value=200),
    capacity=st.floats(min_value=1.0, max_value=20.0),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_with_no_arrivals_and_positive_capacity_the_backlog_clears(waiting, capacity, seed):
    waiting = min(waiting, int(50 * capacity))  # small enough to be seen within the horizon
    ages = np.full(waiting, 10)
    result = forecasting.simulate(
        arrivals=np.zeros(52), waiting_ages=ages, capacity=np.full(52, capacity), runs=50, seed=seed
    )
    # Everyone waiting is seen within ceil(waiting / capacity) weeks.
    assert result.clears_week is not None
    assert result.clears_week <= int(np.ceil(waiting / capacity))
    assert result.central[-1] == 0


@settings(max_examples=25, deadline=None)
@given(
    rate=st.integers(min_value=3, max_value=30),
    shortfall=st.integers(min_value=1, max_value=3),
    overdue=st.integers(min_value=1, max_value=20),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_capacity_below_arrivals_never_clears(rate, shortfall, overdue, seed):
    capacity = rate - shortfall
    # A backlog deeper than 6 weeks of capacity, all of it already overdue.
    ages = np.full(7 * capacity + overdue, 8)
    result = forecasting.simulate(
        arrivals=np.full(52, rate),
        waiting_ages=ages,
        capacity=np.full(52, float(capacity)),
        runs=200,
        seed=seed,
    )
    assert result.clears_week is None
    assert (result.central > 0).all()


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_same_seed_reproduces_the_band(seed):
    inputs = {
        "arrivals": np.random.default_rng(1).poisson(8, 60),
        "waiting_ages": np.arange(60) % 15,
        "capacity": np.full(52, 8.5),
        "runs": 200,
    }
    first = forecasting.simulate(seed=seed, **inputs)
    second = forecasting.simulate(seed=seed, **inputs)
    assert np.array_equal(first.low, second.low)
    assert np.array_equal(first.high, second.high)
    assert np.array_equal(first.central, second.central)
    other = forecasting.simulate(seed=seed + 1, **inputs)
    assert not np.array_equal(first.high, other.high) or not np.array_equal(first.low, other.low)


def test_the_band_surrounds_the_central_line():
    result = forecasting.simulate(
        arrivals=np.full(52, 10), waiting_ages=np.arange(80) % 12, capacity=np.full(52, 10.0)
    )
    assert (result.low <= result.central).all() and (result.central <= result.high).all()


def test_too_little_history_is_refused_with_the_reason():
    with pytest.raises(forecasting.TooLittleHistory, match="only 30 weeks"):
        forecasting.simulate(arrivals=np.ones(30), waiting_ages=[], capacity=np.ones(52))


def test_negative_capacity_is_refused():
    with pytest.raises(forecasting.BadForecastInput, match="negative"):
        forecasting.simulate(arrivals=np.ones(52), waiting_ages=[], capacity=np.full(52, -1.0))


def test_goal_seek_finds_the_least_capacity_that_clears_in_time():
    inputs = {"arrivals": np.full(52, 10), "waiting_ages": np.full(100, 9), "runs": 200}
    extra = forecasting.capacity_to_clear(capacity=np.full(52, 8.0), by_week=20, **inputs)
    assert extra is not None and extra > 2
    enough = forecasting.simulate(capacity=np.full(52, 8.0 + extra), **inputs)
    assert enough.clears_week is not None and enough.clears_week <= 20
    short = forecasting.simulate(capacity=np.full(52, 8.0 + extra - 0.5), **inputs)
    assert short.clears_week is None or short.clears_week > 20


def test_the_backtest_of_a_perfect_world_has_no_error():
    mae = forecasting.backtest(
        arrivals=np.zeros(52),
        waiting_ages=np.full(10, 7),
        capacity=np.full(13, 100.0),
        actual_backlog=np.zeros(13),
    )
    assert mae == 0


# --- When the backlog has cleared: below half a request from a week to the end ----------------


def test_cleared_from_is_the_first_week_of_the_run_that_lasts_to_the_end():
    touches_and_returns = [30, 12, 0, 0, 22, 25, 21]
    stays = [30, 0, 4, 0.4, 0, 0, 0]
    never = [30, 20, 10, 5, 3, 2, 1]
    weeks = forecasting.cleared_from(np.array([touches_and_returns, stays, never]))
    # Touching zero in week 2 and coming back is not clearing (7 = one past the last week).
    assert weeks.tolist() == [7, 3, 7]
    assert forecasting.cleared_from(np.zeros(5)) == 0


def _ten_overdue_and_ten_new(capacity):
    """Ten requests overdue and ten just received; no arrivals. The ten overdue are all
    seen in the first week, so the backlog touches zero; the ten new become overdue six
    weeks later unless the service has capacity to see them."""
    return forecasting.simulate(
        arrivals=np.zeros(52),
        waiting_ages=[10] * 10 + [0] * 10,
        capacity=np.asarray(capacity, dtype=float),
        runs=20,
    )


def test_a_backlog_that_touches_zero_and_comes_back_has_not_cleared():
    result = _ten_overdue_and_ten_new([10.0] + [0.0] * 51)
    assert result.central[1] == 0 and result.central[-1] == 10  # touched zero, came back
    assert result.clears_week is None
    assert result.clears_early is None and result.clears_late is None
    assert result.cleared_share == 0


def test_a_backlog_that_stays_cleared_clears_in_the_first_week_of_the_cleared_run():
    # No capacity for weeks 2 to 12: the ten new are overdue from week 6 until the capacity
    # returns and sees them in week 13; from then on nothing is waiting.
    result = _ten_overdue_and_ten_new([10.0] + [0.0] * 11 + [10.0] * 40)
    assert result.central[1] == 0 and result.central[6] == 10 and result.central[13] == 0
    assert result.clears_week == result.clears_early == result.clears_late == 13
    assert (result.central[13:] == 0).all()
    assert result.cleared_share == 1


@settings(max_examples=40, deadline=None)
@given(
    rate=st.integers(min_value=2, max_value=15),
    capacity=st.floats(min_value=1.0, max_value=20.0),
    backlog=st.integers(min_value=0, max_value=150),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_the_clearing_weeks_agree_with_the_table(rate, capacity, backlog, seed):
    """What the table beneath the headline shows: from the week the backlog clears, the
    central line is nothing to the end; from the late date, so is the 90th percentile; and
    from the early date, the 10th percentile."""
    result = forecasting.simulate(
        arrivals=np.full(52, rate),
        waiting_ages=np.full(backlog, 8),
        capacity=np.full(52, capacity),
        runs=200,
        seed=seed,
    )
    for week, line in (
        (result.clears_week, result.central),
        (result.clears_early, result.low),
        (result.clears_late, result.high),
    ):
        if week is not None:
            assert (line[week:] < 0.5).all()

"""The EP waiting list forecast: plain NumPy, no Django (the Django side gathers the inputs).

The model is a first-come-first-served queue counted in whole weeks of waiting:

* each simulation run draws its own weekly arrival rate (Gamma on the last 52 weeks' total
  arrivals, so the band carries the uncertainty of the rate itself) and then Poisson arrivals
  each week;
* each week the requests arrive, the service completes up to that week's capacity, oldest
  first, and everyone still waiting is a week older;
* the backlog is the number of requests that have waited more than the 6 weeks the advice
  is due in (reg 8(1)); it is cleared in a week when it is below half a request, and it
  clears in the first week from which it stays cleared to the end of the horizon
  (`cleared_from`): a backlog that touches zero and comes back has not cleared.

All runs advance together (arrays of runs x weeks-waited), so 1,000 runs over 52 weeks take
a few milliseconds (benchmarks/bench_advice_forecast.py). The same seed gives the same band.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

HISTORY_WEEKS = 52
HORIZON_WEEKS = 52
RUNS = 1000
LIMIT_WEEKS = 6  # advice is due 6 weeks after the body receives the request (reg 8(1))
BACKTEST_WEEKS = 13  # the last 3 months, forecast from the 12 before them
DEFAULT_SEED = 20140901
# Requests that have waited this many weeks or longer are counted together.
_MAX_AGE = LIMIT_WEEKS + HORIZON_WEEKS + 8
_CLEAR_BELOW = 0.5


class TooLittleHistory(ValueError):
    """Fewer weeks of arrivals than the forecast needs: say so rather than draw a line."""

    def __init__(self, weeks: int, needed: int = HISTORY_WEEKS):
        self.weeks = weeks
        self.needed = needed
        super().__init__(
            f"There are only {weeks} weeks of requests on record; the forecast needs "
            f"{needed} weeks (12 months) of history."
        )


class BadForecastInput(ValueError):
    pass


@dataclass
class ForecastResult:
    central: np.ndarray  # median backlog after each week, index 0 = now
    low: np.ndarray  # 10th percentile
    high: np.ndarray  # 90th percentile
    waiting: np.ndarray  # median waiting list after each week
    capacity: np.ndarray  # the capacity used, per week
    # The week from which half the runs stay cleared to the end of the horizon (cleared_from);
    # None: not within the horizon.
    clears_week: int | None
    clears_early: int | None  # 10th percentile of the week the runs clear (cleared_from)
    clears_late: int | None  # 90th percentile
    arrival_rate: float  # the mean weekly arrivals over the history used
    runs: int
    seed: int
    cleared_share: float = 0.0  # share of runs that cleared (and stayed so) within the horizon
    per_run_clear: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)


def _check(arrivals, ages, capacity, runs, weeks):
    arrivals = np.asarray(arrivals, dtype=float)
    ages = np.asarray(ages, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=float)
    if arrivals.ndim != 1 or len(arrivals) < HISTORY_WEEKS:
        raise TooLittleHistory(int(arrivals.size))
    if (arrivals < 0).any():
        raise BadForecastInput("Weekly arrivals cannot be negative.")
    if (ages < 0).any():
        raise BadForecastInput("A request cannot have waited a negative number of weeks.")
    if capacity.shape != (weeks,):
        raise BadForecastInput(f"Give a capacity for each of the {weeks} weeks.")
    if (capacity < 0).any() or not np.isfinite(capacity).all():
        raise BadForecastInput("Capacity cannot be negative.")
    if runs < 1 or weeks < 1:
        raise BadForecastInput("At least one run of at least one week is needed.")
    return arrivals[-HISTORY_WEEKS:], ages, capacity


def simulate(
    *,
    arrivals,
    waiting_ages,
    capacity,
    runs: int = RUNS,
    weeks: int = HORIZON_WEEKS,
    seed: int = DEFAULT_SEED,
) -> ForecastResult:
    """Project the backlog. `arrivals`: requests received per week, oldest first (the last 52
    are used); `waiting_ages`: whole weeks each open request has waited; `capacity`: the
    assessments the service can complete in each coming week."""
    history, ages, capacity = _check(arrivals, waiting_ages, capacity, runs, weeks)
    rng = np.random.default_rng(seed)
    total = float(history.sum())
    if total > 0:
        rates = rng.gamma(shape=total, scale=1.0 / HISTORY_WEEKS, size=runs)
    else:
        rates = np.zeros(runs)
    incoming = rng.poisson(rates[:, None], size=(runs, weeks)).astype(float)

    queue = np.zeros((runs, _MAX_AGE + 1))
    queue[:, :] = np.bincount(np.minimum(ages, _MAX_AGE), minlength=_MAX_AGE + 1)
    backlog = np.empty((runs, weeks + 1))
    waiting = np.empty((runs, weeks + 1))
    backlog[:, 0] = queue[:, LIMIT_WEEKS:].sum(axis=1)
    waiting[:, 0] = queue.sum(axis=1)
    for week in range(weeks):
        queue[:, 0] += incoming[:, week]
        # Oldest first: what is left of the capacity after everyone older was seen.
        oldest_first = queue[:, ::-1]
        older = np.cumsum(oldest_first, axis=1) - oldest_first
        served = np.clip(capacity[week] - older, 0.0, oldest_first)
        queue -= served[:, ::-1]
        # A week passes for everyone still waiting.
        queue[:, -1] += queue[:, -2]
        queue[:, 1:-1] = queue[:, :-2]
        queue[:, 0] = 0.0
        backlog[:, week + 1] = queue[:, LIMIT_WEEKS:].sum(axis=1)
        waiting[:, week + 1] = queue.sum(axis=1)

    first = cleared_from(backlog)  # weeks + 1: the run does not clear within the horizon
    low, central, high = np.percentile(backlog, [10, 50, 90], axis=0)
    # "higher": a week actually reached by that share of the runs (never interpolated
    # earlier), so from it the matching line of the table (10th, 50th, 90th percentile of
    # the backlog) is cleared to the end.
    early, middle, late = np.percentile(first, [10, 50, 90], method="higher")
    return ForecastResult(
        central=central,
        low=low,
        high=high,
        waiting=np.median(waiting, axis=0),
        capacity=capacity,
        clears_week=_week(middle, weeks),
        clears_early=_week(early, weeks),
        clears_late=_week(late, weeks),
        arrival_rate=total / HISTORY_WEEKS,
        runs=runs,
        seed=seed,
        cleared_share=float((first <= weeks).mean()),
        per_run_clear=first,
    )


def cleared_from(backlog) -> np.ndarray:
    """The judgement of when a backlog has cleared, the one every figure uses: the first week
    from which it is below half a request in every week to the end of the horizon. `backlog`
    holds one figure per week (index 0 = now) along its last axis, for one run or many; a run
    that is not cleared in its last week gets the number of weeks given (one past the last
    index), which is the horizon's weeks + 1 for a forecast. Touching zero and coming back is
    not clearing."""
    cleared = np.asarray(backlog, dtype=float) < _CLEAR_BELOW
    # Cleared in this week and in every later one: AND-accumulate from the end.
    stays = np.logical_and.accumulate(cleared[..., ::-1], axis=-1)[..., ::-1]
    return np.where(stays.any(axis=-1), stays.argmax(axis=-1), cleared.shape[-1])


def _week(value: float, weeks: int) -> int | None:
    return None if value > weeks else int(np.ceil(value))


def capacity_to_clear(
    *,
    arrivals,
    waiting_ages,
    capacity,
    by_week: int,
    from_week: int = 0,
    runs: int = RUNS,
    seed: int = DEFAULT_SEED,
    precision: float = 0.1,
) -> float | None:
    """Goal-seek: the least extra capacity per week (added from `from_week` on) with which
    half the runs clear the backlog by `by_week` and keep it clear (cleared_from). The same
    seed is used for every trial, so more capacity never clears later. None if even 1,000
    more a week would not do it."""
    capacity = np.asarray(capacity, dtype=float)
    weeks = len(capacity)
    if not 0 <= from_week < weeks:
        raise BadForecastInput("The extra capacity must start within the forecast's 52 weeks.")
    if not from_week <= by_week <= weeks:
        raise BadForecastInput(
            "The date to clear by must be after the extra capacity starts and within 52 weeks."
        )

    def clears(extra: float) -> bool:
        boosted = capacity.copy()
        boosted[from_week:] += extra
        result = simulate(
            arrivals=arrivals,
            waiting_ages=waiting_ages,
            capacity=boosted,
            runs=runs,
            weeks=weeks,
            seed=seed,
        )
        return result.clears_week is not None and result.clears_week <= by_week

    if clears(0.0):
        return 0.0
    low, high = 0.0, 1.0
    while not clears(high):
        low, high = high, high * 2
        if high > 1000:
            return None
    while high - low > precision:
        middle = (low + high) / 2
        if clears(middle):
            high = middle
        else:
            low = middle
    return round(np.ceil(high / precision) * precision, 6)


def backtest(
    *,
    arrivals,
    waiting_ages,
    capacity,
    actual_backlog,
    runs: int = RUNS,
    seed: int = DEFAULT_SEED,
) -> float:
    """Mean absolute error of the central line against what happened: forecast the last
    weeks (`actual_backlog`, one figure per week) from the arrivals and the waiting list as
    they stood before them."""
    actual = np.asarray(actual_backlog, dtype=float)
    result = simulate(
        arrivals=arrivals,
        waiting_ages=waiting_ages,
        capacity=capacity,
        runs=runs,
        weeks=len(actual),
        seed=seed,
    )
    return float(np.mean(np.abs(result.central[1:] - actual)))

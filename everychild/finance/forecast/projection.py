"""The cohort projection: from the caseload on a day, census by census.

Each year (census to census): some plans end (by age at the first census); in September
everyone moves up an academic year and some change placement (by their new age); new plans
arrive, spread over ages, needs and placements as recent new plans were. The first step, from
today to the next January census, is part of a year.

`project` gives the expected (central) path in floating point; `simulate` draws `runs`
possible paths with a seeded NumPy generator, all runs at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from everychild.finance.forecast.dimensions import (
    PLACEMENT_INDEX,
    A,
    G,
    P,
    academic_year_of,
    allowed_mask,
    census_day,
)
from everychild.finance.forecast.estimate import DAMPING, LAG_MONTHS, Estimate, Rates
from everychild.finance.forecast.history import DAYS_PER_MONTH
from everychild.finance.forecast.levers import (
    CONVERSION_RATE,
    EXIT_RATE_CHANGE,
    EXTRA_PLACES,
    PLACEMENT_SHIFT,
    REQUEST_GROWTH,
    Lever,
    value_in_force,
)

MIN_HORIZON, MAX_HORIZON = 2, 10


@dataclass(frozen=True)
class Step:
    year: int  # the academic year whose January census ends the step
    start: dt.date
    end: dt.date
    fraction: float  # of a year
    crosses_september: bool
    first_month: int  # months after the start day: (first_month, last_month]
    last_month: int


def timeline(as_of: dt.date, horizon: int, *, on_census: bool = False) -> list[Step]:
    """The steps from `as_of` to each of the next `horizon` January censuses."""
    first_year = academic_year_of(as_of)
    if census_day(first_year) <= as_of:
        first_year += 1
    steps = []
    start = as_of
    for k in range(horizon):
        year = first_year + k
        end = census_day(year)
        if k == 0 and not on_census:
            fraction = min(1.0, (end - as_of).days / 365.25)
            crosses = academic_year_of(as_of) != year
        else:
            fraction, crosses = 1.0, True
        steps.append(
            Step(
                year=year,
                start=start,
                end=end,
                fraction=fraction,
                crosses_september=crosses,
                first_month=round((start - as_of).days / DAYS_PER_MONTH),
                last_month=round((end - as_of).days / DAYS_PER_MONTH),
            )
        )
        start = end
    return steps


# --- State transitions ---------------------------------------------------------------------


def age_one_year(state: np.ndarray, axis: int = 0) -> np.ndarray:
    """Everyone one academic year older. The oldest age keeps its own (plans there end through
    the exit rate, which is 1 at age 24), so ageing alone never loses anyone."""
    out = np.zeros_like(state)
    src = [slice(None)] * state.ndim
    dst = [slice(None)] * state.ndim
    src[axis], dst[axis] = slice(0, -1), slice(1, None)
    out[tuple(dst)] = state[tuple(src)]
    last = [slice(None)] * state.ndim
    last[axis] = -1
    out[tuple(last)] += state[tuple(last)]
    return out


def exit_probability(rates: Rates, levers: list[Lever], year: int, fraction: float):
    exit_rate = rates.exit
    change = None
    for lever in levers:
        if lever.kind == EXIT_RATE_CHANGE and lever.in_force(year):
            change = lever
    if change is not None:
        factor = np.ones(A)
        factor[change.age_from :] = 1 + change.value / 100
        exit_rate = np.clip(exit_rate * factor[:, None, None], 0.0, 1.0)
        exit_rate[-1] = rates.exit[-1]
    if fraction >= 1.0:
        return exit_rate
    return 1.0 - (1.0 - exit_rate) ** fraction


def entry_share_for(rates: Rates, levers: list[Lever], year: int) -> np.ndarray:
    """Where new plans fall this year, after any placement shift in force."""
    share = rates.entry_share
    mask = None
    for lever in levers:
        if lever.kind != PLACEMENT_SHIFT or not lever.in_force(year):
            continue
        if mask is None:
            mask = allowed_mask()
            share = share.copy()
        source, target = PLACEMENT_INDEX[lever.source_type], PLACEMENT_INDEX[lever.placement_type]
        movable = share[:, :, source] * (lever.value / 100) * mask[:, target][:, None]
        share[:, :, source] -= movable
        share[:, :, target] += movable
    return share


def places_in_force(levers: list[Lever], year: int) -> list[tuple[int, Lever]]:
    return [
        (i, lever)
        for i, lever in enumerate(levers)
        if lever.kind == EXTRA_PLACES and lever.in_force(year)
    ]


# --- New plans: requests, the pipeline and the wait --------------------------------------


def _month_day(as_of: dt.date, months: int) -> dt.date:
    month = as_of.month - 1 + months
    return dt.date(as_of.year + month // 12, month % 12 + 1, 1)


def _lever_by_month(estimate: Estimate, levers: list[Lever], kind: str, months: int):
    """(months + 1,) the lever's value in force in each month (NaN where none is)."""
    out = np.full(months + 1, np.nan)
    for m in range(1, months + 1):
        value = value_in_force(levers, kind, academic_year_of(_month_day(estimate.as_of, m)))
        if value is not None:
            out[m] = value
    return out


def monthly_requests(
    estimate: Estimate,
    levers: list[Lever],
    months: int,
    *,
    trends: np.ndarray | None = None,
    year_shocks: np.ndarray | None = None,
) -> np.ndarray:
    """Expected requests in each month 1..months after as_of (index 0 unused): (months + 1,)
    for the central path, or (runs, months + 1) given a trend per run and a shock per run and
    projection year."""
    inflow = estimate.inflow
    central = trends is None
    trends = np.atleast_1d(inflow.growth_trend if central else trends).astype(float)
    m = np.arange(1, months + 1)
    t = (m - 1) // 12
    lever = _lever_by_month(estimate, levers, REQUEST_GROWTH, months)[1:] / 100
    growth = np.where(np.isnan(lever)[None], trends[:, None] * DAMPING ** t[None], lever[None])
    population = np.array(
        [estimate.population_in(estimate.as_of.year)]
        + [estimate.population_in(_month_day(estimate.as_of, k).year) for k in m]
    )
    log_step = np.log1p(growth) / 12 + np.log(population[1:] / population[:-1])[None]
    level = inflow.requests_last_year / 12 * np.exp(np.cumsum(log_step, axis=1))
    if year_shocks is not None:
        level = level * year_shocks[:, t]
    out = np.zeros((len(trends), months + 1))
    out[:, 1:] = level
    return out[0] if central else out


def conversion_by_month(estimate: Estimate, levers: list[Lever], months: int, base):
    """The share of requests that become plans, by month of request: (months + 1,) or, given
    a base per run, (runs, months + 1)."""
    lever = _lever_by_month(estimate, levers, CONVERSION_RATE, months) / 100
    base = np.asarray(base, dtype=float)
    if base.ndim == 0:
        return np.where(np.isnan(lever), base, lever)
    return np.where(np.isnan(lever)[None], base[:, None], lever[None])


def pipeline_timing(estimate: Estimate, months: int) -> np.ndarray:
    """(cases, months + 1): when each waiting request would become a plan if it does, from
    the waits seen for requests already this old."""
    inflow = estimate.inflow
    pmf = inflow.lag_pmf
    timing = np.zeros((len(inflow.pipeline_months), months + 1))
    for i, waited in enumerate(inflow.pipeline_months):
        tail = pmf[waited + 1 :] if waited + 1 < LAG_MONTHS else np.zeros(0)
        if tail.sum() <= 0:
            timing[i, min(1, months)] = 1.0
            continue
        tail = tail / tail.sum()
        upto = min(len(tail), months)
        timing[i, 1 : upto + 1] = tail[:upto]
    return timing


def issues_by_month(requests: np.ndarray, conversion: np.ndarray, pmf: np.ndarray) -> np.ndarray:
    """Plans issued in each month from requests arriving in each month: requests x conversion,
    spread over the waits in `pmf`. Works on (months+1,) or (runs, months+1)."""
    made = requests * conversion
    out = np.zeros_like(made)
    months = made.shape[-1]
    for lag, weight in enumerate(pmf):
        if weight == 0 or lag >= months:
            continue
        out[..., lag:] += weight * made[..., : months - lag]
    return out


def entrants_by_step(estimate: Estimate, steps: list[Step], monthly_issues: np.ndarray):
    """New plans still held at each step's census: issues in the step's months, times the
    share that last to the census, plus plans moving in from other areas."""
    inflow = estimate.inflow
    out = []
    for step in steps:
        issued = monthly_issues[..., step.first_month + 1 : step.last_month + 1].sum(axis=-1)
        out.append(inflow.entrant_survival * issued + inflow.other_entries_per_year * step.fraction)
    return np.stack(out, axis=-1)


def expected_entrants(estimate: Estimate, steps: list[Step], levers: list[Lever]) -> np.ndarray:
    months = steps[-1].last_month
    inflow = estimate.inflow
    requests = monthly_requests(estimate, levers, months)
    conversion = conversion_by_month(estimate, levers, months, inflow.conversion)
    issues = issues_by_month(requests, conversion, inflow.lag_pmf)
    timing = pipeline_timing(estimate, months)
    probability = inflow.stage_conversion[inflow.pipeline_stage]
    issues = issues + probability @ timing
    return entrants_by_step(estimate, steps, issues)


# --- The central projection ----------------------------------------------------------------


@dataclass
class Path:
    """Counts at each step's census by placement type: (steps, P) for the central path,
    (runs, steps, P) for simulations; entrants per step."""

    years: list[int]
    by_placement: np.ndarray
    entrants: np.ndarray
    final_state: np.ndarray | None = None


def project(
    estimate: Estimate,
    steps: list[Step],
    levers: list[Lever] | None = None,
    *,
    entrants: np.ndarray | None = None,
    base_state: np.ndarray | None = None,
) -> Path:
    """The expected path (floats)."""
    levers = levers or []
    rates = estimate.rates
    state = (estimate.base_state if base_state is None else base_state).astype(float).copy()
    if entrants is None:
        entrants = expected_entrants(estimate, steps, levers)
    mask = allowed_mask()
    occupied = {i: np.zeros((A, G)) for i, lv in enumerate(levers) if lv.kind == EXTRA_PLACES}
    totals = []
    for k, step in enumerate(steps):
        exit_p = exit_probability(rates, levers, step.year, step.fraction)
        state = state * (1.0 - exit_p)
        for i in occupied:
            target = PLACEMENT_INDEX[levers[i].placement_type]
            occupied[i] = occupied[i] * (1.0 - exit_p[:, :, target])
        if step.crosses_september:
            state = np.einsum("agp,agpq->agq", age_one_year(state), rates.move)
            for i in occupied:
                target = PLACEMENT_INDEX[levers[i].placement_type]
                occupied[i] = (
                    age_one_year(occupied[i])
                    * rates.move[:, :, target, target]
                    * mask[:, target][:, None]
                )
        state = state + entrants[k] * entry_share_for(rates, levers, step.year)
        for i, lever in places_in_force(levers, step.year):
            state, occupied[i] = fill_places(state, occupied[i], lever, mask)
        totals.append(state.sum(axis=(0, 1)))
    return Path(
        years=[s.year for s in steps],
        by_placement=np.array(totals),
        entrants=np.asarray(entrants),
        final_state=state,
    )


def fill_places(state, occupied, lever: Lever, mask):
    """Keep `lever.value` extra places full, taking children of ages the place takes from the
    source placement, in proportion to where they are."""
    source, target = PLACEMENT_INDEX[lever.source_type], PLACEMENT_INDEX[lever.placement_type]
    free = max(0.0, lever.value - occupied.sum())
    available = state[:, :, source] * mask[:, target][:, None]
    total = available.sum()
    if free <= 0 or total <= 0:
        return state, occupied
    moved = available * (min(free, total) / total)
    state = state.copy()
    state[:, :, source] -= moved
    state[:, :, target] += moved
    return state, occupied + moved


# --- Simulation ----------------------------------------------------------------------------


def simulate(
    estimate: Estimate,
    steps: list[Step],
    levers: list[Lever] | None = None,
    *,
    runs: int = 1000,
    seed: int = 0,
) -> Path:
    """`runs` possible paths at once. Uncertainty comes from: the request trend (drawn once per
    run from its estimate and standard error), each year's requests (log-normal around the
    trend), the share of requests that become plans (Beta on the recorded outcomes), which
    waiting requests become plans, how many new plans arrive (Poisson), which plans end
    (binomial, with the ending rates themselves uncertain), and who moves (multinomial)."""
    levers = levers or []
    rng = np.random.default_rng(seed)
    rates = estimate.rates
    inflow = estimate.inflow
    months = steps[-1].last_month
    n_years = (months - 1) // 12 + 1

    # New plans, per run.
    trends = rng.normal(inflow.growth_trend, inflow.growth_se, size=runs)
    sd = inflow.request_noise_sd
    shocks = np.exp(rng.normal(-(sd**2) / 2, sd, size=(runs, n_years)))
    requests = monthly_requests(estimate, levers, months, trends=trends, year_shocks=shocks)
    issued_n, resolved_n = inflow.conversion_counts
    base_conversion = rng.beta(issued_n + 1, resolved_n - issued_n + 1, size=runs)
    conversion = conversion_by_month(estimate, levers, months, base_conversion)
    issues = issues_by_month(requests, conversion, inflow.lag_pmf)
    probability = inflow.stage_conversion[inflow.pipeline_stage]
    becomes_plan = rng.random((runs, len(probability))) < probability
    issues = issues + becomes_plan.astype(float) @ pipeline_timing(estimate, months)
    expected = entrants_by_step(estimate, steps, issues)  # (runs, steps)
    entrants = rng.poisson(expected)

    # How far the ending rates themselves may be off, from how many endings they rest on.
    ended = max(1.0, float(estimate.evidence.get("plans_ended", 1)))
    exit_factor = np.exp(rng.normal(0.0, 1.0 / np.sqrt(ended), size=runs))

    state = np.broadcast_to(np.rint(estimate.base_state).astype(np.int64), (runs, A, G, P)).copy()
    mask = allowed_mask()
    occupied = {i: np.zeros((runs, A, G)) for i, lv in enumerate(levers) if lv.kind == EXTRA_PLACES}
    stay = np.einsum("agpp->agp", rates.move)
    away = rates.move.copy()
    idx = np.arange(P)
    away[:, :, idx, idx] = 0.0
    totals = np.zeros((runs, len(steps), P))
    for k, step in enumerate(steps):
        exit_p = exit_probability(rates, levers, step.year, step.fraction)
        p = np.clip(exit_p[None] * exit_factor[:, None, None, None], 0.0, 1.0)
        p[:, -1] = exit_p[-1]
        state -= rng.binomial(state, p)
        for i in occupied:
            target = PLACEMENT_INDEX[levers[i].placement_type]
            occupied[i] = occupied[i] * (1.0 - exit_p[None, :, :, target])
        if step.crosses_september:
            state = age_one_year(state, axis=1)
            state = _move(rng, state, stay, away)
            for i in occupied:
                target = PLACEMENT_INDEX[levers[i].placement_type]
                occupied[i] = (
                    age_one_year(occupied[i], axis=1)
                    * rates.move[None, :, :, target, target]
                    * mask[None, :, target, None]
                )
        share = entry_share_for(rates, levers, step.year).reshape(-1)
        share = share / share.sum() * (1 - 1e-9)
        state += rng.multinomial(entrants[:, k], share).reshape(runs, A, G, P)
        for i, lever in places_in_force(levers, step.year):
            state, occupied[i] = _fill_places_runs(rng, state, occupied[i], lever, mask)
        totals[:, k] = state.sum(axis=(1, 2))
    return Path(years=[s.year for s in steps], by_placement=totals, entrants=entrants)


def _move(rng, state, stay, away):
    """Who changes placement in September: binomial movers per cell, then a multinomial over
    the destinations, only where someone moves."""
    leave = np.clip(1.0 - stay, 0.0, 1.0)
    movers = rng.binomial(state, leave[None])
    where = np.nonzero(movers)
    if len(where[0]) == 0:
        return state
    counts = movers[where]
    r, a, g, p = where
    destinations = away[a, g, p]
    totals = destinations.sum(axis=1, keepdims=True)
    destinations = np.where(totals > 0, destinations / np.where(totals > 0, totals, 1), 0)
    no_route = totals[:, 0] <= 0
    destinations[no_route, p[no_route]] = 1.0  # nowhere to go: stay (cannot happen if stay<1)
    drawn = rng.multinomial(counts, destinations * (1 - 1e-9))
    state = state.copy()
    state[where] -= counts
    for q in range(P):
        np.add.at(state[..., q], (r, a, g), drawn[:, q])
    return state


def _fill_places_runs(rng, state, occupied, lever: Lever, mask):
    """As fill_places, per run, in whole children: each child of a suitable age in the source
    placement takes a free place with the same chance (binomial thinning)."""
    source, target = PLACEMENT_INDEX[lever.source_type], PLACEMENT_INDEX[lever.placement_type]
    free = np.maximum(0.0, lever.value - occupied.sum(axis=(1, 2)))  # (runs,)
    available = state[:, :, :, source] * mask[None, :, target, None]
    total = available.sum(axis=(1, 2))
    share = np.where(total > 0, np.minimum(free, total) / np.maximum(total, 1), 0.0)
    moved = rng.binomial(available, np.clip(share, 0.0, 1.0)[:, None, None])
    state = state.copy()
    state[:, :, :, source] -= moved
    state[:, :, :, target] += moved
    return state, occupied + moved

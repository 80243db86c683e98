"""Rates learned from the area's own history: endings, moves and new plans between January
censuses, and the request-to-plan pipeline.

Every rate is shrunk towards its age band's and the area's overall rate (shrinkage.py), so a
sparse cell borrows strength instead of being zero by accident. A forecast with too little
history is refused with the reason (ForecastError), never padded out."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from everychild.core.prose import long_date
from everychild.finance.forecast.dimensions import (
    BAND_OF_AGE,
    MAX_AGE,
    OTHER,
    PLACEMENT_INDEX,
    B,
    P,
    allowed_mask,
    ay_label,
    census_day,
    last_census_on_or_before,
)
from everychild.finance.forecast.history import (
    ASSESSING,
    DAYS_PER_MONTH,
    DRAFT,
    NEVER,
    Flows,
    History,
    flows_between,
)
from everychild.finance.forecast.shrinkage import (
    by_band,
    hierarchical_rates,
    normalise,
    shrink_distribution,
)

DEFAULT_WINDOW = 3  # census-to-census years the rates are pooled over
DEFAULT_STRENGTH = 10.0  # pseudo-observations a cell borrows from its parent rate
LAG_MONTHS = 36  # the longest wait from request to plan the model keeps apart
MIN_STEPS = 2
# Growth in requests (per head) follows the recent trend, damped each year: a trend of +15 % a
# year becomes +10.5 %, +7.4 %, ... (Gardner and McKenzie's damped trend). A straight line
# through a surge would otherwise double demand every five years for ever.
DAMPING = 0.7
MIN_GROWTH_SE = 0.02
MIN_REQUEST_NOISE = 0.03


class ForecastError(ValueError):
    """The forecast cannot be made from what is recorded; the message says why."""


@dataclass
class Rates:
    exit: np.ndarray  # (A, G, P): probability a plan ends before the next census
    move: np.ndarray  # (A, G, P, P): placement after the September move, by the new age
    entry_share: np.ndarray  # (A, G, P): where new plans fall; sums to 1


@dataclass
class Inflow:
    """How many new plans to expect: requests, the share that lead to a plan, how long that
    takes, and the requests already waiting."""

    conversion: float
    conversion_counts: tuple[int, int]  # plans issued, requests resolved
    stage_conversion: np.ndarray  # (3,) by stage of a waiting request
    lag_pmf: np.ndarray  # (LAG_MONTHS,) months from request to plan
    requests_last_year: float
    population_base: float
    growth_trend: float
    growth_se: float
    request_noise_sd: float
    annual_requests: list[tuple[str, int, float]]  # (12 months to, requests, per 10,000)
    other_entries_per_year: float  # plans arriving without a request (moving in from elsewhere)
    entrant_survival: float  # new plans still held at the next census
    pipeline_stage: np.ndarray
    pipeline_months: np.ndarray


@dataclass
class Estimate:
    as_of: dt.date
    base_state: np.ndarray
    rates: Rates
    inflow: Inflow
    steps: list[tuple[int, int]]
    observed: dict[int, np.ndarray]  # academic year -> caseload at its January census
    population: dict[int, float]
    warnings: list[str] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)

    def population_in(self, year: int) -> float:
        return population_for(self.population, year)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def population_for(population: dict[int, float], year: int) -> float:
    """The 0-25 population in `year`: the recorded figure, or the nearest recorded year's (the
    caller warns when a year is missing)."""
    if not population:
        return 1.0
    if year in population:
        return float(population[year])
    nearest = min(population, key=lambda y: (abs(y - year), y))
    return float(population[nearest])


def _steps(history: History, as_of: dt.date, window: int) -> list[tuple[int, int]]:
    last = last_census_on_or_before(as_of)
    steps = []
    for year in range(last - window + 1, last + 1):
        first = census_day(year - 1)
        if history.plans.active_on(first).sum() > 0 and len(history.requests) > 0:
            earliest_request = int(history.requests.received.min())
            if earliest_request <= first.toordinal():
                steps.append((year - 1, year))
    return steps


def estimate(
    history: History,
    as_of: dt.date,
    *,
    window: int = DEFAULT_WINDOW,
    strength: float = DEFAULT_STRENGTH,
) -> Estimate:
    """Learn the rates from `history` (which must already be as known at `as_of`)."""
    warnings: list[str] = []
    steps = _steps(history, as_of, window)
    if len(steps) < MIN_STEPS:
        raise ForecastError(
            f"There is too little history to forecast from: the model needs at least "
            f"{MIN_STEPS} years between January censuses with plans and requests recorded "
            f"before {long_date(as_of)}, and found {len(steps)}."
        )
    flows = Flows()
    for first, second in steps:
        flows = flows + flows_between(history.plans, census_day(first), census_day(second))
    if flows.entrants.sum() == 0:
        raise ForecastError(
            "No new plans were issued in the years the model learns from: it cannot tell where "
            "new plans are placed."
        )
    mask = allowed_mask()
    exit_rate = hierarchical_rates(flows.exits, flows.exposure, strength)
    # A plan ends at the latest in the academic year its holder turns 25 (CFA 2014 s.46).
    exit_rate[MAX_AGE] = 1.0
    entry_share, placement_given_age = _entry_share(flows.entrants, strength, mask)
    move = _move_rates(flows, strength, mask, placement_given_age)

    if history.plans.mended:
        warnings.append(
            f"{history.plans.mended} placement records left gaps or overlapped: each placement "
            "is taken to last until the next one starts."
        )
    if not history.population:
        warnings.append(
            "No population figures are recorded: demography is held flat, and the growth "
            "breakdown cannot tell demography from prevalence."
        )
    inflow = _inflow(history, as_of, window, strength, flows, len(steps), warnings)
    last = last_census_on_or_before(as_of)
    observed = {}
    for year in range(last - 7, last + 1):
        state = history.plans.state_on(census_day(year))
        if state.sum() > 0:
            observed[year] = state
    evidence = {
        "steps": [f"{ay_label(a)} to {ay_label(b)}" for a, b in steps],
        "period": f"{steps[0][0] + 1} and {steps[-1][1] + 1}",
        "plans_exposed": int(flows.exposure.sum()),
        "plans_ended": int(flows.exits.sum()),
        "placement_moves": int(flows.moves.sum() - np.einsum("agpp->", flows.moves)),
        "new_plans": int(flows.entrants.sum()),
        "strength": strength,
    }
    return Estimate(
        as_of=as_of,
        base_state=history.plans.state_on(as_of),
        rates=Rates(exit=exit_rate, move=move, entry_share=entry_share),
        inflow=inflow,
        steps=steps,
        observed=observed,
        population=dict(history.population),
        warnings=warnings,
        evidence=evidence,
    )


def _entry_share(
    entrants: np.ndarray, strength: float, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Where new plans fall: P(age) x P(placement | age) x P(need | age, placement), each shrunk
    towards its age band's and the overall distribution."""
    total = entrants.sum()
    by_age = entrants.sum(axis=(1, 2))  # (A,)
    band_totals = by_band(by_age[:, None])[:, 0]  # (B,)
    band_sizes = np.bincount(BAND_OF_AGE, minlength=B)
    age_prior = (band_totals / total)[BAND_OF_AGE] / band_sizes[BAND_OF_AGE]
    age_share = shrink_distribution(by_age, age_prior, strength)

    by_age_placement = entrants.sum(axis=1)  # (A, P)
    overall_placement = normalise(by_age_placement.sum(axis=0))
    band_placement = shrink_distribution(by_band(by_age_placement), overall_placement, strength)
    placement_given_age = shrink_distribution(
        by_age_placement, band_placement[BAND_OF_AGE], strength
    )
    other = np.zeros(P)
    other[PLACEMENT_INDEX[OTHER]] = 1.0
    placement_given_age = normalise(placement_given_age * mask, other)

    counts = entrants.transpose(0, 2, 1)  # (A, P, G)
    overall_need = normalise(counts.sum(axis=(0, 1)))
    need_given_placement = shrink_distribution(counts.sum(axis=0), overall_need, strength)
    band_need = shrink_distribution(by_band(counts), need_given_placement[None], strength)
    need_given = shrink_distribution(counts, band_need[BAND_OF_AGE], strength)  # (A, P, G)

    share = age_share[:, None, None] * (placement_given_age[:, :, None] * need_given)
    share = share.transpose(0, 2, 1)  # (A, G, P)
    return share / share.sum(), placement_given_age


def _move_rates(
    flows: Flows, strength: float, mask: np.ndarray, placement_given_age: np.ndarray
) -> np.ndarray:
    """Placement after the September move, as a distribution over destinations (staying put
    included). A destination a child cannot be in at that age is removed; where nothing
    observed is open to them (a 5-year-old leaving early years), they go where new plans at
    that age are placed."""
    move = hierarchical_rates(flows.moves, flows.move_exposure, strength)  # (A, G, P, Q)
    move = move * mask[:, None, None, :]
    fallback = np.broadcast_to(placement_given_age[:, None, None, :], move.shape)
    total = move.sum(axis=-1, keepdims=True)
    move = np.where(total > 0, move / np.where(total > 0, total, 1.0), fallback)
    return move


def _inflow(
    history: History,
    as_of: dt.date,
    window: int,
    strength: float,
    flows: Flows,
    n_steps: int,
    warnings: list[str],
) -> Inflow:
    requests = history.requests
    population = history.population
    # Requests in each of the last (window + 1) twelve-month periods, per head.
    periods = []
    for k in range(window, -1, -1):
        start, end = years_before(as_of, k + 1), years_before(as_of, k)
        count = requests.received_between(start, end)
        per_head = count / population_for(population, end.year)
        periods.append((end, count, per_head))
    last_year = periods[-1][1]
    if last_year == 0:
        raise ForecastError(
            f"No requests for assessment were received in the 12 months to {long_date(as_of)}: "
            "the model cannot tell how many new plans to expect."
        )
    missing_years = (
        sorted({end.year for end, _, _ in periods} - set(population)) if population else []
    )
    if missing_years:
        warnings.append(
            "No population figure is recorded for "
            + ", ".join(str(y) for y in missing_years)
            + ": the nearest recorded year's is used."
        )
    growth, se, noise = _trend([per_head for _, count, per_head in periods if count > 0])

    # The share of requests that lead to a plan, from requests old enough to have an outcome.
    start, end = years_before(as_of, window + 1), years_before(as_of, 1)
    received = requests.received
    in_window = (received > start.toordinal()) & (received <= end.toordinal())
    settled = requests.resolved() <= as_of.toordinal()
    issued = requests.issued <= as_of.toordinal()
    resolved_n = int((in_window & settled).sum())
    issued_n = int((in_window & issued).sum())
    if resolved_n == 0:
        raise ForecastError(
            f"No request received between {long_date(start)} and {long_date(end)} has an outcome "
            "recorded: the model cannot tell what share of requests lead to a plan."
        )
    conversion = issued_n / resolved_n
    stage_conversion = np.full(3, conversion)
    for stage, reached in (
        (ASSESSING, requests.assess & (requests.decided <= as_of.toordinal())),
        (DRAFT, requests.draft <= as_of.toordinal()),
    ):
        group = in_window & settled & reached
        n = int(group.sum())
        k = int((group & issued).sum())
        stage_conversion[stage] = (k + strength * conversion) / (n + strength)
    with_plan = in_window & issued & (requests.issued < NEVER)
    lags = ((requests.issued[with_plan] - received[with_plan]) / DAYS_PER_MONTH).astype(np.int64)
    lags = np.clip(lags, 0, LAG_MONTHS - 1)
    if len(lags) == 0:
        raise ForecastError(
            "No request in the years the model learns from has led to a plan yet: it cannot "
            "tell how long requests take to become plans."
        )
    lag_pmf = np.bincount(lags, minlength=LAG_MONTHS).astype(float)
    lag_pmf /= lag_pmf.sum()

    stage, months = requests.open_on(as_of)
    survival = float(flows.entrants.sum() / flows.issued) if flows.issued else 1.0
    return Inflow(
        conversion=conversion,
        conversion_counts=(issued_n, resolved_n),
        stage_conversion=stage_conversion,
        lag_pmf=lag_pmf,
        requests_last_year=float(last_year),
        population_base=population_for(population, as_of.year),
        growth_trend=growth,
        growth_se=se,
        request_noise_sd=noise,
        annual_requests=[
            (f"{long_date(end)}", count, per_head * 10_000 if population else float("nan"))
            for end, count, per_head in periods
        ],
        other_entries_per_year=flows.entrants_without_request / n_steps,
        entrant_survival=min(1.0, survival),
        pipeline_stage=stage,
        pipeline_months=months,
    )


def _trend(per_head: list[float]) -> tuple[float, float, float]:
    """Annual growth of requests per head (log-linear fit), its standard error, and the spread
    of single years around the line."""
    if len(per_head) < 2:
        return 0.0, 0.05, 0.10
    y = np.log(np.asarray(per_head))
    t = np.arange(len(y), dtype=float)
    slope, intercept = np.polyfit(t, y, 1)
    residuals = y - (slope * t + intercept)
    if len(y) > 2:
        sigma = float(np.sqrt((residuals**2).sum() / (len(y) - 2)))
        se = sigma / math.sqrt(((t - t.mean()) ** 2).sum())
    else:
        sigma, se = 0.05, abs(slope) / 2
    return (
        float(math.exp(slope) - 1),
        max(MIN_GROWTH_SE, float(se)),
        max(MIN_REQUEST_NOISE, sigma),
    )

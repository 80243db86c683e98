"""The forecast, put together: rates from history, the cohort projection (central and
simulated), costs by financial year, the budget and the deficit, a back-test, the growth
breakdown and goal-seek. Everything here is plain data in and plain data out; the Django side
gathers the inputs (selectors) and stores the result (services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from everychild.finance.forecast.decomposition import decompose
from everychild.finance.forecast.dimensions import (
    PLACEMENT_TYPES,
    P,
    ay_label,
    census_day,
    financial_year_of,
    fy_label,
    last_census_on_or_before,
)
from everychild.finance.forecast.estimate import (
    DEFAULT_STRENGTH,
    DEFAULT_WINDOW,
    Estimate,
    ForecastError,
    estimate,
)
from everychild.finance.forecast.goalseek import GoalSeekResult, bisect
from everychild.finance.forecast.history import History
from everychild.finance.forecast.levers import (
    COST_INFLATION,
    FUNDING_GROWTH,
    LEVER_KINDS,
    Lever,
    value_in_force,
)
from everychild.finance.forecast.money import (
    CostRow,
    CostTableError,
    budget_path,
    financial_year_counts,
    rate_for_year,
    unit_costs,
)
from everychild.finance.forecast.projection import (
    MAX_HORIZON,
    MIN_HORIZON,
    Path,
    expected_entrants,
    project,
    simulate,
    timeline,
)

# The statutory override keeps DSG deficits off councils' general funds to 31 March 2028
# (the School and Early Years Finance (England) Regulations, as extended to the end of
# 2027-28); SEND costs move to central government from April 2028 (DOMAIN.md section 6).
STATUTORY_OVERRIDE_ENDS = dt.date(2028, 3, 31)
BANDS = (10, 50, 90)
INFLATION_SPREAD = 0.01  # a year's cost inflation in a simulation: the assumption +/- 1 point


@dataclass
class FinanceInputs:
    """The money side, as recorded by the area's finance officers."""

    cost_rows: list[CostRow]
    inflation: dict[int, float] = field(default_factory=dict)  # financial year -> fraction
    funding_growth: dict[int, float] = field(default_factory=dict)
    interest: dict[int, float] = field(default_factory=dict)
    income: dict[int, float] = field(default_factory=dict)  # HNB allocation + other income
    central_spend: dict[int, float] = field(default_factory=dict)  # central services budget
    opening_deficit: float | None = None  # cumulative DSG deficit before the current year
    # DfE Safety Valve payments by financial year: all expected (paid, or due and not
    # withheld), and of those the ones the monitoring puts at risk, with the reasons.
    safety_valve: dict[int, float] = field(default_factory=dict)
    safety_valve_at_risk: dict[int, float] = field(default_factory=dict)
    payments_at_risk: list[dict] = field(default_factory=list)


@dataclass
class Central:
    academic_years: list[int]
    counts: dict[int, np.ndarray]  # academic year -> (P,)
    financial_years: list[int]
    unit_costs: np.ndarray  # (F, P)
    placement_spend: np.ndarray  # (F, P)
    central_services: np.ndarray  # (F,)
    income: np.ndarray
    spend: np.ndarray
    in_year_deficit: np.ndarray
    cumulative_deficit: np.ndarray | None
    interest: np.ndarray | None
    safety_valve: np.ndarray
    safety_valve_at_risk: np.ndarray
    cumulative_without_at_risk: np.ndarray | None

    def balance(self, year: int) -> float:
        """Income minus spend in a financial year (positive: a surplus)."""
        return float(-self.in_year_deficit[self.financial_years.index(year)])


class Forecaster:
    """Learns once from the history, then projects any scenario."""

    def __init__(
        self,
        history: History,
        finance: FinanceInputs,
        as_of: dt.date,
        *,
        horizon: int = 10,
        window: int = DEFAULT_WINDOW,
        strength: float = DEFAULT_STRENGTH,
        on_census: bool = False,
    ):
        if not MIN_HORIZON <= horizon <= MAX_HORIZON:
            raise ForecastError(
                f"A forecast looks {MIN_HORIZON} to {MAX_HORIZON} years ahead, not {horizon}."
            )
        self.history = history
        self.finance = finance
        self.as_of = as_of
        self.horizon = horizon
        self.window, self.strength = window, strength
        self.estimate: Estimate = estimate(history, as_of, window=window, strength=strength)
        self.steps = timeline(as_of, horizon, on_census=on_census)
        self.warnings = list(self.estimate.warnings)
        self.current_year = financial_year_of(as_of)
        self.financial_years = list(range(self.current_year, self.steps[-1].year + 1))
        if not finance.income or min(finance.income) > self.current_year:
            raise ForecastError(
                f"No high-needs funding is recorded for {fy_label(self.current_year)} or "
                "before: record the allocation first."
            )
        self._check_costs()
        self._note_gaps()

    # --- inputs ---------------------------------------------------------------------------

    def _check_costs(self) -> None:
        placed = self.estimate.base_state.sum(axis=(0, 1))
        needed = {PLACEMENT_TYPES[p] for p in range(P) if placed[p] > 0}
        try:
            unit_costs(
                self.finance.cost_rows,
                self.finance.inflation,
                self.financial_years,
                self.current_year,
                needed=needed,
            )
        except CostTableError as error:
            raise ForecastError(str(error)) from None

    def _note_gaps(self) -> None:
        finance = self.finance
        last_income = max(finance.income)
        if last_income < self.financial_years[-1]:
            self.warnings.append(
                f"High-needs funding is recorded to {fy_label(last_income)}; after that it grows "
                "by the funding assumption (or the scenario's lever)."
            )
        if not finance.funding_growth:
            self.warnings.append(
                "No funding growth assumption is recorded: funding after the last recorded "
                "year is held flat unless a scenario says otherwise."
            )
        if not finance.inflation:
            self.warnings.append(
                "No cost inflation assumption is recorded: unit costs after this year are held "
                "flat unless a scenario says otherwise."
            )
        if not finance.central_spend:
            self.warnings.append(
                "No budget for central high-needs services is recorded: spending here is "
                "placements only."
            )
        if finance.opening_deficit is None:
            self.warnings.append(
                f"The DSG balance at 31 March {self.current_year} is not known (record the "
                "outturn or the audited balance): the cumulative deficit is not shown."
            )

    def _inflation(self, levers: list[Lever]) -> dict[int, float]:
        out = {}
        for year in self.financial_years:
            value = value_in_force(levers, COST_INFLATION, year)
            if value is not None:
                out[year] = value / 100
        return out

    def _series(self, levers: list[Lever]):
        """Income, central services spend, interest rates and Safety Valve payments by year."""
        finance = self.finance
        income, central = [], []
        last_income_year = max(y for y in finance.income if y <= self.current_year)
        inflation = self._inflation(levers)
        for year in self.financial_years:
            if year in finance.income:
                income.append(finance.income[year])
                last_income_year = year
            else:
                growth = value_in_force(levers, FUNDING_GROWTH, year)
                growth = (
                    growth / 100
                    if growth is not None
                    else rate_for_year(finance.funding_growth, year) or 0.0
                )
                income.append(income[-1] * (1 + growth) if income else 0.0)
            if year in finance.central_spend:
                central.append(finance.central_spend[year])
            else:
                earlier = [y for y in finance.central_spend if y < year]
                if not earlier:
                    central.append(0.0)
                else:
                    base = central[-1] if central else finance.central_spend[max(earlier)]
                    rate = inflation.get(year, rate_for_year(finance.inflation, year) or 0.0)
                    central.append(base * (1 + rate))
        del last_income_year
        interest = np.array(
            [rate_for_year(finance.interest, y) or 0.0 for y in self.financial_years]
        )
        safety_valve = np.array(
            [
                (finance.safety_valve.get(y, 0.0), finance.safety_valve_at_risk.get(y, 0.0))
                for y in self.financial_years
            ]
        ).T  # (2, F): expected, and of those at risk
        return np.array(income), np.array(central), interest, safety_valve

    def _observed_counts(self) -> dict[int, np.ndarray]:
        return {y: s.sum(axis=(0, 1)) for y, s in self.estimate.observed.items()}

    # --- the central path -------------------------------------------------------------------

    def central(self, levers: list[Lever] | None = None) -> Central:
        levers = levers or []
        path = project(self.estimate, self.steps, levers)
        return self._money(path.by_placement, path.years, levers)

    def _money(self, by_placement: np.ndarray, years: list[int], levers: list[Lever]) -> Central:
        counts = self._observed_counts()
        for i, year in enumerate(years):
            counts[year] = by_placement[i]
        by_fy = financial_year_counts(counts)
        fys = self.financial_years
        costs = unit_costs(
            self.finance.cost_rows,
            self.finance.inflation,
            fys,
            self.current_year,
            inflation_override=self._inflation(levers),
        )
        fy_counts = np.array([by_fy[y] for y in fys])
        placement_spend = fy_counts * costs
        income, central_services, interest, safety_valve = self._series(levers)
        spend = placement_spend.sum(axis=1) + central_services
        budget = budget_path(
            fys,
            income,
            spend,
            opening_deficit=self.finance.opening_deficit,
            safety_valve=safety_valve[0],
            safety_valve_at_risk=safety_valve[1],
            interest_rates=interest,
        )
        return Central(
            academic_years=sorted(counts),
            counts=counts,
            financial_years=fys,
            unit_costs=costs,
            placement_spend=placement_spend,
            central_services=central_services,
            income=income,
            spend=spend,
            in_year_deficit=budget.in_year_deficit,
            cumulative_deficit=budget.cumulative_deficit,
            interest=budget.interest,
            safety_valve=safety_valve[0],
            safety_valve_at_risk=safety_valve[1],
            cumulative_without_at_risk=budget.cumulative_without_at_risk,
        )

    # --- uncertainty ------------------------------------------------------------------------

    def simulate(self, levers: list[Lever] | None = None, *, runs: int = 1000, seed: int = 0):
        """Percentile bands (10th, 50th, 90th) for counts and money."""
        levers = levers or []
        path: Path = simulate(self.estimate, self.steps, levers, runs=runs, seed=seed)
        observed = self._observed_counts()
        academic_years = sorted(observed) + path.years
        counts = np.concatenate(
            [
                np.broadcast_to(
                    np.array([observed[y] for y in sorted(observed)]), (runs, len(observed), P)
                ),
                path.by_placement,
            ],
            axis=1,
        )  # (runs, years, P)
        index = {y: i for i, y in enumerate(academic_years)}
        fys = self.financial_years
        fy_counts = np.stack(
            [(5 / 12) * counts[:, index[y - 1]] + (7 / 12) * counts[:, index[y]] for y in fys],
            axis=1,
        )  # (runs, F, P)
        costs = unit_costs(
            self.finance.cost_rows,
            self.finance.inflation,
            fys,
            self.current_year,
            inflation_override=self._inflation(levers),
        )
        rng = np.random.default_rng([seed, 1])
        drift = rng.normal(0.0, INFLATION_SPREAD, size=(runs, len(fys)))
        drift[:, 0] = 0.0  # this year's rates are known
        cost_factor = np.cumprod(1 + drift, axis=1)  # (runs, F)
        income, central_services, interest, safety_valve = self._series(levers)
        spend = (fy_counts * costs[None]).sum(axis=2) * cost_factor + central_services[
            None
        ] * cost_factor
        budget = budget_path(
            fys,
            income,
            spend,
            opening_deficit=self.finance.opening_deficit,
            safety_valve=safety_valve[0],
            safety_valve_at_risk=safety_valve[1],
            interest_rates=interest,
        )
        return {
            "academic_years": academic_years,
            "counts": counts,
            "spend": spend,
            "in_year_deficit": budget.in_year_deficit,
            "cumulative_deficit": budget.cumulative_deficit,
            "cumulative_without_at_risk": budget.cumulative_without_at_risk,
            "entrants": path.entrants,
        }

    # --- goal-seek -----------------------------------------------------------------------

    def goal_seek(
        self, levers: list[Lever], template: Lever, target_year: int, *, tolerance=None
    ) -> GoalSeekResult:
        """The value of `template`'s lever (other levers as they are) that brings the budget
        into balance in `target_year` (a financial year in the forecast)."""
        if target_year not in self.financial_years:
            raise ForecastError(
                f"Choose a year from {fy_label(self.financial_years[0])} to "
                f"{fy_label(self.financial_years[-1])}."
            )
        kind = LEVER_KINDS[template.kind]
        # Entrants depend on the lever only for request and conversion levers: computed once
        # otherwise, which keeps a goal-seek to a few tenths of a second.
        fixed = None
        if template.kind not in ("request_growth", "conversion_rate"):
            fixed = expected_entrants(self.estimate, self.steps, levers)

        def balance(value: float) -> float:
            trial = [*levers, template.with_value(value)]
            path = project(self.estimate, self.steps, trial, entrants=fixed)
            return self._money(path.by_placement, path.years, trial).balance(target_year)

        span = kind.high - kind.low
        return bisect(balance, kind.low, kind.high, tolerance=tolerance or span / 2000)

    # --- back-test --------------------------------------------------------------------------

    def backtest(self, years: int = 2) -> dict:
        """Forecast the last `years` January censuses from only the history before them, and
        compare with what happened: plan counts, and their cost at the area's unit costs (so
        the cost error is the caseload forecast's, not the cost table's)."""
        last = last_census_on_or_before(self.as_of)
        base_year = last - years
        base_day = census_day(base_year)
        try:
            past = estimate(
                self.history.truncated(base_day),
                base_day,
                window=self.window,
                strength=self.strength,
            )
        except ForecastError as error:
            return {"available": False, "reason": f"No back-test: {error}"}
        path = project(past, timeline(base_day, years, on_census=True))
        rows = []
        actual_counts = {base_year: self.history.plans.state_on(base_day).sum(axis=(0, 1))}
        forecast_counts = {base_year: actual_counts[base_year]}
        for i, year in enumerate(path.years):
            actual = self.history.plans.state_on(census_day(year)).sum(axis=(0, 1))
            actual_counts[year], forecast_counts[year] = actual, path.by_placement[i]
            rows.append(_error_row(f"January {year + 1}", path.by_placement[i].sum(), actual.sum()))
        result = {
            "available": True,
            "base": f"January {base_year + 1}",
            "count_rows": rows,
            "count_mape": float(np.mean([r["error_pct"] for r in rows])),
            "cost_rows": [],
            "cost_mape": None,
        }
        fys = list(range(base_year + 1, last + 1))
        placed = {PLACEMENT_TYPES[p] for p in range(P) if actual_counts[base_year][p] > 0}
        try:
            costs = unit_costs(
                self.finance.cost_rows, self.finance.inflation, fys, fys[-1], needed=placed
            )
        except CostTableError as error:
            result["cost_reason"] = f"No cost back-test: {error}"
            return result
        actual_fy = financial_year_counts(actual_counts)
        forecast_fy = financial_year_counts(forecast_counts)
        result["cost_rows"] = [
            _error_row(
                fy_label(year),
                float(forecast_fy[year] @ costs[i]),
                float(actual_fy[year] @ costs[i]),
            )
            for i, year in enumerate(fys)
        ]
        result["cost_mape"] = float(np.mean([r["error_pct"] for r in result["cost_rows"]]))
        return result

    # --- growth breakdown ---------------------------------------------------------------

    def breakdown(self, central: Central) -> dict:
        first, last = central.financial_years[0], central.financial_years[-1]
        by_fy = financial_year_counts(central.counts)
        try:
            parts = decompose(
                (self.estimate.population_in(first), self.estimate.population_in(last)),
                (by_fy[first], by_fy[last]),
                (central.unit_costs[0], central.unit_costs[-1]),
            )
        except ValueError as error:
            return {"available": False, "reason": str(error)}
        return {
            "available": True,
            "from": fy_label(first),
            "to": fy_label(last),
            "total_change": parts.total_change,
            "parts": [{"label": label, "amount": amount} for label, amount in parts.parts],
        }

    # --- everything, as JSON-ready data ------------------------------------------------------

    def run(self, levers: list[Lever] | None = None, *, runs: int = 1000, seed: int = 0) -> dict:
        levers = levers or []
        central = self.central(levers)
        bands = self.simulate(levers, runs=runs, seed=seed)
        return result_document(self, central, bands, levers, runs=runs, seed=seed)


def _error_row(label: str, forecast: float, actual: float) -> dict:
    error = abs(forecast - actual) / actual * 100 if actual else 0.0
    return {
        "label": label,
        "forecast": float(forecast),
        "actual": float(actual),
        "error_pct": error,
    }


def _percentiles(values: np.ndarray) -> dict[str, list[float]]:
    """10th, 50th and 90th percentiles over the runs axis (axis 0)."""
    return {f"p{q}": [float(v) for v in np.percentile(values, q, axis=0)] for q in BANDS}


def _floats(values) -> list[float]:
    return [float(v) for v in np.asarray(values)]


def result_document(
    forecaster: Forecaster, central: Central, bands: dict, levers, *, runs: int, seed: int
) -> dict:
    estimate = forecaster.estimate
    ays = central.academic_years
    observed = set(estimate.observed)
    counts_total = [float(central.counts[y].sum()) for y in ays]
    sim_counts = bands["counts"]
    count_bands = _percentiles(sim_counts.sum(axis=2))
    by_placement_bands = {
        name: _percentiles(sim_counts[:, :, p]) for p, name in enumerate(PLACEMENT_TYPES)
    }
    fys = central.financial_years
    money = {
        "income": _floats(central.income),
        "spend": _floats(central.spend),
        "central_services": _floats(central.central_services),
        "placement_spend": {
            name: _floats(central.placement_spend[:, p]) for p, name in enumerate(PLACEMENT_TYPES)
        },
        "in_year_deficit": _floats(central.in_year_deficit),
        "cumulative_deficit": None
        if central.cumulative_deficit is None
        else _floats(central.cumulative_deficit),
        "interest": None if central.interest is None else _floats(central.interest),
        "safety_valve": _floats(central.safety_valve),
        "safety_valve_at_risk": _floats(central.safety_valve_at_risk),
        "cumulative_without_at_risk": None
        if central.cumulative_without_at_risk is None
        else _floats(central.cumulative_without_at_risk),
    }
    money_bands = {
        "spend": _percentiles(bands["spend"]),
        "in_year_deficit": _percentiles(bands["in_year_deficit"]),
        "cumulative_deficit": None
        if bands["cumulative_deficit"] is None
        else _percentiles(bands["cumulative_deficit"]),
        "cumulative_without_at_risk": None
        if bands["cumulative_without_at_risk"] is None
        else _percentiles(bands["cumulative_without_at_risk"]),
    }
    override_year = STATUTORY_OVERRIDE_ENDS.year - 1
    override = None
    if override_year in fys and central.cumulative_deficit is not None:
        i = fys.index(override_year)
        override = {
            "ends_on": STATUTORY_OVERRIDE_ENDS.isoformat(),
            "year": override_year,
            "label": fy_label(override_year),
            "cumulative_deficit": float(central.cumulative_deficit[i]),
            "p10": money_bands["cumulative_deficit"]["p10"][i],
            "p90": money_bands["cumulative_deficit"]["p90"][i],
            "cumulative_without_at_risk": float(central.cumulative_without_at_risk[i]),
            "at_risk": float(central.safety_valve_at_risk[: i + 1].sum()),
        }
    inflow = estimate.inflow
    return {
        "as_of": forecaster.as_of.isoformat(),
        "horizon": forecaster.horizon,
        "runs": runs,
        "seed": seed,
        "levers": [lever.describe() for lever in levers],
        "academic_years": [
            {"year": y, "label": ay_label(y), "observed": y in observed} for y in ays
        ],
        "counts": {
            "central": {
                "total": counts_total,
                "by_placement": {
                    name: [float(central.counts[y][p]) for y in ays]
                    for p, name in enumerate(PLACEMENT_TYPES)
                },
            },
            "bands": {"total": count_bands, "by_placement": by_placement_bands},
        },
        "financial_years": [{"year": y, "label": fy_label(y)} for y in fys],
        "unit_costs": {
            name: _floats(central.unit_costs[:, p]) for p, name in enumerate(PLACEMENT_TYPES)
        },
        "money": {"central": money, "bands": money_bands},
        # The due payments the monitoring put at risk when this forecast was made, and why.
        "payments_at_risk": list(forecaster.finance.payments_at_risk),
        "statutory_override": override,
        "backtest": forecaster.backtest(),
        "breakdown": forecaster.breakdown(central),
        "inflow": {
            "conversion": inflow.conversion,
            "requests_last_year": inflow.requests_last_year,
            "growth_trend": inflow.growth_trend,
            "growth_se": inflow.growth_se,
            "annual_requests": [list(row) for row in inflow.annual_requests],
            "pipeline": {
                "waiting_for_decision": int((inflow.pipeline_stage == 0).sum()),
                "being_assessed": int((inflow.pipeline_stage == 1).sum()),
                "draft_plan": int((inflow.pipeline_stage == 2).sum()),
                "expected_plans": float(inflow.stage_conversion[inflow.pipeline_stage].sum()),
            },
            "other_entries_per_year": inflow.other_entries_per_year,
            "entrants_central": _floats(expected_entrants(estimate, forecaster.steps, levers)),
        },
        "evidence": estimate.evidence,
        "warnings": forecaster.warnings,
    }

"""From plans to pounds: unit costs from the area's cost table, academic-year counts to
financial-year costs, and the high-needs budget's in-year and cumulative deficit.

A financial year (1 April to 31 March) holds the last 5 months of one academic year (April to
August) and the first 7 of the next (September to March). So with the January census as each
academic year's count, financial year Y-(Y+1) pays for 5/12 of academic year (Y-1)/Y's
caseload and 7/12 of Y/(Y+1)'s."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from everychild.core.prose import in_sentence
from everychild.finance.forecast.dimensions import (
    PLACEMENT_INDEX,
    PLACEMENT_LABELS,
    PLACEMENT_TYPES,
    P,
    financial_year_of,
    fy_label,
)

EARLIER_SHARE = 5 / 12  # April to August: the academic year that started the September before
LATER_SHARE = 7 / 12  # September to March: the academic year that starts in the financial year


def financial_year_counts(by_academic_year: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Financial year Y -> 5/12 x count(academic year Y-1) + 7/12 x count(academic year Y), for
    every Y whose two academic years are both given."""
    return {
        year: EARLIER_SHARE * by_academic_year[year - 1] + LATER_SHARE * by_academic_year[year]
        for year in sorted(by_academic_year)
        if year - 1 in by_academic_year
    }


@dataclass(frozen=True)
class CostRow:
    """One row of the area's cost table: an annual amount per plan for one component of one
    placement type, from a date (a later row for the same type and component supersedes it)."""

    placement_type: str
    component: str
    amount: float
    effective_from: dt.date


def rates_in_force(rows: list[CostRow], day: dt.date) -> dict[tuple[str, str], CostRow]:
    """The row in force on `day` for each (placement type, component). Rows are taken in the
    order given, so a later correction with the same date wins."""
    current: dict[tuple[str, str], CostRow] = {}
    for row in rows:
        if row.effective_from > day:
            continue
        key = (row.placement_type, row.component)
        held = current.get(key)
        if held is None or row.effective_from >= held.effective_from:
            current[key] = row
    return current


def rate_for_year(assumptions: dict[int, float], year: int) -> float | None:
    """An annual rate recorded from a financial year on: the latest on or before `year`."""
    earlier = [y for y in assumptions if y <= year]
    return assumptions[max(earlier)] if earlier else None


class CostTableError(ValueError):
    pass


def unit_costs(
    rows: list[CostRow],
    inflation: dict[int, float],
    years: list[int],
    current_year: int,
    *,
    inflation_override: dict[int, float] | None = None,
    needed: set[str] | None = None,
) -> np.ndarray:
    """(years, P) annual cost per plan by placement type. Up to the current financial year the
    table's rates are what is paid; after it, the rate in force is inflated each year by the
    inflation assumption (or the scenario's), unless a later row has already been set.

    Raises CostTableError naming the types in `needed` that have no rate at all: a plan is
    never costed at nothing because a row is missing (record a zero if nothing is paid)."""
    overrides = inflation_override or {}
    out = np.zeros((len(years), P))
    missing: set[str] = set()
    for i, year in enumerate(years):
        in_force = rates_in_force(rows, dt.date(year, 4, 1))
        covered = {p for p, _ in in_force}
        for name in needed or ():
            if name not in covered:
                missing.add(name)
        for (placement, _component), row in in_force.items():
            if placement not in PLACEMENT_INDEX:
                continue
            base = max(financial_year_of(row.effective_from), current_year)
            factor = 1.0
            for y in range(base + 1, year + 1):
                rate = overrides.get(y)
                if rate is None:
                    rate = rate_for_year(inflation, y) or 0.0
                factor *= 1 + rate
            out[i, PLACEMENT_INDEX[placement]] += row.amount * factor
    if missing:
        labels = ", ".join(
            in_sentence(PLACEMENT_LABELS[p]) for p in PLACEMENT_TYPES if p in missing
        )
        raise CostTableError(
            f"The cost table has no rate for {labels}, where plans are placed: add one "
            "(a zero if the council pays nothing) before forecasting."
        )
    return out


@dataclass
class BudgetPath:
    years: list[int]
    income: np.ndarray
    spend: np.ndarray
    in_year_deficit: np.ndarray  # spend - income; negative is a surplus
    safety_valve: np.ndarray  # DfE payments expected: paid, and due unless withheld
    cumulative_deficit: np.ndarray | None  # at each 31 March; None if the start is unknown
    interest: np.ndarray | None
    # The same deficit counting none of the due payments the monitoring puts at risk.
    cumulative_without_at_risk: np.ndarray | None = None

    def as_rows(self) -> list[dict]:
        rows = []
        for i, year in enumerate(self.years):
            rows.append(
                {
                    "year": year,
                    "label": fy_label(year),
                    "income": float(self.income[..., i].mean()),
                    "spend": float(self.spend[..., i].mean()),
                    "in_year_deficit": float(self.in_year_deficit[..., i].mean()),
                }
            )
        return rows


def budget_path(
    years: list[int],
    income: np.ndarray,
    spend: np.ndarray,
    *,
    opening_deficit: float | None,
    safety_valve: np.ndarray | None = None,
    safety_valve_at_risk: np.ndarray | None = None,
    interest_rates: np.ndarray | None = None,
) -> BudgetPath:
    """In-year and cumulative deficit, year by year; `spend` may carry a leading runs axis.
    The cumulative deficit is worked out twice: with every DfE payment expected (paid, or due
    and not withheld) and without the ones at risk, which are part of the expected ones.
    Interest is the cost of carrying the deficit (it falls on the council's general fund,
    not the grant): the year's rate on the average of the opening and closing deficit (with
    every payment expected)."""
    safety_valve = np.zeros(len(years)) if safety_valve is None else safety_valve
    at_risk = np.zeros(len(years)) if safety_valve_at_risk is None else safety_valve_at_risk
    in_year = spend - income
    if opening_deficit is None:
        return BudgetPath(years, income, spend, in_year, safety_valve, None, None)
    cumulative = opening_deficit + np.cumsum(in_year - safety_valve, axis=-1)
    without_at_risk = cumulative + np.cumsum(at_risk)
    opening = np.concatenate(
        [np.full(cumulative.shape[:-1] + (1,), opening_deficit), cumulative[..., :-1]], axis=-1
    )
    rates = np.zeros(len(years)) if interest_rates is None else interest_rates
    interest = np.maximum(0.0, (opening + cumulative) / 2) * rates
    return BudgetPath(
        years, income, spend, in_year, safety_valve, cumulative, interest, without_at_risk
    )

"""Goal-seek: the value of one lever that brings a year's budget into balance, by bisection.

Bisection needs only that the balance moves one way as the lever moves (more places, less
inflation, fewer requests: each helps or hurts steadily). It brackets the answer between the
lever's lowest and highest allowed values and halves the bracket until it is narrower than
`tolerance`, so the answer is within its range or there is none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GoalSeekResult:
    found: bool
    value: float | None  # the lever's value that balances (within tolerance)
    balance_at_value: float | None
    low: float
    high: float
    balance_at_low: float
    balance_at_high: float
    iterations: int
    reason: str = ""


def bisect(
    balance: Callable[[float], float],
    low: float,
    high: float,
    *,
    tolerance: float = 1e-3,
    max_iterations: int = 60,
) -> GoalSeekResult:
    """Find x in [low, high] with balance(x) = 0 (balance: income minus spend, so positive is
    a surplus). Of the values that balance, returns the one nearest the bracket's edge where
    the budget is still short: the least change that is enough."""
    f_low, f_high = balance(low), balance(high)
    if f_low >= 0 and f_high >= 0:
        value, at = (low, f_low) if f_low <= f_high else (high, f_high)
        return GoalSeekResult(
            True, value, at, low, high, f_low, f_high, 0, "The budget balances across the range."
        )
    if f_low < 0 and f_high < 0:
        return GoalSeekResult(
            False,
            None,
            None,
            low,
            high,
            f_low,
            f_high,
            0,
            "No value in the lever's range brings the budget into balance by then.",
        )
    # One end short (< 0), the other balanced (>= 0): keep the bracket that way round.
    short, enough = (low, high) if f_low < 0 else (high, low)
    iterations = 0
    while abs(enough - short) > tolerance and iterations < max_iterations:
        middle = (short + enough) / 2
        if balance(middle) >= 0:
            enough = middle
        else:
            short = middle
        iterations += 1
    return GoalSeekResult(True, enough, balance(enough), low, high, f_low, f_high, iterations)

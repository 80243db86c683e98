"""Why spending grows: demography, prevalence, placement mix and unit cost.

Placement spend is  population x (plans / population) x sum over placements of
(share of plans in the placement x cost per plan there). The logarithmic mean Divisia index
(LMDI-I, Ang 2004) splits the change between two years into one part per factor with no
remainder: each placement's change is weighted by the logarithmic mean of its spend in the two
years, times the log-change of each factor."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

TINY = 1e-9  # stands in for a zero so that a placement that opens or closes still counts


@dataclass(frozen=True)
class Breakdown:
    total_change: float
    demography: float
    prevalence: float
    placement_mix: float
    unit_cost: float

    @property
    def parts(self) -> list[tuple[str, float]]:
        return [
            ("Demography (more or fewer children and young people)", self.demography),
            ("Prevalence (more plans per child)", self.prevalence),
            ("Placement mix (more costly placements)", self.placement_mix),
            ("Unit cost (cost per plan in each placement)", self.unit_cost),
        ]


def log_mean(a: float, b: float) -> float:
    """(a - b) / (ln a - ln b); for a and b too close for the logs to differ, their mean."""
    a, b = float(a), float(b)
    difference = math.log(a) - math.log(b)
    if abs(difference) < 1e-9:
        return (a + b) / 2
    return (a - b) / difference


def decompose(
    population: tuple[float, float],
    counts: tuple[np.ndarray, np.ndarray],
    unit_costs: tuple[np.ndarray, np.ndarray],
) -> Breakdown:
    """Split the change in placement spend from year 0 to year 1. counts and unit_costs are
    (P,) arrays for each year."""
    pop0, pop1 = population
    n0, n1 = (np.asarray(c, dtype=float) for c in counts)
    u0, u1 = (np.asarray(u, dtype=float) for u in unit_costs)
    total0, total1 = n0.sum(), n1.sum()
    if pop0 <= 0 or pop1 <= 0 or total0 <= 0 or total1 <= 0:
        raise ValueError("Both years need people, plans and a population.")
    spend0, spend1 = n0 * u0, n1 * u1
    parts = np.zeros(4)
    for p in range(len(n0)):
        if spend0[p] <= 0 and spend1[p] <= 0:
            continue
        s0, s1 = max(spend0[p], TINY), max(spend1[p], TINY)
        weight = log_mean(s1, s0)
        share0, share1 = max(n0[p] / total0, TINY), max(n1[p] / total1, TINY)
        cost0, cost1 = max(u0[p], TINY), max(u1[p], TINY)
        parts += weight * np.array(
            [
                math.log(pop1 / pop0),
                math.log((total1 / pop1) / (total0 / pop0)),
                math.log(share1 / share0),
                math.log(cost1 / cost0),
            ]
        )
    return Breakdown(float(spend1.sum() - spend0.sum()), *map(float, parts))

"""A small synthetic area for the model's tests: plans issued each year since 2015 with
requests before them, some moving to a special school at year 7, ending at 19 or earlier."""

from __future__ import annotations

import datetime as dt
import random

from everychild.finance.forecast import dimensions as d
from everychild.finance.forecast.forecast import FinanceInputs
from everychild.finance.forecast.history import (
    Episode,
    History,
    PlanHistory,
    PlanRecord,
    RequestHistory,
    RequestRecord,
)
from everychild.finance.forecast.money import CostRow

MAINSTREAM = d.PLACEMENT_INDEX[d.MAINSTREAM]
SPECIAL = d.PLACEMENT_INDEX[d.SPECIAL_MAINTAINED]
FE = d.PLACEMENT_INDEX[d.POST16_FE]


def synthetic_history(
    *, first_year=2015, last_day=dt.date(2026, 6, 30), per_year=120, seed=1
) -> History:
    rng = random.Random(seed)
    plans, requests = [], []
    for year in range(first_year, last_day.year + 1):
        for _ in range(per_year):
            received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            if received > last_day:
                continue
            age = rng.randint(3, 15)
            born = received - dt.timedelta(days=365 * age + rng.randrange(365))
            if rng.random() < 0.3:  # refused
                decided = received + dt.timedelta(days=40)
                requests.append(
                    RequestRecord(received, decided if decided <= last_day else None, False)
                )
                continue
            issued = received + dt.timedelta(days=120 + rng.randrange(90))
            decided = received + dt.timedelta(days=40)
            if issued > last_day:
                requests.append(
                    RequestRecord(received, decided if decided <= last_day else None, True)
                )
                continue
            requests.append(
                RequestRecord(received, decided, True, issued - dt.timedelta(days=30), issued)
            )
            ends = dt.date(born.year + 19 + (born.month >= 9), 7, 31)
            if rng.random() < 0.2:
                ends = issued + dt.timedelta(days=365 * rng.randint(1, 5))
            ceased = ends if ends <= last_day else None
            starts = [(issued, MAINSTREAM)]
            year7 = dt.date(born.year + 11 + (born.month >= 9), 9, 1)
            year12 = dt.date(born.year + 16 + (born.month >= 9), 9, 1)
            if issued < year7 <= (ceased or last_day) and rng.random() < 0.3:
                starts.append((year7, SPECIAL))
            if issued < year12 <= (ceased or last_day) and starts[-1][1] == MAINSTREAM:
                starts.append((year12, FE))
            episodes = [
                Episode(
                    start,
                    starts[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(starts) else ceased,
                    placement,
                )
                for i, (start, placement) in enumerate(starts)
            ]
            plans.append(
                PlanRecord(born, issued, ceased, rng.randrange(d.G), True, tuple(episodes))
            )
    population = dict.fromkeys(range(2010, 2045), 100000.0)
    return History(
        PlanHistory.from_records(plans), RequestHistory.from_records(requests), population
    )


def synthetic_finance(**overrides) -> FinanceInputs:
    rows = [
        CostRow(d.MAINSTREAM, "top_up", 8000, dt.date(2020, 4, 1)),
        CostRow(d.SPECIAL_MAINTAINED, "place", 10000, dt.date(2020, 4, 1)),
        CostRow(d.SPECIAL_MAINTAINED, "top_up", 16000, dt.date(2020, 4, 1)),
        CostRow(d.POST16_FE, "top_up", 11000, dt.date(2020, 4, 1)),
    ]
    values = {
        "cost_rows": rows,
        "inflation": {2020: 0.02},
        "funding_growth": {2020: 0.0},
        "interest": {2020: 0.04},
        "income": {2025: 12e6, 2026: 12e6},
        "central_spend": {2026: 1e6},
        "opening_deficit": 5e6,
    }
    values.update(overrides)
    return FinanceInputs(**values)

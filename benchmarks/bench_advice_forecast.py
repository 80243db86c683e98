"""The EP waiting list forecast: 1,000 seeded simulation runs over 52 weeks, from a year of
arrivals like the demonstration EP service's (about 12 a week) and a backlog of 300 requests.
Target: < 2 s (vectorised with NumPy over the runs).
Run: .venv/bin/python benchmarks/bench_advice_forecast.py"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from everychild.advice import forecasting  # noqa: E402

TARGET_S = 2.0


def main() -> int:
    rng = np.random.default_rng(7)
    arrivals = rng.poisson(12, 52)
    ages = rng.integers(0, 40, 300)
    capacity = np.full(52, 16.0)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        result = forecasting.simulate(
            arrivals=arrivals, waiting_ages=ages, capacity=capacity, runs=1000, weeks=52
        )
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    verdict = "PASS" if median < TARGET_S else "MISS"
    print(
        f"advice forecast, 1,000 runs x 52 weeks: median {median:.3f} s (best {best:.3f} s); "
        f"target < {TARGET_S:.0f} s: {verdict}; clears in week {result.clears_week}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())

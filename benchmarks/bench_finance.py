"""The high-needs forecast on the demonstration area (about 4,400 active plans, 7,000 plans and
7,000 requests of history). Targets: a deterministic 10-year projection < 1 s; 1,000
stochastic runs < 30 s (on a 2-core machine, vectorised with NumPy).
Run: .venv/bin/python benchmarks/bench_finance.py"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import prepare_demo_area, setup_django  # noqa: E402

TARGET_PROJECTION_S = 1.0
TARGET_SIMULATION_S = 30.0
RUNS = 1000


def _verdict(seconds: float, target: float) -> str:
    return "PASS" if seconds < target else "MISS"


def main() -> int:
    setup_django()
    prepare_demo_area()
    from django.utils import timezone

    from everychild.areas.models import Area
    from everychild.demo import calibration
    from everychild.demo.finance import seed_demo_finance
    from everychild.finance import forecasting, selectors

    seed_demo_finance(runs=100)  # once: the cost table, budget and assumptions
    area = Area.objects.get(la_code=calibration.LA_CODE)
    today = timezone.localdate()

    started = time.perf_counter()
    history = selectors.forecast_history(area)
    finance = selectors.finance_inputs(area, today)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    forecaster = forecasting.Forecaster(history, finance, today, horizon=10)
    estimated = time.perf_counter() - started
    print(
        f"history read: {len(history.plans):,} plans, {len(history.requests):,} requests "
        f"in {loaded:.2f} s; rates estimated in {estimated * 1000:.0f} ms"
    )

    timings = []
    for _ in range(20):
        started = time.perf_counter()
        central = forecaster.central()
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    worst = max(timings)
    years = len(forecaster.steps)
    print(
        f"deterministic {years}-year projection (counts and money): median "
        f"{median * 1000:.1f} ms, worst {worst * 1000:.1f} ms  "
        f"(target < {TARGET_PROJECTION_S:.0f} s) {_verdict(worst, TARGET_PROJECTION_S)}"
    )
    started = time.perf_counter()
    forecaster.simulate(runs=RUNS, seed=forecasting.DEFAULT_SEED)
    simulated = time.perf_counter() - started
    print(
        f"{RUNS:,} stochastic runs over {years} years: {simulated:.2f} s  "
        f"(target < {TARGET_SIMULATION_S:.0f} s) {_verdict(simulated, TARGET_SIMULATION_S)}"
    )
    final = central.counts[max(central.counts)].sum()
    print(f"(central forecast: {final:,.0f} plans in January {max(central.counts) + 1})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

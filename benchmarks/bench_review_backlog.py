"""The annual review backlog page over the demonstration area's ~4,400 plans: median and p95
over 100 requests (wall-clock through Django's test client; CPU time beside it).

Target: p95 < 300 ms. The page reads the columns it needs for every active plan in one query,
computes each next review date with the statutory engine, and fetches and audits only the rows
shown (100 overdue, up to 100 due this month).

Run: .venv/bin/python benchmarks/bench_review_backlog.py   (DATABASE_URL=... for PostgreSQL)"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import percentile, prepare_demo_area, setup_django  # noqa: E402

REQUESTS = 100
TARGET_MS = 300.0


def main() -> int:
    setup_django()
    prepare_demo_area()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from everychild.accounts.models import User
    from everychild.plans.models import EHCPlan, PlanVersion

    started = time.perf_counter()
    call_command("seed_demo_plans")
    print(f"(seed_demo_plans in {time.perf_counter() - started:.1f} s)")
    settings.REQUIRE_STAFF_2FA = False
    print(
        f"{EHCPlan.objects.filter(ceased_on__isnull=True).count()} active plans; "
        f"{PlanVersion.objects.count()} plan versions"
    )
    client = Client()
    client.force_login(User.objects.get(email="manager@demo.test"))
    assert client.get("/plans/reviews/").status_code == 200
    timings, cpu = [], []
    for _ in range(REQUESTS):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get("/plans/reviews/")
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = percentile(timings, 0.95)
    print(
        f"Annual review backlog  median {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
        f"(CPU median {statistics.median(cpu):5.1f} ms; target p95 < {TARGET_MS:.0f} ms) "
        f"{'PASS' if p95 < TARGET_MS else 'MISS'}"
    )
    return 0 if p95 < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())

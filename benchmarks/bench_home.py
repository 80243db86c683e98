"""The signed-in home page on the demonstration area: median and p95 over 200 requests.
Target: p95 < 150 ms. Run: .venv/bin/python benchmarks/bench_home.py"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import percentile, prepare_demo_area, setup_django  # noqa: E402

REQUESTS = 200
TARGET_P95_MS = 150.0
ROLES = ["caseworker@demo.test", "manager@demo.test", "senco@demo.test", "parent@demo.test"]


def main() -> int:
    setup_django()
    prepare_demo_area()
    from django.conf import settings
    from django.test import Client

    from everychild.accounts.models import User

    settings.REQUIRE_STAFF_2FA = False
    worst = 0.0
    for email in ROLES:
        client = Client()
        client.force_login(User.objects.get(email=email))
        assert client.get("/").status_code == 200
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            response = client.get("/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        p95 = percentile(timings, 0.95)
        worst = max(worst, p95)
        print(
            f"home page as {email:24s} median {statistics.median(timings):6.1f} ms  "
            f"p95 {p95:6.1f} ms  (target p95 < {TARGET_P95_MS:.0f} ms) "
            f"{'PASS' if p95 < TARGET_P95_MS else 'MISS'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

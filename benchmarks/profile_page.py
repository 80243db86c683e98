"""One page, profiled: CPU ms of the request in-process, its queries, and cProfile's top
functions (issue 21). On the page benchmark's demonstration database (bench_pages builds it).

Run: .venv/bin/python benchmarks/profile_page.py manager@demo.test /plans/ [--repeats 3]
[--profile] [--queries]"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import setup_django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("email")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 30")
    parser.add_argument("--queries", action="store_true", help="print the commonest queries")
    args = parser.parse_args()
    setup_django(Path(__file__).resolve().parent / f".data-pages-{args.scale:g}")

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from everychild.accounts.models import User

    settings.REQUIRE_STAFF_2FA = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client(raise_request_exception=True)
    client.force_login(User.objects.get(email=args.email))
    for url in args.urls:
        c0, w0 = time.process_time(), time.perf_counter()
        client.get(url)  # the first request fills per-process caches: reported apart
        cold = (time.process_time() - c0) * 1000, (time.perf_counter() - w0) * 1000
        cpu, wall = [], []
        for _ in range(args.repeats):
            c0, w0 = time.process_time(), time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        print(
            f"{url}: status {response.status_code}, cpu min {min(cpu):.0f} ms, "
            f"wall min {min(wall):.0f} ms, {len(captured)} queries; "
            f"first request cpu {cold[0]:.0f} ms, wall {cold[1]:.0f} ms"
        )
        if args.queries:
            shapes = Counter(q["sql"][:160] for q in captured.captured_queries)
            for sql, n in shapes.most_common(8):
                print(f"  {n:4d} x {sql}")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(url)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

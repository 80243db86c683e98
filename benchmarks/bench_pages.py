"""Every page every role can reach, timed (issue 21, "Every page fast").

On the demonstration area (as `make run` seeds it), signs in as every role (tests/walk.py's
SIGN_INS), walks the links from the home page in-process (Django's test client: no server,
no browser, so the figure is the application's and the database's), visiting a bounded number
of URLs per URL pattern (every measure page, with every period and trend it links to, is its own
pattern), then requests each page visited several times. Reports p50/p95/max per page.

Targets: every page p95 < 500 ms and max < 2 s (a page whose p95 over the first requests is
over 500 ms is requested 20 times in all, so that its p95 is not merely its slowest request).
SQLite by default; PostgreSQL when DATABASE_URL is set.
Run: .venv/bin/python benchmarks/bench_pages.py [--repeats N] [--per-pattern N] [--scale X]
[--top N]"""

import argparse
import re
import sys
import time
from collections import deque
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import percentile, setup_django  # noqa: E402

TARGET_P95_MS = 500.0
TARGET_MAX_MS = 2000.0
CONFIRM_REPEATS = 20  # requests of a page whose first few put its p95 over the target
PAGES_PER_ROLE = 200  # a guard against a walk that never ends
HREF = re.compile(r'<a\s[^>]*href="([^"#]*)', re.IGNORECASE)
# Pages the issue names: each of their URLs is walked, not one per pattern.
EVERY_URL = ("performance/measures/", "performance/benchmarks/", "plans/phase-transfers/")


def _seed(scale: float) -> None:
    from django.core.management import call_command

    from everychild.areas.models import Area
    from everychild.demo.calibration import LA_CODE
    from tests.walk import PASSWORD

    call_command("migrate", verbosity=0, interactive=False)
    if Area.objects.filter(la_code=LA_CODE).exists():
        return
    started = time.perf_counter()
    from everychild.demo.advice import seed_demo_advice
    from everychild.demo.families import seed_demo_families
    from everychild.demo.finance import seed_demo_finance
    from everychild.demo.improvement import seed_improvement_plan
    from everychild.demo.plans import seed_plans
    from everychild.demo.seed import seed_demo_area

    seed_demo_area(password=PASSWORD, scale=scale)
    seed_demo_finance(password=PASSWORD)
    area = Area.objects.get(la_code=LA_CODE)
    seed_improvement_plan(area)
    seed_demo_advice()
    seed_demo_families()
    seed_plans(area)
    print(f"(demonstration area at scale {scale} ready in {time.perf_counter() - started:.0f} s)")


def _key(url: str, route: str) -> str:
    """What the bound per pattern counts: the route and its query's names, or for the pages
    the issue names, the whole URL."""
    parts = urlsplit(url)
    if any(route.startswith(prefix) for prefix in EVERY_URL):
        return parts.path + "?" + parts.query
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return route + "?" + "&".join(names)


def _walk(client, starts: list[str], per_pattern: int, errors: list) -> list[tuple[str, float]]:
    """The pages reachable from `starts`, each with the time of its first request (a page that
    answers with a server error is added to `errors`)."""
    from tests.walk import pattern_of

    queue, seen, counted, visited = deque(starts), set(), {}, []
    while queue and len(visited) < PAGES_PER_ROLE:
        url = unescape(queue.popleft())
        if url in seen or not url.startswith("/") or url.startswith("//"):
            continue
        seen.add(url)
        route = pattern_of(url)
        if route is None:
            continue
        key = _key(url, route)
        if counted.get(key, 0) >= per_pattern:
            continue
        counted[key] = counted.get(key, 0) + 1
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited.append((url, elapsed))
        queue.extend(h for h in HREF.findall(response.content.decode()) if h not in seen)
    return visited


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--per-pattern", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--top", type=int, default=25, help="slowest pages to list")
    parser.add_argument("--roles", nargs="*", help="only these sign-ins (default: every one)")
    args = parser.parse_args()
    data = Path(__file__).resolve().parent / f".data-pages-{args.scale:g}"
    setup_django(data)
    _seed(args.scale)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from everychild.accounts.models import User
    from tests.walk import PUBLIC_STARTS, SIGN_INS

    settings.REQUIRE_STAFF_2FA = False
    settings.ALLOWED_HOSTS = ["*"]
    print(
        f"database: {connection.vendor}; {args.repeats} requests per page after the walk "
        f"({CONFIRM_REPEATS} for a page whose p95 is over {TARGET_P95_MS:.0f} ms after them)"
    )
    rows = []  # (who, url, p50, p95, max)
    errors = []  # (who, url, status)
    sign_ins = [e for e in SIGN_INS if not args.roles or (e or "signed out") in args.roles]
    for email in sign_ins:
        client = Client(raise_request_exception=False)
        if email:
            client.force_login(User.objects.get(email=email))
        starts = ["/"] if email else [reverse(name) for name in PUBLIC_STARTS]
        failed = []
        pages = _walk(client, starts, args.per_pattern, failed)
        errors.extend((email or "signed out", url, code) for url, code in failed)
        for url, first in pages:
            timings = [first]
            for _ in range(args.repeats - 1):
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            # With 5 requests the p95 is simply the slowest, the same as the max (whose own
            # target is 2 s): a page over 500 ms gets 15 more, so that its p95 is the 19th of
            # 20 and one cold first request (the dashboard building the area's data after a
            # change) is judged by the max, as a p95 should be.
            if percentile(sorted(timings), 0.95) > TARGET_P95_MS and len(timings) < CONFIRM_REPEATS:
                for _ in range(CONFIRM_REPEATS - len(timings)):
                    started = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            if timings[-1] > TARGET_MAX_MS or percentile(timings, 0.95) > TARGET_P95_MS:
                print(f"  slow: {url} p95 {percentile(timings, 0.95):.0f} ms", flush=True)
            rows.append(
                (
                    email or "signed out",
                    url,
                    percentile(timings, 0.5),
                    percentile(timings, 0.95),
                    timings[-1],
                )
            )
        role_rows = [r for r in rows if r[0] == (email or "signed out")]
        worst = max((r[3] for r in role_rows), default=0.0)
        print(
            f"{email or 'signed out':26s} {len(pages):4d} pages, worst p95 {worst:7.1f} ms",
            flush=True,
        )
    failing = [r for r in rows if r[3] > TARGET_P95_MS or r[4] > TARGET_MAX_MS]
    all_p95 = sorted(r[3] for r in rows)
    print(
        f"\n{len(rows)} page visits ({len({r[1] for r in rows})} URLs): p50 of p95s "
        f"{percentile(all_p95, 0.5):.1f} ms, p95 of p95s {percentile(all_p95, 0.95):.1f} ms, "
        f"worst max {max(r[4] for r in rows):.1f} ms"
    )
    print(f"\nSlowest {args.top} (by p95):")
    print(f"{'who':26s} {'p50':>7s} {'p95':>7s} {'max':>7s}  page")
    for who, url, p50, p95, most in sorted(rows, key=lambda r: -r[3])[: args.top]:
        print(f"{who:26s} {p50:7.1f} {p95:7.1f} {most:7.1f}  {url}")
    verdict = "PASS" if not failing else f"MISS ({len(failing)} pages)"
    print(f"\nEvery page p95 < {TARGET_P95_MS:.0f} ms and max < {TARGET_MAX_MS:.0f} ms: {verdict}")
    for who, url, _p50, p95, most in failing:
        print(f"  over: {who} {url} p95 {p95:.0f} ms max {most:.0f} ms")
    for who, url, code in errors:
        print(f"  server error: {who} {url} answered {code}")
    return 0 if not failing and not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())

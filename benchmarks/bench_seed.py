"""Loading the demonstration area at full scale on a fresh SQLite database.

Target: `manage.py seed_demo_area` in < 60 s on the 2-core machine. Also checks the area against
the DfE's published figures for BCP, read back from the database as any page would:
active plans and requests in 2024 within 5 %, plans issued within 20 weeks in 2024 (including
and excluding exceptions) within 5 points, and prints the year-by-year figures beside the
published ones.

Run: .venv/bin/python benchmarks/bench_seed.py [--seed N] [--today YYYY-MM-DD]
Exits 0 when the figures match the published ones (a slow run is reported as MISS, not a
failure: timings vary between machines); 1 if they do not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60.0


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "everychild.settings"
    os.environ["EVERYCHILD_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # always the embedded SQLite database
    import django

    django.setup()


def figures(today: dt.date) -> dict:
    """The area's figures, counted from the database."""
    from django.db.models import Exists, OuterRef

    from everychild.casework.models import OPEN_STAGES, AssessmentRequest, CaseException
    from everychild.children.models import Child
    from everychild.plans.models import EHCPlan

    requests = Counter(
        AssessmentRequest.objects.values_list("received_on__year", flat=True).iterator()
    )
    issued, within, issued_ex, within_ex = Counter(), Counter(), Counter(), Counter()
    rows = (
        AssessmentRequest.objects.exclude(final_plan_issued_on=None)
        .annotate(
            has_exception=Exists(CaseException.objects.filter(assessment_request=OuterRef("pk")))
        )
        .values_list("received_on", "final_plan_issued_on", "has_exception")
        .iterator()
    )
    for received, final, has_exception in rows:
        year, on_time = final.year, (final - received).days <= 140
        issued[year] += 1
        within[year] += on_time
        if not has_exception:
            issued_ex[year] += 1
            within_ex[year] += on_time
    open_cases = AssessmentRequest.objects.filter(stage__in=OPEN_STAGES)
    return {
        "children": Child.objects.count(),
        "active_plans": EHCPlan.objects.filter(ceased_on=None).count(),
        "requests": requests,
        "issued": issued,
        "within": within,
        "issued_ex": issued_ex,
        "within_ex": within_ex,
        "open": open_cases.count(),
        "open_past_20_weeks": open_cases.filter(
            received_on__lt=today - dt.timedelta(days=140)
        ).count(),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-seed-") as data_dir:
        setup_django(data_dir)
        from django.core.management import call_command

        from everychild.demo import calibration
        from everychild.demo.area import DEFAULT_SEED

        call_command("migrate", verbosity=0, interactive=False)
        seed = DEFAULT_SEED if args.seed is None else args.seed
        quiet = io.StringIO()
        started = time.perf_counter()
        call_command(
            "seed_demo_area", seed=seed, password="benchmark-password-1", today=args.today,
            stdout=quiet,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        verdict = "PASS" if seconds < TARGET_SECONDS else "MISS"
        print(f"seed_demo_area: {seconds:.1f} s (target < {TARGET_SECONDS:.0f} s) {verdict}")

        published = calibration.load_published()
        got = figures(args.today)
        print(
            f"children {got['children']:,}; active plans {got['active_plans']:,} "
            f"(published January 2025: {published.active_plans:,}); open cases today "
            f"{got['open']} ({got['open_past_20_weeks']} past 20 weeks)"
        )
        print("Counted from the database, with the published figure in brackets:")
        print(f"{'year':<6}{'requests':>18}{'plans issued':>18}"
              f"{'% in 20 weeks':>20}{'excl. exceptions':>20}")  # fmt: skip

        def cell(value: str, published_value: str) -> str:
            return f"{value} ({published_value})" if published_value else value

        for year in sorted(set(got["requests"]) | set(got["issued"])):
            issued, issued_ex = got["issued"][year], got["issued_ex"][year]
            pc = f"{100 * got['within'][year] / issued:.1f}" if issued else "-"
            pc_ex = f"{100 * got['within_ex'][year] / issued_ex:.1f}" if issued_ex else "-"
            pub_req = published.requests_received.get(year)
            pub_issued = published.plans_issued.get(year)
            pub_pc = pub_pc_ex = ""
            if pub_issued:
                pub_pc = f"{published.within_20_weeks_pc(year):.1f}"
                pub_pc_ex = f"{published.within_20_weeks_pc(year, excluding_exceptions=True):.1f}"
            requested = format(got["requests"][year], ",")
            print(
                f"{year:<6}"
                f"{cell(requested, format(pub_req, ',') if pub_req else ''):>18}"
                f"{cell(format(issued, ','), format(pub_issued, ',') if pub_issued else ''):>18}"
                f"{cell(pc, pub_pc):>20}{cell(pc_ex, pub_pc_ex):>20}"
            )

        checks = {
            "active plans within 5 % of the published caseload": abs(
                got["active_plans"] / published.active_plans - 1
            )
            <= 0.05,
            "requests in 2024 within 5 % of published": abs(
                got["requests"][2024] / published.requests_received[2024] - 1
            )
            <= 0.05,
            "2024 within 20 weeks (incl. exceptions) within 5 points": abs(
                100 * got["within"][2024] / got["issued"][2024] - published.within_20_weeks_pc(2024)
            )
            <= 5,
            "2024 within 20 weeks (excl. exceptions) within 5 points": abs(
                100 * got["within_ex"][2024] / got["issued_ex"][2024]
                - published.within_20_weeks_pc(2024, excluding_exceptions=True)
            )
            <= 5,
        }
        for label, ok in checks.items():
            print(f"{'PASS' if ok else 'FAIL'}  {label}")
        return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""The PDF of a typical EHC plan (8 outcomes, 30 lines of provision), rendered 10 times after
one warm-up (WeasyPrint loads its fonts once per process). Target: median < 2 s wall-clock.
The CPU time of each render is printed too: on a shared machine the slowest wall-clock render
mostly measures the other processes.

Run: .venv/bin/python benchmarks/bench_plan_pdf.py"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import setup_django  # noqa: E402

RUNS = 10
TARGET_S = 2.0


def main() -> int:
    setup_django(Path(tempfile.mkdtemp(prefix="bench-plan-pdf-")))
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from everychild.plans.documents import render_plan_pdf
    from everychild.plans.models import PlanVersion
    from everychild.testing import factories

    plan = factories.issued_plan(outcomes=8, provision_lines=30)
    version = PlanVersion.objects.get(document__plan=plan)
    pages = render_plan_pdf(version).count(b"/Type /Page\n")
    timings, cpu = [], []
    for _ in range(RUNS):
        began, began_cpu = time.perf_counter(), time.process_time()
        pdf = render_plan_pdf(version)
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    median = statistics.median(timings)
    print(
        f"Plan PDF (8 outcomes, 30 provision lines, {len(pdf) // 1024} KB)  "
        f"median {median:.2f} s  slowest {max(timings):.2f} s  "
        f"(CPU median {statistics.median(cpu):.2f} s; target median < {TARGET_S:.0f} s) "
        f"{'PASS' if median < TARGET_S else 'MISS'}" + (f"  [{pages} pages]" if pages else "")
    )
    return 0 if median < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())

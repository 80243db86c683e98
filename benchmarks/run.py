"""Run every benchmark and print each figure beside its target.
Run: make benchmarks   (or .venv/bin/python benchmarks/run.py [name ...])"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = sorted(p for p in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    chosen = [b for b in BENCHMARKS if not argv or any(name in b.stem for name in argv)]
    failures = 0
    for bench in chosen:
        print(f"\n--- {bench.stem} ---", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(bench)], cwd=HERE.parent, check=False)
        print(f"({bench.stem} ran in {time.perf_counter() - started:.1f} s)")
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

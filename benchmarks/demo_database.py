"""Shared by the benchmarks that need the demonstration area: a SQLite database of their own
in benchmarks/.data (or PostgreSQL when DATABASE_URL is set), migrated and seeded once."""

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_django(data_dir: Path | None = None) -> None:
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everychild.settings")
    os.environ.setdefault("EVERYCHILD_DATA_DIR", str(data_dir or REPO / "benchmarks" / ".data"))
    Path(os.environ["EVERYCHILD_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def prepare_demo_area(seed: int = 1) -> None:
    """Migrate and seed (idempotent: a second call finds the area and does nothing)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo_area", seed=seed, password="benchmark-password-1", stdout=quiet)
    print(f"(demonstration area ready in {time.perf_counter() - started:.1f} s)")


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]

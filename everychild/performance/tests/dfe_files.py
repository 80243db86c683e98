"""Small DfE releases written to a folder, in the layout of the real one, for tests: every file
with the release's header and a few rows (England, the South West, BCP and Southampton) for
each time period, and one breakdown row."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from everychild.performance.dfe import ACADEMIC_YEAR_DATASETS, DATASETS, IDENTIFYING_COLUMNS

REPO = Path(__file__).resolve().parents[3]
REAL_RELEASE = (
    Path(
        os.environ.get(
            "EVERYCHILD_DFE_DATA_DIR", REPO.parent / "shared" / "data" / "dfe-ehcp-statistics-2025"
        )
    )
    / "data"
)
REGION = ("E12000009", "South West")
LAS = (
    ("E06000058", "839", "Bournemouth, Christchurch and Poole"),
    ("E06000045", "852", "Southampton"),
)
TOTAL_TOPIC = {
    "annual_reviews": "All annual reviews",
    "assessments": "All EHC needs assessments",
    "caseload": "All EHC plans",
    "ceased_plans": "All ceased EHC plans",
    "newplans": "New EHC plans",
    "personal_budgets": "All personal budgets",
    "requests": "All requests for EHC needs assessments",
    "residential_settings": "All residential placements",
    "sen_need_newplans": "All EHC plans",
    "sen_needs_all_plans": "All EHC plans",
    "timeliness_20_week": "All EHC plans issued",
    "work_based_placements": "All work based placements",
}


def periods(name: str, reporting_year: int) -> list[str]:
    if name in ACADEMIC_YEAR_DATASETS:
        return [f"{y - 1}{y % 100:02d}" for y in range(2019, reporting_year + 1)]
    return [str(y) for y in range(2019, reporting_year)]


def default_value(name: str, column: str, geo: str, period: str) -> str:
    """A plain, repeatable figure: percentages (columns ending _pc or starting pc_) to one
    decimal place, counts as whole numbers."""
    seed = sum(map(ord, name + column + geo + period))
    if column.lower().endswith("_pc") or column.lower().startswith("pc_") or "_pc_" in column:
        return f"{seed % 1000 / 10:.1f}"
    return str(seed % 5000)


def write_release(
    directory: Path,
    *,
    reporting_year: int = 2025,
    values: dict | None = None,
    extra_columns: dict[str, str] | None = None,
    skip: tuple[str, ...] = (),
    shift: dict[str, int] | None = None,
) -> Path:
    """Write the release's 12 files to `directory`. `values` overrides cells:
    {(file, column, geography code, time period): text}. `extra_columns` adds a column to a
    file; `shift` moves one file's periods on by some years (a different release)."""
    directory.mkdir(parents=True, exist_ok=True)
    values = values or {}
    for name, columns in DATASETS.items():
        if name in skip:
            continue
        header = [*IDENTIFYING_COLUMNS, *columns]
        if extra_columns and name in extra_columns:
            header.append(extra_columns[name])
        year = reporting_year + (shift or {}).get(name, 0)
        identifier = "Academic year" if name in ACADEMIC_YEAR_DATASETS else "Calendar year"
        topic = TOTAL_TOPIC[name]
        rows = []
        for period in periods(name, year):
            geos = [
                ("National", "", "", "", "", "", "E92000001"),
                ("Regional", REGION[0], REGION[1], "", "", "", REGION[0]),
                *(
                    ("Local authority", REGION[0], REGION[1], code, old, la_name, code)
                    for code, old, la_name in LAS
                ),
            ]
            for level, region_code, region_name, code, old, la_name, geo in geos:
                for breakdown_topic, breakdown in ((topic, topic), ("Sex", "Female")):
                    figures = []
                    for column in columns:
                        key = (name, column, geo, period)
                        figures.append(values.get(key, default_value(name, column, geo, period)))
                    if extra_columns and name in extra_columns:
                        figures.append("1")
                    rows.append(
                        [
                            period,
                            identifier,
                            level,
                            "E92000001",
                            "England",
                            region_code,
                            region_name,
                            code,
                            old,
                            la_name,
                            breakdown_topic,
                            breakdown,
                            *figures,
                        ]
                    )
        with (directory / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    return directory

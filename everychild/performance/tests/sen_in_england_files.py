"""sen_phase_type.csv files for tests, in the columns DfE publishes them with: made-up figures
for England, a region and one or two local authorities, for a few academic years. No figure
here is DfE's."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "phase_type_grouping",
    "type_of_establishment",
    "hospital_school",
    "total_pupils",
    "sen_support_percent",
    "ehc_plan_percent",
)
PHASES = ("Total", "State-funded primary", "State-funded secondary")


def sen_row(
    period: str = "202425",
    level: str = "National",
    *,
    la: tuple[str, str, str] | None = None,
    phase: str = "Total",
    establishment: str = "Total",
    hospital: str = "Total",
    pupils: str = "1000",
    support: str = "12.5",
    ehc: str = "4.0",
) -> dict[str, str]:
    la_code, old_la_code, la_name = la or ("", "", "")
    regional = level != "National"
    return {
        "time_period": period,
        "time_identifier": "Academic year",
        "geographic_level": level,
        "country_code": "E92000001",
        "country_name": "England",
        "region_code": "E12000009" if regional else "",
        "region_name": "South West" if regional else "",
        "new_la_code": la_code,
        "old_la_code": old_la_code,
        "la_name": la_name,
        "phase_type_grouping": phase,
        "type_of_establishment": establishment,
        "hospital_school": hospital,
        "total_pupils": pupils,
        "sen_support_percent": support,
        "ehc_plan_percent": ehc,
    }


def sen_rows(la: tuple[str, str, str], periods=("202324", "202425")) -> list[dict[str, str]]:
    """England, the South West and the LA, each phase, each year; a figure a step apart per
    place and phase so a page shows which is which."""
    rows = []
    for p, period in enumerate(periods):
        for f, phase in enumerate(PHASES):
            rows.append(sen_row(period, phase=phase, support=f"{10 + f + p}.{f}"))
            rows.append(sen_row(period, "Regional", phase=phase, support=f"{20 + f}.0"))
            rows.append(
                sen_row(period, "Local authority", la=la, phase=phase, support=f"{30 + f + p}.{f}")
            )
    return rows


def write_sen_phase_type(path: Path, rows: list[dict[str, str]], header=HEADER) -> Path:
    # DfE's files begin with a byte order mark.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path

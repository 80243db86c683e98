"""The published figures the demonstration area is calibrated on.

Source: DfE, "Education, health and care plans", reporting year 2025 (caseload at January
2025, activity in calendar years 2019-2024), the rows for Bournemouth, Christchurch and Poole
(new LA code E06000058, old LA code 839). The seed reads the CSV files when they are present
(`EVERYCHILD_DFE_DATA_DIR`, default `<repo>/../shared/data/dfe-ehcp-statistics-2025`) and
otherwise uses the constants below, which are copied from those files; a test checks the
two agree whenever the files are there.

Figures for 2025 onwards are not published yet: they are assumptions, marked ASSUMED_.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

LA_CODE = "E06000058"
OLD_LA_CODE = "839"

# --- requests.csv, "All requests for EHC needs assessments" ------------------------------------
REQUESTS_RECEIVED = {2019: 541, 2020: 481, 2021: 592, 2022: 837, 2023: 903, 2024: 1230}
REQUESTS_NOT_ASSESSED = {2019: 114, 2020: 101, 2021: 79, 2022: 95, 2023: 354, 2024: 295}
# request_outcome_six_weeks and request_outcome_over_6_weeks (published from 2023 only).
DECISIONS_WITHIN_6_WEEKS = {2023: (508, 490), 2024: (1157, 21)}
# requests.csv 2024, breakdown "Child or young persons age" ("2 and under" as 0-2, "20 and
# over" as 20-24) and "Sex".
REQUEST_AGES = {
    0: 6, 1: 5, 2: 5, 3: 141, 4: 106, 5: 75, 6: 95, 7: 89, 8: 59, 9: 90, 10: 111, 11: 63,
    12: 81, 13: 84, 14: 98, 15: 69, 16: 31, 17: 8, 18: 5, 19: 3, 20: 2, 21: 1, 22: 1, 23: 1,
    24: 1,
}  # fmt: skip
REQUEST_SEX = {"M": 786, "F": 444}

# --- assessments.csv, "All EHC needs assessments": assess_not_issued -------------------------
ASSESSMENTS_NOT_ISSUED = {2019: 18, 2020: 16, 2021: 25, 2022: 24, 2023: 51, 2024: 170}

# --- timeliness_20_week.csv, "All EHC plans issued" ------------------------------------------
PLANS_ISSUED = {2019: 344, 2020: 264, 2021: 455, 2022: 386, 2023: 273, 2024: 784}  # _den
PLANS_ISSUED_EXCL_EXCEPTIONS = {2019: 334, 2020: 233, 2021: 394, 2022: 356, 2023: 273, 2024: 635}
WITHIN_20_WEEKS = {2019: 305, 2020: 51, 2021: 123, 2022: 26, 2023: 13, 2024: 581}
WITHIN_20_WEEKS_EXCL_EXCEPTIONS = {2019: 305, 2020: 51, 2021: 123, 2022: 26, 2023: 13, 2024: 493}
ISSUED_AFTER_A_YEAR = {2023: 5, 2024: 42}  # plans_issued_gt_1_year (x before 2023)

# --- caseload.csv, January 2025 (time period 202425) ------------------------------------------
ACTIVE_PLANS = 4432
CASELOAD_BY_JANUARY = {2020: 2448, 2021: 2627, 2022: 3063, 2023: 3266, 2024: 3769, 2025: 4432}
# Placement groups (the keys are SettingType values or SettingCode values), summed from the
# caseload.csv columns listed in PLACEMENT_COLUMNS.
PLACEMENTS = {
    "mainstream": 1736, "resourced": 51, "special_maintained": 643, "special_academy": 303,
    "special_independent": 508, "ap": 22, "fe": 403, "post16_specialist": 190,
    "early_years": 50, "EHE": 49, "OLA": 284, "OPA": 2, "OTH": 9, "NEET": 119, "NIEO": 58,
    "NIEC": 5,
}  # fmt: skip
PLACEMENT_COLUMNS = {
    "mainstream": (
        "mainstream_la_maintained",
        "mainstream_academy",
        "mainstream_free_school",
        "mainstream_independent",
    ),
    "resourced": (
        "mainstream_la_maintained_resourced_provision",
        "mainstream_la_maintained_senunit",
        "mainstream_academy_resourced_provision",
        "mainstream_academy_senunit",
        "mainstream_free_school_resourced_provision",
        "mainstream_free_school_senunit",
    ),
    "special_maintained": ("special_la_maintained",),
    "special_academy": ("special_academy_free",),
    "special_independent": ("special_independent", "special_non_maintained"),
    "ap": ("ap_pru_total",),
    "fe": ("general_fe_tertiary_colleges", "ukrlp_provider"),
    "post16_specialist": ("specialist_post_16_institutions",),
    "early_years": ("nm_early_years",),
    "EHE": ("elective_home_education",),
    "OLA": ("other_arrangements_la",),
    "OPA": ("other_arrangements_parents",),
    "OTH": (
        "other_placement_settings",
        "w_settings",
        "online_provider",
        "other_schools",
        "placement_unknown",
    ),
    "NEET": ("neet",),
    "NIEO": ("neet_other", "neet_other_csa"),
    "NIEC": ("neet_ntci",),
}
# "Child or young persons age" ("under 3" spread over 0-2).
ACTIVE_AGES = {
    0: 2, 1: 2, 2: 2, 3: 42, 4: 176, 5: 186, 6: 216, 7: 248, 8: 224, 9: 251, 10: 290,
    11: 307, 12: 334, 13: 350, 14: 356, 15: 351, 16: 339, 17: 237, 18: 195, 19: 117, 20: 78,
    21: 52, 22: 29, 23: 30, 24: 18,
}  # fmt: skip
ACTIVE_SEX = {"M": 3064, "F": 1368}
ETHNICITY = {
    "WBRI": 3556, "WOTH": 253, "NOBT": 142, "MOTH": 77, "MWBC": 60, "MWAS": 52, "MWBA": 52,
    "OOTH": 50, "AIND": 42, "AOTH": 41, "BAFR": 35, "ABAN": 19, "WIRI": 13, "WROM": 12,
    "BOTH": 12, "CHNE": 7, "APKN": 4, "BCRB": 4, "WIRT": 1,
}  # fmt: skip
ETHNICITY_LABELS = {
    "White - White British": "WBRI",
    "White - Any other White background": "WOTH",
    "Unclassified": "NOBT",
    "Mixed - Any other Mixed background": "MOTH",
    "Mixed - White and Black Caribbean": "MWBC",
    "Mixed - White and Asian": "MWAS",
    "Mixed - White and Black African": "MWBA",
    "Any other ethnic group": "OOTH",
    "Asian - Indian": "AIND",
    "Asian - Any other Asian background": "AOTH",
    "Black - Black African": "BAFR",
    "Asian - Bangladeshi": "ABAN",
    "White - Irish": "WIRI",
    "White - Gypsy/Roma": "WROM",
    "Black - Any other Black background": "BOTH",
    "Asian - Chinese": "CHNE",
    "Asian - Pakistani": "APKN",
    "Black - Black Caribbean": "BCRB",
    "White - Traveller of Irish heritage": "WIRT",
}

# --- sen_needs_all_plans.csv, January 2025, "All EHC plans": primary need --------------------
NEEDS = {
    "ASD": 1356, "SEMH": 1095, "SLCN": 913, "MLD": 452, "PD": 216, "SPLD": 99, "OTH": 73,
    "SLD": 72, "HI": 48, "PMLD": 46, "VI": 40, "MSI": 22,
}  # fmt: skip

# --- ceased_plans.csv, "All ceased EHC plans", by SEN2 CeaseReason code ----------------------
CEASE_COLUMNS = {
    "1": "max_age",
    "2": "needs_met",
    "3": "he",
    "4": "employ",
    "5": "transfer",
    "6": "no_engage",
    "7": "moved_outside_eng",
    "8": "deceased",
    "9": "other",
}
CEASED = {
    2022: {"1": 6, "2": 8, "3": 15, "4": 18, "5": 72, "6": 131, "7": 3, "8": 5, "9": 0},
    2023: {"1": 7, "2": 20, "3": 16, "4": 29, "5": 78, "6": 147, "7": 7, "8": 2, "9": 0},
    2024: {"1": 14, "2": 25, "3": 14, "4": 76, "5": 110, "6": 136, "7": 14, "8": 3, "9": 55},
}
# ceased_plans.csv 2024, "Age plan ceased" ("20 and over" spread over 20-24).
CEASED_AGES = {
    0: 0, 1: 0, 2: 0, 3: 1, 4: 5, 5: 3, 6: 10, 7: 8, 8: 3, 9: 6, 10: 10, 11: 10, 12: 7,
    13: 10, 14: 11, 15: 13, 16: 11, 17: 29, 18: 61, 19: 69, 20: 36, 21: 36, 22: 36, 23: 36,
    24: 36,
}  # fmt: skip

# --- Assumptions (not published) -------------------------------------------------------------
# Requests a year from 2025, and the carry-in of 2018 requests still open in January 2019 (the
# area's history starts with the requests received from May 2018, so that plans issued early
# in 2019 have their requests).
ASSUMED_REQUESTS_PER_YEAR = 1200
ASSUMED_NOT_ASSESSED_SHARE = {2018: 0.21, 2025: 0.26, 2026: 0.25}
ASSUMED_NOT_ISSUED_SHARE = {2018: 0.05, 2025: 0.10, 2026: 0.10}
# Decisions within 6 weeks before 2023 (not published) and after 2024.
ASSUMED_DECISIONS_ON_TIME = {
    2018: 0.90, 2019: 0.90, 2020: 0.75, 2021: 0.70, 2022: 0.60, 2025: 0.93, 2026: 0.85,
}  # fmt: skip
# Share of requests (received that year) whose final plan is issued within 20 weeks, from 2025.
ASSUMED_ON_TIME = {2018: 0.88, 2024: 0.80, 2025: 0.86, 2026: 0.72}
# Share of issued plans with a recorded exception (reg 10(4)(c)/(d)) from 2025.
ASSUMED_EXCEPTION_SHARE = 0.10
# Plans ceased before 2022 and from 2025 (reasons in the 2022-2024 proportions).
ASSUMED_CEASED = {2019: 190, 2020: 205, 2021: 230, 2025: 480, 2026: 500}


@dataclass(frozen=True)
class Published:
    """The published figures, from the CSV files or the constants above."""

    requests_received: dict = field(default_factory=lambda: dict(REQUESTS_RECEIVED))
    requests_not_assessed: dict = field(default_factory=lambda: dict(REQUESTS_NOT_ASSESSED))
    decisions_within_6_weeks: dict = field(default_factory=lambda: dict(DECISIONS_WITHIN_6_WEEKS))
    request_ages: dict = field(default_factory=lambda: dict(REQUEST_AGES))
    request_sex: dict = field(default_factory=lambda: dict(REQUEST_SEX))
    assessments_not_issued: dict = field(default_factory=lambda: dict(ASSESSMENTS_NOT_ISSUED))
    plans_issued: dict = field(default_factory=lambda: dict(PLANS_ISSUED))
    plans_issued_excl_exceptions: dict = field(
        default_factory=lambda: dict(PLANS_ISSUED_EXCL_EXCEPTIONS)
    )
    within_20_weeks: dict = field(default_factory=lambda: dict(WITHIN_20_WEEKS))
    within_20_weeks_excl_exceptions: dict = field(
        default_factory=lambda: dict(WITHIN_20_WEEKS_EXCL_EXCEPTIONS)
    )
    issued_after_a_year: dict = field(default_factory=lambda: dict(ISSUED_AFTER_A_YEAR))
    active_plans: int = ACTIVE_PLANS
    caseload_by_january: dict = field(default_factory=lambda: dict(CASELOAD_BY_JANUARY))
    placements: dict = field(default_factory=lambda: dict(PLACEMENTS))
    active_ages: dict = field(default_factory=lambda: dict(ACTIVE_AGES))
    active_sex: dict = field(default_factory=lambda: dict(ACTIVE_SEX))
    ethnicity: dict = field(default_factory=lambda: dict(ETHNICITY))
    needs: dict = field(default_factory=lambda: dict(NEEDS))
    ceased: dict = field(default_factory=lambda: {y: dict(r) for y, r in CEASED.items()})
    ceased_ages: dict = field(default_factory=lambda: dict(CEASED_AGES))
    source: str = "embedded"

    def within_20_weeks_pc(self, year: int, *, excluding_exceptions: bool = False) -> float:
        if excluding_exceptions:
            within = self.within_20_weeks_excl_exceptions[year]
            return 100 * within / self.plans_issued_excl_exceptions[year]
        return 100 * self.within_20_weeks[year] / self.plans_issued[year]


def default_data_dir() -> Path:
    configured = os.environ.get("EVERYCHILD_DFE_DATA_DIR")
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[2]
    return repo.parent / "shared" / "data" / "dfe-ehcp-statistics-2025"


def load_published(data_dir: Path | str | None = None) -> Published:
    """The BCP figures from the DfE files if they are there, else the embedded constants."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    if not (folder / "data" / "timeliness_20_week.csv").is_file():
        return Published()
    return _from_csv(folder / "data")


def _rows(path: Path) -> list[dict]:
    """The BCP rows of one file. Lines are filtered by the LA code before parsing (the files
    hold every LA in England)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = handle.readline()
        lines = [header] + [line for line in handle if LA_CODE in line]
    return [row for row in csv.DictReader(lines) if row["new_la_code"] == LA_CODE]


def _number(value: str) -> int:
    # "x" (not available), "z" (not applicable) and blanks count as none.
    try:
        return int(float(value))
    except ValueError:
        return 0


def _all(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["breakdown_topic"].startswith("All")]


def _breakdown(rows: list[dict], period: str, topic: str) -> dict[str, dict]:
    return {
        r["breakdown"]: r
        for r in rows
        if r["time_period"] == period and r["breakdown_topic"] == topic
    }


def _age_band(label: str) -> list[int]:
    """Single years of age in a DfE band: "age 7", "Aged 2 and under", "under 3", "age 20 and
    over" (the EHC duties end at 25)."""
    text = label.lower()
    number = int(re.findall(r"\d+", text)[0])
    if "and under" in text:
        return list(range(number + 1))
    if "under" in text:
        return list(range(number))
    if "over" in text:
        return list(range(number, 25))
    return [number]


def _ages(rows: dict[str, dict], column: str) -> dict[int, int]:
    """Spread the DfE age bands over single years of age 0-24 (any odd one to the youngest)."""
    ages = dict.fromkeys(range(25), 0)
    for label, row in rows.items():
        band = _age_band(label)
        share, spare = divmod(_number(row[column]), len(band))
        for i, age in enumerate(band):
            ages[age] += share + (1 if i < spare else 0)
    return ages


def _from_csv(folder: Path) -> Published:
    published = Published()
    requests = _rows(folder / "requests.csv")
    received, not_assessed, six_weeks = {}, {}, {}
    for row in _all(requests):
        year = int(row["time_period"])
        received[year] = _number(row["requests_received_in_year"])
        not_assessed[year] = _number(row["requests_decided_not_to_assess"])
        if row["request_outcome_six_weeks"] not in ("x", "z", ""):
            six_weeks[year] = (
                _number(row["request_outcome_six_weeks"]),
                _number(row["request_outcome_over_6_weeks"]),
            )
    latest = str(max(received))
    request_ages = _ages(
        _breakdown(requests, latest, "Child or young persons age"), "requests_received_in_year"
    )
    sexes = _breakdown(requests, latest, "Sex")
    request_sex = {
        "M": _number(sexes["Male"]["requests_received_in_year"]),
        "F": _number(sexes["Female"]["requests_received_in_year"]),
    }

    not_issued = {
        int(r["time_period"]): _number(r["assess_not_issued"])
        for r in _all(_rows(folder / "assessments.csv"))
    }

    timeliness = _all(_rows(folder / "timeliness_20_week.csv"))

    def by_year(column: str) -> dict[int, int]:
        return {int(r["time_period"]): _number(r[column]) for r in timeliness}

    after_a_year = {
        int(r["time_period"]): _number(r["plans_issued_gt_1_year"])
        for r in timeliness
        if r["plans_issued_gt_1_year"] not in ("x", "z", "")
    }

    caseload = _rows(folder / "caseload.csv")
    caseload_by_january = {
        2000 + int(r["time_period"][4:]): _number(r["ehcplans"]) for r in _all(caseload)
    }
    period = max(r["time_period"] for r in _all(caseload))
    [all_plans] = [r for r in _all(caseload) if r["time_period"] == period]
    placements = {
        group: sum(_number(all_plans[column]) for column in columns)
        for group, columns in PLACEMENT_COLUMNS.items()
    }
    active_ages = _ages(_breakdown(caseload, period, "Child or young persons age"), "ehcplans")
    sexes = _breakdown(caseload, period, "Sex")
    active_sex = {
        "M": _number(sexes["Male"]["ehcplans"]),
        "F": _number(sexes["Female"]["ehcplans"]),
    }
    ethnicity = {
        ETHNICITY_LABELS[label]: _number(row["ehcplans"])
        for label, row in _breakdown(caseload, period, "Ethnicity").items()
        if label in ETHNICITY_LABELS
    }

    [needs_row] = [
        r for r in _all(_rows(folder / "sen_needs_all_plans.csv")) if r["time_period"] == period
    ]
    needs = {
        code: _number(needs_row[f"number_{code.lower()}"])
        for code in NEEDS
        if f"number_{code.lower()}" in needs_row
    }

    ceased_rows = _rows(folder / "ceased_plans.csv")
    ceased = {
        int(r["time_period"]): {code: _number(r[column]) for code, column in CEASE_COLUMNS.items()}
        for r in _all(ceased_rows)
    }
    ceased_ages = _ages(
        _breakdown(ceased_rows, str(max(ceased)), "Age plan ceased"), "total_ceased"
    )

    return replace(
        published,
        requests_received=received,
        requests_not_assessed=not_assessed,
        decisions_within_6_weeks=six_weeks,
        request_ages=request_ages,
        request_sex=request_sex,
        assessments_not_issued=not_issued,
        plans_issued=by_year("plans_issued_den"),
        plans_issued_excl_exceptions=by_year("plans_issued_den_ex"),
        within_20_weeks=by_year("plans_issued_within_20_weeks"),
        within_20_weeks_excl_exceptions=by_year("plans_issued_20_weeks_ex"),
        issued_after_a_year=after_a_year,
        active_plans=_number(all_plans["ehcplans"]),
        caseload_by_january=caseload_by_january,
        placements=placements,
        active_ages=active_ages,
        active_sex=active_sex,
        ethnicity=ethnicity,
        needs=needs,
        ceased=ceased,
        ceased_ages=ceased_ages,
        source=str(folder),
    )

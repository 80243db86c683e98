"""The cohort model's state: academic age x primary need group x placement type; and the
calendars that money and schools keep (academic years from 1 September, financial years from
1 April, the January census).

No Django here: the setting types and SEN2 codes arrive as their stored strings."""

from __future__ import annotations

import datetime as dt

import numpy as np

# --- Placement types --------------------------------------------------------------------------

MAINSTREAM = "mainstream"
RESOURCED = "resourced"
SPECIAL_MAINTAINED = "special_maintained"
SPECIAL_ACADEMY = "special_academy"
SPECIAL_INDEPENDENT = "special_independent"
POST16_FE = "post16_fe"
POST16_SPECIALIST = "post16_specialist"
ALTERNATIVE_PROVISION = "alternative_provision"
EARLY_YEARS = "early_years"
EOTAS = "eotas"
OTHER = "other"

PLACEMENT_TYPES: tuple[str, ...] = (
    MAINSTREAM,
    RESOURCED,
    SPECIAL_MAINTAINED,
    SPECIAL_ACADEMY,
    SPECIAL_INDEPENDENT,
    POST16_FE,
    POST16_SPECIALIST,
    ALTERNATIVE_PROVISION,
    EARLY_YEARS,
    EOTAS,
    OTHER,
)
PLACEMENT_LABELS = {
    MAINSTREAM: "Mainstream school",
    RESOURCED: "Resourced provision or SEN unit",
    SPECIAL_MAINTAINED: "Maintained special school",
    SPECIAL_ACADEMY: "Academy or free special school",
    SPECIAL_INDEPENDENT: "Independent or non-maintained special school",
    POST16_FE: "Post-16: further education college",
    POST16_SPECIALIST: "Post-16: specialist institution",
    ALTERNATIVE_PROVISION: "Alternative provision",
    EARLY_YEARS: "Early years provider",
    EOTAS: "Education otherwise than at school (arranged by the council)",
    OTHER: "Other: home education, not in education or training",
}
PLACEMENT_INDEX = {name: i for i, name in enumerate(PLACEMENT_TYPES)}
P = len(PLACEMENT_TYPES)

# Accounts' SettingType values and SEN2 SENSetting codes (plans.SettingCode), as stored.
_FROM_SETTING_TYPE = {
    "mainstream": MAINSTREAM,
    "resourced": RESOURCED,
    "special_maintained": SPECIAL_MAINTAINED,
    "special_academy": SPECIAL_ACADEMY,
    "special_independent": SPECIAL_INDEPENDENT,
    "ap": ALTERNATIVE_PROVISION,
    "fe": POST16_FE,
    "post16_specialist": POST16_SPECIALIST,
    "early_years": EARLY_YEARS,
}
_FROM_SETTING_CODE = {
    "OLA": EOTAS,  # other arrangements made by the local authority: it pays for them
    "EYP": EARLY_YEARS,
    "OPA": OTHER,  # arranged (and paid for) by parents
    "EHE": OTHER,
    "OTH": OTHER,
    "NEET": OTHER,
    "NIEC": OTHER,
    "NIEO": OTHER,
}


def placement_type_for(setting_type: str | None, setting_code: str | None) -> str:
    """The placement type of a plan from the setting it names (its SettingType) or, when it
    names none, its SEN2 setting code. A setting that is not an education setting, or a code
    not in SEN2, is OTHER: never dropped, and visible in the placement table."""
    if setting_type:
        return _FROM_SETTING_TYPE.get(setting_type, OTHER)
    return _FROM_SETTING_CODE.get((setting_code or "").upper(), OTHER)


# --- Primary need groups (SEN Code of Practice 6.28-6.35 broad areas, autism kept apart) ------

NEED_GROUPS: tuple[str, ...] = (
    "asd",
    "slcn",
    "semh",
    "learning",
    "severe_learning",
    "sensory_physical",
    "other",
)
NEED_GROUP_LABELS = {
    "asd": "Autism",
    "slcn": "Speech, language and communication",
    "semh": "Social, emotional and mental health",
    "learning": "Specific or moderate learning difficulty",
    "severe_learning": "Severe or profound learning difficulty, Down syndrome",
    "sensory_physical": "Sensory or physical",
    "other": "Other",
}
NEED_GROUP_OF = {
    "ASD": "asd",
    "SLCN": "slcn",
    "SEMH": "semh",
    "SPLD": "learning",
    "MLD": "learning",
    "SLD": "severe_learning",
    "PMLD": "severe_learning",
    "DS": "severe_learning",
    "HI": "sensory_physical",
    "VI": "sensory_physical",
    "MSI": "sensory_physical",
    "PD": "sensory_physical",
    "OTH": "other",
}
NEED_INDEX = {name: i for i, name in enumerate(NEED_GROUPS)}
G = len(NEED_GROUPS)


def need_group_for(primary_need: str | None) -> str:
    return NEED_GROUP_OF.get((primary_need or "").upper(), "other")


# --- Academic age --------------------------------------------------------------------------

# Academic age: age on 31 August before the academic year. A plan may run to the end of the
# academic year in which the young person turns 25 (CFA 2014 s.46), so the last academic age
# with a plan is 24.
MAX_AGE = 24
A = MAX_AGE + 1
AGES = np.arange(A)

# Ages pooled when a rate is too sparse to stand alone. The first age of each phase (4
# reception, 11 year 7, 16 post-16, 19 post-19) is a band of its own: moves and endings
# crowd there, and pooling them with quieter years would smear them.
AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 3, "Early years (0 to 3)"),
    (4, 4, "Reception (4)"),
    (5, 10, "Primary (5 to 10)"),
    (11, 11, "Year 7 (11)"),
    (12, 15, "Secondary (12 to 15)"),
    (16, 16, "Year 12 (16)"),
    (17, 18, "Post-16 (17 and 18)"),
    (19, 19, "Age 19"),
    (20, 24, "Post-19 (20 to 24)"),
)
BAND_OF_AGE = np.array(
    [next(i for i, (lo, hi, _) in enumerate(AGE_BANDS) if lo <= a <= hi) for a in range(A)]
)
B = len(AGE_BANDS)
TRANSFER_AGES = (4, 11, 16, 19)

# Where each placement type can be, by academic age: the ages a child may be in it after the
# September moves. Outside these a child must move on (the model never leaves a 6-year-old
# in an early years provider), and nobody is placed there by a smoothing prior.
ALLOWED_AGES = {
    MAINSTREAM: (2, 19),
    RESOURCED: (3, 19),
    SPECIAL_MAINTAINED: (2, 19),
    SPECIAL_ACADEMY: (2, 19),
    SPECIAL_INDEPENDENT: (3, 19),
    POST16_FE: (16, 24),
    POST16_SPECIALIST: (16, 24),
    ALTERNATIVE_PROVISION: (4, 16),
    EARLY_YEARS: (0, 4),
    EOTAS: (0, 24),
    OTHER: (0, 24),
}


def allowed_mask() -> np.ndarray:
    """(A, P) booleans: may a child of academic age a be in placement type p?"""
    mask = np.zeros((A, P), dtype=bool)
    for name, (lo, hi) in ALLOWED_AGES.items():
        mask[lo : hi + 1, PLACEMENT_INDEX[name]] = True
    return mask


def academic_year_of(day: dt.date) -> int:
    """The academic year (1 September to 31 August) holding `day`, by its first calendar year."""
    return day.year if day.month >= 9 else day.year - 1


def academic_age(born: dt.date, on: dt.date) -> int:
    """Age on 31 August before the academic year holding `on` (reception is academic age 4,
    year 7 is 11, year 12 is 16)."""
    return academic_year_of(on) - born.year - (1 if born.month >= 9 else 0)


def academic_ages(born_year: np.ndarray, born_in_autumn: np.ndarray, on: dt.date) -> np.ndarray:
    """Vectorised academic_age: born_in_autumn is True for births in September to December."""
    return academic_year_of(on) - born_year - born_in_autumn.astype(np.int64)


def census_day(academic_year: int) -> dt.date:
    """The January census day of an academic year: the third Thursday of January, as the school
    census (SEN2 counts plans at January)."""
    first = dt.date(academic_year + 1, 1, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=2)


def last_census_on_or_before(day: dt.date) -> int:
    """The academic year of the latest census on or before `day`."""
    year = academic_year_of(day)
    return year if census_day(year) <= day else year - 1


def financial_year_of(day: dt.date) -> int:
    """The financial year (1 April to 31 March) holding `day`, by its first calendar year."""
    return day.year if day.month >= 4 else day.year - 1


def fy_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def ay_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def lever_key_day(year: int) -> dt.date:
    """The day on which a lever must be in force to act on a year: 1 October, which lies in
    both the academic year and the financial year that start in `year`. So "from September
    2026" acts on academic year 2026/27 and financial year 2026-27."""
    return dt.date(year, 10, 1)

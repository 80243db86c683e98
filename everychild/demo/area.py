"""The design of the synthetic demonstration area, "Bournemouth, Christchurch and Poole
(demonstration)", decided in memory by `build_demo_area()` (writing.py writes it; seed.py is the
entry point).

The area is calibrated on the DfE's published figures for BCP (calibration.py): about 120
schools and settings and the partner organisations, with their staff; about 4,400 children
with active EHC plans; every request for an EHC needs assessment since 2019 with its true
chronology (decision, advice, draft plan, final plan), plans issued within 20 weeks at the
published rate each year, with and without exceptions; cases at every stage today; plans ceased
for the published reasons; families; and one sign-in for each role. The statutory periods
the chronology keeps to come from the engine (everychild.statutory); the made-up names and
identifiers from names.py.

Everything is made up. Every organisation's name ends "(demo)"; URNs (990001...) and UKPRNs
(10990001...) come from high blocks, away from the numbers schools near BCP hold.

Randomness comes from `random.Random` streams seeded by (seed, part): the same seed and the same
`today` give the same area, and each part has its own stream, so changing how one part is made
does not reshuffle the others.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.easter import easter
from stdnum.gb import upn as stdnum_upn

from everychild.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SettingType,
    User,
)
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseException,
    RequestSource,
    Stage,
)
from everychild.children.models import Child, FamilyLink
from everychild.demo import calibration, names
from everychild.demo.calibration import Published
from everychild.plans.models import CeaseReason
from everychild.statutory import period_days
from everychild.statutory.rules import EASEMENT_FROM, EASEMENT_TO, SEND_REGULATIONS_IN_FORCE

DEFAULT_SEED = 839
AREA_NAME = "Bournemouth, Christchurch and Poole (demonstration)"
REGION_CODE, REGION_NAME = "E12000009", "South West"
# Unitary authorities like BCP (coastal and urban, similar size and deprivation).
STATISTICAL_NEIGHBOURS = [
    "E06000044",  # Portsmouth
    "E06000045",  # Southampton
    "E06000043",  # Brighton and Hove
    "E06000026",  # Plymouth
    "E06000023",  # Bristol
    "E06000022",  # Bath and North East Somerset
    "E06000054",  # Wiltshire
    "E06000059",  # Dorset
    "E06000046",  # Isle of Wight
    "E06000038",  # Reading
]

# Requests are made from here; those still open in January 2019 are kept, so that the plans
# issued early in 2019 have their requests. Plans issued before 2019 have none.
HISTORY_FROM = date(2018, 5, 1)
FIRST_YEAR = 2019
DAY = timedelta(days=1)
# The statutory limits, from the engine, counted as the regulations do (day of receipt is day
# 0). The versions in force today serve the whole history: the 2020 easement added exceptions
# but changed no length.
DECISION_DAYS = period_days("decision_whether_to_assess")  # reg 4(1), 5(1): 6 weeks
ADVICE_DAYS = period_days("advice")  # reg 8(1): 6 weeks
FINAL_DAYS = period_days("final_plan")  # reg 13(2): 20 weeks
COMMENT_DAYS = period_days("draft_plan_comments_close")  # reg 13(1): at least 15 days
# The shortest realistic time from the decision to assess to a final plan: advice, a draft,
# the family's 15 days.
FASTEST_PLAN_DAYS = 63

# Fewer requests arrive, and fewer plans are issued, in August and at Christmas.
MONTH_WEIGHTS = (1.0, 1.0, 1.1, 0.9, 1.1, 1.1, 1.0, 0.6, 0.9, 1.1, 1.1, 0.8)
SOURCE_WEIGHTS = {
    RequestSource.FAMILY: 36,
    RequestSource.SETTING: 52,
    RequestSource.HEALTH: 7,
    RequestSource.SOCIAL_CARE: 3,
    RequestSource.OTHER: 2,
}
# Advice given within 6 weeks, by kind and year: the EP backlog of 2020-2023.
ADVICE_ON_TIME = {
    AdviceKind.EDUCATIONAL_PSYCHOLOGY: {
        2018: 0.85, 2019: 0.8, 2020: 0.4, 2021: 0.3, 2022: 0.15, 2023: 0.1, 2024: 0.55,
        2025: 0.75, 2026: 0.8,
    },
    AdviceKind.HEALTH: {2018: 0.8, 2019: 0.8, 2020: 0.5, 2021: 0.6, 2022: 0.6, 2023: 0.6},
    AdviceKind.SOCIAL_CARE: {2020: 0.7},
    AdviceKind.EDUCATION: {2020: 0.7},
}  # fmt: skip
ADVICE_LATE_MEAN_DAYS = {2020: 45, 2021: 70, 2022: 80, 2023: 80}

# SEN2 cease reasons: the ages at which each happens.
CEASE_AGES = {
    CeaseReason.MAX_AGE: (25, 25),
    CeaseReason.NEEDS_MET: (5, 18),
    CeaseReason.HIGHER_EDUCATION: (18, 24),
    CeaseReason.EMPLOYMENT: (17, 24),
    CeaseReason.TRANSFERRED: (3, 22),
    CeaseReason.NOT_ENGAGING: (16, 24),
    CeaseReason.LEFT_ENGLAND: (3, 22),
    CeaseReason.DECEASED: (3, 24),
    CeaseReason.OTHER: (4, 24),
}
# Years a ceased plan had been held (ceased_plans.csv 2024, "Years plan held"; 12+ as 12-16).
YEARS_HELD = {0: 24, 1: 33, 2: 32, 3: 31, 4: 22, 5: 42, 6: 41, 7: 28, 8: 34, 9: 18, 10: 21}
YEARS_HELD |= {11: 12, 12: 22, 13: 22, 14: 22, 15: 22, 16: 21}

# Placement groups (calibration.PLACEMENTS keys): the ages each takes, and a prior weight for
# iterative fitting to the published age and placement mixes.
PLACEMENT_AGES = {
    "mainstream": (4, 18),
    "resourced": (4, 16),
    "special_maintained": (2, 19),
    "special_academy": (4, 19),
    "special_independent": (5, 19),
    "ap": (5, 16),
    "fe": (16, 24),
    "post16_specialist": (16, 24),
    "early_years": (0, 5),
    "EHE": (5, 17),
    "OLA": (5, 20),
    "OPA": (5, 16),
    "OTH": (3, 24),
    "NEET": (16, 24),
    "NIEO": (5, 24),
    "NIEC": (16, 24),
}
SETTING_GROUPS = {
    "mainstream": SettingType.MAINSTREAM,
    "resourced": SettingType.RESOURCED_PROVISION,
    "special_maintained": SettingType.MAINTAINED_SPECIAL,
    "special_academy": SettingType.ACADEMY_SPECIAL,
    "special_independent": SettingType.INDEPENDENT_SPECIAL,
    "ap": SettingType.ALTERNATIVE_PROVISION,
    "fe": SettingType.FE_COLLEGE,
    "post16_specialist": SettingType.SPECIALIST_POST16,
    "early_years": SettingType.EARLY_YEARS,
}
# How much more (or less) likely each primary need is in each placement group than overall.
NEED_AFFINITY = {
    "PMLD": {"special_maintained": 8, "special_academy": 6, "early_years": 3, "mainstream": 0.05},
    "SLD": {"special_maintained": 6, "special_academy": 5, "post16_specialist": 4,
            "mainstream": 0.1},
    "MLD": {"mainstream": 1.4, "resourced": 1.5, "special_maintained": 1.3, "fe": 1.5},
    "SPLD": {"mainstream": 2.5, "fe": 3, "special_maintained": 0.2, "special_academy": 0.2},
    "SEMH": {"ap": 8, "special_independent": 2, "OLA": 2.5, "NEET": 3, "NIEO": 3, "EHE": 2},
    "ASD": {"special_independent": 2, "OLA": 1.8, "resourced": 1.5, "early_years": 0.8},
    "SLCN": {"early_years": 4, "mainstream": 1.5, "resourced": 2, "fe": 0.5, "NEET": 0.5},
    "PD": {"special_maintained": 1.5, "fe": 1.2},
}  # fmt: skip

SIGN_INS = (
    # email, role, full name, where (an organisation key, or "" for the family)
    ("caseworker@demo.test", Role.CASEWORKER, "Carys Wareham", "la"),
    ("manager@demo.test", Role.TEAM_MANAGER, "Morgan Hale", "la"),
    ("panel@demo.test", Role.DECISION_MAKER, "Priya Stanbridge", "la"),
    ("ep@demo.test", Role.EDUCATIONAL_PSYCHOLOGIST, "Dr Elliot Pennington", "ep"),
    ("epmanager@demo.test", Role.EP_MANAGER, "Dr Erin Maxted", "ep"),
    ("health@demo.test", Role.HEALTH_ADVISER, "Hana Lytchett", "nhs_provider"),
    ("socialcare@demo.test", Role.SOCIAL_CARE_ADVISER, "Sol Castleman", "social_care"),
    ("senco@demo.test", Role.SENCO, "Sienna Colehill", "senco_school"),
    ("parent@demo.test", Role.PARENT, "Pat Rendle", ""),
    ("youngperson@demo.test", Role.YOUNG_PERSON, "", ""),
    # A young person with no plan yet: seed_demo_families issues theirs through the services,
    # so a young person's plan pages are there to read (decision 0200).
    ("youngadult@demo.test", Role.YOUNG_PERSON, "", ""),
    ("board@demo.test", Role.BOARD_MEMBER, "Bea Ordway", "forum"),
    ("finance@demo.test", Role.FINANCE_OFFICER, "Finn Ancell", "la"),
    ("admin@demo.test", Role.SYSTEM_ADMINISTRATOR, "Ada Minster", "la"),
    ("dpo@demo.test", Role.DATA_PROTECTION_OFFICER, "Dara Protheroe", "la"),
    # The council's staff administrator (the area's people and organisations) and the EP
    # service's (its own staff only): decision 0180.
    ("staffadmin@demo.test", Role.STAFF_ADMINISTRATOR, "Stella Admore", "la"),
    ("epadmin@demo.test", Role.STAFF_ADMINISTRATOR, "Eden Pallister", "ep"),
)
SIGN_IN_EMAILS = tuple(email for email, *_ in SIGN_INS)

# Several areas in one database (a regional service, or the growth benchmark): area 1 is BCP
# as always; area k (2..MAX_AREAS) is a copy built from another seed under its own invented
# name and codes, its sign-ins at @area<k>.demo.test, its URNs and UKPRNs in a block of their
# own within the demonstration range.
MAX_AREAS = 19
_BLOCK = 500  # URNs and UKPRNs each area may use (BCP uses about 120)


@dataclass(frozen=True)
class AreaIdentity:
    number: int
    name: str
    la_code: str
    old_la_code: str

    @property
    def mail_domain(self) -> str:
        return "demo.test" if self.number == 1 else f"area{self.number}.demo.test"

    def email(self, email: str) -> str:
        """An address of area 1 as it is in this area: caseworker@demo.test is
        caseworker@area2.demo.test, x@staff.demo.test is x@staff.area2.demo.test."""
        if self.number == 1:
            return email
        return email.removesuffix("demo.test") + self.mail_domain


def area_identity(number: int) -> AreaIdentity:
    if not 1 <= number <= MAX_AREAS:
        raise ValueError(f"Areas are numbered 1 to {MAX_AREAS}.")
    if number == 1:
        return AreaIdentity(1, AREA_NAME, calibration.LA_CODE, calibration.OLD_LA_CODE)
    # E0699xxxx and 9xx: codes no council holds, so they can never clash with a real one.
    return AreaIdentity(
        number, f"Demonstration area {number}", f"E0699{number:04d}", f"{900 + number}"
    )


def relabel(demo: DemoArea, identity: AreaIdentity) -> None:
    """Move a designed area (built as BCP) to another identity, before it is written."""
    if identity.number == 1:
        return
    offset = (identity.number - 1) * _BLOCK
    for org in demo.all_organisations:
        org.name = org.name.replace("(demo)", f"(demo area {identity.number})")
        if org.urn:
            org.urn = str(int(org.urn) + offset)
        if org.ukprn:
            org.ukprn = str(int(org.ukprn) + offset)
    for user in demo.users:
        user.email = identity.email(user.email)
    demo.identity = identity


# --- Small helpers --------------------------------------------------------------------------


def _weekday_back(day: date) -> date:
    while day.weekday() >= 5:
        day -= DAY
    return day


def _weekday_in(rng: random.Random, low: date, high: date) -> date:
    """A random weekday in [low, high]; `low` if the range holds none."""
    if high <= low:
        return low
    span = (high - low).days
    for _ in range(6):
        day = low + timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            return day
    day = low
    while day <= high:
        if day.weekday() < 5:
            return day
        day += DAY
    return low


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - DAY


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _spread(total: int, weights: dict) -> dict:
    """`total` shared out in proportion to `weights`, in whole numbers that add up exactly
    (largest remainder; ties go to the earlier key)."""
    keys = [k for k, w in weights.items() if w > 0]
    weight = sum(weights[k] for k in keys)
    result = dict.fromkeys(weights, 0)
    if total <= 0 or weight <= 0:
        return result
    shares = {k: total * weights[k] / weight for k in keys}
    for k in keys:
        result[k] = int(shares[k])
    spare = total - sum(result.values())
    order = sorted(keys, key=lambda k: (-(shares[k] - int(shares[k])), keys.index(k)))
    for k in order[:spare]:
        result[k] += 1
    return result


def _deal(rng: random.Random, total: int, weights: dict) -> list:
    """A shuffled list of `total` keys in exactly the proportions of `weights`."""
    items = [k for k, n in _spread(total, weights).items() for _ in range(n)]
    rng.shuffle(items)
    return items


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _fit(
    rows: dict, columns: dict, prior: Callable[[object, object], float], rounds: int = 60
) -> dict:
    """Iterative proportional fitting: a table with these row totals (exact, in whole numbers)
    and column totals (as near as the impossible cells, prior 0, allow)."""
    cells = {(r, c): prior(r, c) for r in rows for c in columns}
    cells = {key: value for key, value in cells.items() if value > 0}
    for _ in range(rounds):
        for totals, side in ((rows, 0), (columns, 1)):
            sums: dict = defaultdict(float)
            for key, value in cells.items():
                sums[key[side]] += value
            for key in cells:
                target, current = totals[key[side]], sums[key[side]]
                cells[key] = cells[key] * target / current if current else 0.0
    table = {}
    for r, total in rows.items():
        row = {c: cells.get((r, c), 0.0) for c in columns}
        if total and not any(row.values()):
            raise ValueError(f"No possible column for row {r!r}")
        for c, n in _spread(total, row).items():
            if n:
                table[r, c] = n
    return table


def setting_closures(first_year: int = FIRST_YEAR, last_year: int = 2027) -> list[tuple]:
    """Typical English school holidays (first and last closed day): half terms, Easter, the
    summer and Christmas. Only the summer is 4 weeks or more, which is what reg 10(4)(a)/(b)
    turn on."""

    def monday_on_or_after(day: date) -> date:
        return day + timedelta(days=-day.weekday() % 7)

    def reopens(day: date) -> date:
        # Schools go back on the 3rd if it is early in the week, otherwise the next Monday.
        return day if day.weekday() <= 2 else monday_on_or_after(day)

    def week_off(monday: date) -> tuple[date, date]:
        return monday - 2 * DAY, monday + 6 * DAY  # Saturday to Sunday

    closures = []
    for year in range(first_year, last_year + 1):
        closures.append(week_off(monday_on_or_after(date(year, 2, 12))))
        sunday = easter(year)
        closures.append((sunday - 8 * DAY, sunday + 7 * DAY))
        closures.append(week_off(monday_on_or_after(date(year, 5, 25))))
        last_summer_day = date(year, 7, 18) + timedelta(days=(1 - date(year, 7, 18).weekday()) % 7)
        closures.append((last_summer_day + DAY, reopens(date(year, 9, 3)) - DAY))
        closures.append(week_off(monday_on_or_after(date(year, 10, 24))))
        last_autumn_day = date(year, 12, 20) - timedelta(
            days=(date(year, 12, 20).weekday() - 4) % 7
        )
        closures.append((last_autumn_day + DAY, reopens(date(year + 1, 1, 3)) - DAY))
    return sorted(closures)


# --- The plan of the area, in memory --------------------------------------------------------


@dataclass(eq=False)
class Family:
    surname: str
    postcode: str
    parent: User | None = None
    relationship: str = FamilyLink.Relationship.MOTHER
    children: list[ChildRecord] = field(default_factory=list)


@dataclass(eq=False)
class ChildRecord:
    """A child or young person, as they will be written (a Child row)."""

    n: int
    born: date
    sex: str
    family: Family | None = None
    first_name: str = ""
    ethnicity: str = "WBRI"
    upn: str = ""
    upn_unknown_reason: str = ""
    nhs_number: str = ""
    setting: Organisation | None = None
    own_account: User | None = None
    young_person_allows_access: bool = True
    plans: list[Plan] = field(default_factory=list)
    model: Child | None = None

    def age_on(self, day: date) -> int:
        return _age_on(self.born, day)

    @property
    def active_plan(self) -> Plan | None:
        return next((p for p in self.plans if p.ceased_on is None), None)


@dataclass(eq=False)
class Advice:
    kind: str
    organisation: Organisation
    requested_on: date
    provided_on: date | None = None
    cancelled_on: date | None = None
    assigned_to: User | None = None
    model: AdviceRequest | None = None


@dataclass(eq=False)
class RecordedException:
    regulation: str
    starts_on: date
    ends_on: date | None
    reason: str


@dataclass(eq=False)
class Case:
    """A request for an EHC needs assessment and what followed. Dates may lie after `today`:
    they are what will happen, and are left out when the case is written."""

    n: int
    received: date
    child: ChildRecord
    source: str
    reason: str = ""
    fate: str = ""  # not_assess | issue | not_issue | withdraw
    decision_on: date | None = None
    draft_on: date | None = None
    final_on: date | None = None
    not_issued_on: date | None = None
    withdrawn_on: date | None = None
    exception: RecordedException | None = None
    # Recorded that no coronavirus reason made a 2020 limit impractical (SI 2020/471).
    no_coronavirus_reason: bool = False
    advice: list[Advice] = field(default_factory=list)
    caseworker: User | None = None
    model: AssessmentRequest | None = None

    @property
    def due(self) -> date:
        return self.received + timedelta(days=FINAL_DAYS)

    @property
    def year(self) -> int:
        return self.received.year

    def stage(self, today: date) -> str:
        def happened(day: date | None) -> bool:
            return day is not None and day <= today

        if happened(self.withdrawn_on):
            return Stage.WITHDRAWN
        if not happened(self.decision_on):
            return Stage.AWAITING_DECISION
        if self.fate == "not_assess":
            return Stage.NOT_ASSESSING
        if happened(self.not_issued_on):
            return Stage.NOT_ISSUING
        if happened(self.final_on):
            return Stage.PLAN_ISSUED
        if happened(self.draft_on):
            return Stage.DRAFT_PLAN
        return Stage.ASSESSING


@dataclass(eq=False)
class Plan:
    child: ChildRecord
    issued_on: date
    case: Case | None = None
    group: str = ""  # placement group (calibration.PLACEMENTS key)
    primary_need: str = ""
    secondary_need: str = ""
    setting: Organisation | None = None
    setting_code: str = ""
    last_review_meeting_on: date | None = None
    ceased_on: date | None = None
    cease_reason: str = ""


@dataclass
class DemoArea:
    """Everything `build_demo_area` decided, ready to be written."""

    seed: int
    scale: float
    today: date
    published: Published
    organisations: dict[str, Organisation]  # the partners, by key ("la", "ep", ...)
    settings: dict[str, list[Organisation]]  # schools and settings, by group
    all_organisations: list[Organisation]
    users: list[User]  # staff, families and the demonstration sign-ins
    memberships: list[Membership]
    children: list[ChildRecord]
    families: list[Family]
    cases: list[Case]
    plans: list[Plan]
    sign_ins: dict[str, User]
    shortfalls: list[str]
    identity: AreaIdentity | None = None  # None: area 1, BCP


class _Builder:
    """Designs the area part by part. Each method is one part, in the order `build` calls them."""

    def __init__(self, *, seed: int, scale: float, today: date, published: Published):
        if today < date(FIRST_YEAR, 7, 1):
            raise ValueError("The demonstration area needs a `today` after June 2019.")
        self.seed, self.scale, self.today, self.pub = seed, scale, today, published
        self.children: list[ChildRecord] = []
        self.families: list[Family] = []
        self.cases: list[Case] = []
        self.plans: list[Plan] = []
        self.users: list[User] = []
        self.memberships: list[Membership] = []
        self.sign_ins: dict[str, User] = {}
        self.shortfalls: list[str] = []
        self.summer_windows = [
            # reg 10(4)(a): advice asked of a setting from a week before a closure of 4 weeks
            # or more to a week before it re-opens.
            (first - 7 * DAY, last + DAY - 7 * DAY)
            for first, last in setting_closures(FIRST_YEAR - 1, today.year + 1)
            if (last - first).days + 1 >= 28
        ]

    def rng(self, part: str) -> random.Random:
        return random.Random(f"everychild-demo:{self.seed}:{part}")

    def scaled(self, count: float) -> int:
        return max(0, round(count * self.scale))

    def year_fraction(self, year: int) -> float:
        """How much of `year` has passed by today (1 for past years)."""
        if year < self.today.year:
            return 1.0
        start = date(year, 1, 1)
        return ((self.today - start).days + 1) / ((date(year + 1, 1, 1) - start).days)

    # --- organisations and staff ----------------------------------------------------------

    def organisations(self) -> None:
        rng = self.rng("organisations")
        places = list(names.PLACES)
        rng.shuffle(places)
        places = iter(dict.fromkeys(places))
        self.orgs = {
            "la": Organisation(
                kind=OrganisationKind.LOCAL_AUTHORITY,
                name="Bournemouth, Christchurch and Poole Council (demo)",
            ),
            "ep": Organisation(
                kind=OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
                name="Three Towns Educational Psychology Service (demo)",
            ),
            "icb": Organisation(
                kind=OrganisationKind.NHS_ICB,
                name="NHS Purbeck and Stour Integrated Care Board (demo)",
            ),
            "nhs_provider": Organisation(
                kind=OrganisationKind.NHS_PROVIDER,
                name="Wessex Coast Community Health: Children's Therapies (demo)",
            ),
            "social_care": Organisation(
                kind=OrganisationKind.SOCIAL_CARE,
                name="Three Towns Children's Social Care: Disabled Children's Team (demo)",
            ),
            "forum": Organisation(
                kind=OrganisationKind.PARENT_CARER_FORUM,
                name="Harbourside Parent Carer Forum (demo)",
            ),
            "monitor": Organisation(
                kind=OrganisationKind.MONITORING_BODY,
                name="SEND Improvement Board monitoring team (demo)",
            ),
        }
        urns = iter(range(990001, 999999))
        ukprns = iter(range(10990001, 10999999))
        self.settings: dict[str, list[Organisation]] = defaultdict(list)

        def add(group, kind, name, setting_type, phase, number=None):
            org = Organisation(
                kind=kind,
                name=f"{name} (demo)",
                setting_type=setting_type,
                phase=phase,
                urn="" if kind == OrganisationKind.COLLEGE else str(next(urns)),
                ukprn=str(next(ukprns)) if kind == OrganisationKind.COLLEGE else "",
            )
            self.settings[group].append(org)
            # Unsaved model instances cannot be dict keys, so the plan's notes ride on them:
            # how popular the setting is, and the DfE establishment number pupils' UPNs carry
            # (2xxx primary, 4xxx secondary, 7xxx special).
            org.demo_size = rng.uniform(0.4, 2.5)
            org.demo_establishment = number

        school, college = OrganisationKind.SCHOOL, OrganisationKind.COLLEGE
        primary_kinds = ["Primary School"] * 5 + ["Infant School", "Junior School"]
        primary_kinds += ["Church of England Primary School", "St Aldhelm's Catholic Primary"]
        for i in range(56):
            kind_of_school = rng.choice(primary_kinds)
            name = f"{next(places)} {kind_of_school}"
            if kind_of_school.startswith("St "):
                name = f"{kind_of_school} School, {next(places)}"
            add("primary", school, name, SettingType.MAINSTREAM, "primary", 2001 + i)
        for i in range(14):
            word = rng.choice(["Academy", "School", "High School", "Community School"])
            add(
                "secondary", school, f"{next(places)} {word}", SettingType.MAINSTREAM,
                "secondary", 4001 + i,
            )  # fmt: skip
        for i, phase in enumerate(["primary"] * 3 + ["secondary"] * 3):
            word = "Primary School" if phase == "primary" else "Academy"
            add(
                f"resourced_{phase}", school, f"{next(places)} {word} (resourced provision)",
                SettingType.RESOURCED_PROVISION, phase, (2101 if phase == "primary" else 4101) + i,
            )  # fmt: skip
        for i in range(5):
            add(
                "special_maintained", school, f"{next(places)} Special School",
                SettingType.MAINTAINED_SPECIAL, "all-through", 7001 + i,
            )  # fmt: skip
        for i in range(4):
            add(
                "special_academy", school, f"{next(places)} Academy (special)",
                SettingType.ACADEMY_SPECIAL, "all-through", 7101 + i,
            )  # fmt: skip
        for i in range(9):
            word = rng.choice(["House School", "Hall School", "Manor School", "Learning Trust"])
            add(
                "special_independent", school, f"{next(places)} {word}",
                SettingType.INDEPENDENT_SPECIAL, "all-through", 6001 + i,
            )  # fmt: skip
        for i in range(3):
            add(
                "ap", school, f"{next(places)} Learning Centre", SettingType.ALTERNATIVE_PROVISION,
                "secondary", 1101 + i,
            )  # fmt: skip
        for _ in range(3):
            add("fe", college, f"{next(places)} College", SettingType.FE_COLLEGE, "post-16")
        for _ in range(4):
            add(
                "post16_specialist", college, f"{next(places)} Specialist College",
                SettingType.SPECIALIST_POST16, "post-16",
            )  # fmt: skip
        for _ in range(12):
            word = rng.choice(["Day Nursery", "Pre-school", "Nursery School", "Childcare Centre"])
            add(
                "early_years", OrganisationKind.EARLY_YEARS, f"{next(places)} {word}",
                SettingType.EARLY_YEARS, "early years",
            )  # fmt: skip
        self.settings["mainstream"] = self.settings["primary"] + self.settings["secondary"]
        self.settings["resourced"] = (
            self.settings["resourced_primary"] + self.settings["resourced_secondary"]
        )

    def all_organisations(self) -> list[Organisation]:
        found = list(self.orgs.values())
        seen = {id(o) for o in found}
        for group in self.settings.values():
            for org in group:
                if id(org) not in seen:
                    seen.add(id(org))
                    found.append(org)
        return found

    def _user(self, email: str, full_name: str, *, active: bool = True) -> User:
        user = User(email=email, full_name=full_name, is_active=active)
        self.users.append(user)
        return user

    def _member(self, user: User, role: str, org: Organisation | None) -> None:
        self.memberships.append(Membership(user=user, organisation=org, role=role))

    def staff_users(self) -> None:
        """The demo sign-ins, and the colleagues who share the work with them."""
        rng = self.rng("staff")
        for email, role, name, where in SIGN_INS:
            if role in (Role.PARENT, Role.YOUNG_PERSON):
                continue  # made with the families
            user = self._user(email, name)
            self.sign_ins[email] = user
            org = self.orgs.get(where)  # the SENCO's school is chosen with the caseload
            if org is not None:
                self._member(user, role, org)
        # Caseworkers, each in post from `start` to `end` (None: still in post). Three left.
        self.caseworkers = [(self.sign_ins["caseworker@demo.test"], date(2021, 3, 1), None)]
        starts = [date(2018, 1, 1)] * 5 + [date(2021, 9, 1)] * 2 + [date(2023, 1, 9)] * 2
        starts += [date(2024, 2, 5)] * 3 + [date(2025, 4, 7)]
        ends = {1: date(2020, 12, 18), 3: date(2022, 7, 29), 6: date(2023, 9, 29)}
        for i, start in enumerate(starts):
            end = ends.get(i)
            name = names.staff_name(rng)
            email = f"{name.lower().replace(' ', '.')}.{i}@staff.demo.test"
            user = self._user(email, name, active=end is None)
            self._member(user, Role.CASEWORKER, self.orgs["la"])
            self.caseworkers.append((user, start, end))
        self.advisers: dict[str, list[User]] = {}
        for key, role, count, demo in (
            ("ep", Role.EDUCATIONAL_PSYCHOLOGIST, 6, "ep@demo.test"),
            ("nhs_provider", Role.HEALTH_ADVISER, 3, "health@demo.test"),
            ("social_care", Role.SOCIAL_CARE_ADVISER, 2, "socialcare@demo.test"),
        ):
            team = [self.sign_ins[demo]]
            for i in range(count):
                name = names.staff_name(rng)
                email = f"{name.lower().replace(' ', '.')}.{key}{i}@staff.demo.test"
                user = self._user(email, name)
                self._member(user, role, self.orgs[key])
                team.append(user)
            self.advisers[key] = team
        self.more_staff()

    def more_staff(self) -> None:
        """A bigger area has a bigger team: at scale N, N-1 more teams of caseworkers and
        advisers like the first (on their own random stream, so scale 1 is unchanged), so a
        caseworker's caseload stays the size it is in BCP while the area grows."""
        rng = self.rng("staff-more")
        for team in range(2, math.ceil(self.scale) + 1):
            for i in range(10):
                name = names.staff_name(rng)
                email = f"{name.lower().replace(' ', '.')}.t{team}c{i}@staff.demo.test"
                user = self._user(email, name)
                self._member(user, Role.CASEWORKER, self.orgs["la"])
                self.caseworkers.append((user, date(2018, 1, 1), None))
            for key, role, count in (
                ("ep", Role.EDUCATIONAL_PSYCHOLOGIST, 7),
                ("nhs_provider", Role.HEALTH_ADVISER, 4),
                ("social_care", Role.SOCIAL_CARE_ADVISER, 3),
            ):
                for i in range(count):
                    name = names.staff_name(rng)
                    email = f"{name.lower().replace(' ', '.')}.t{team}{key}{i}@staff.demo.test"
                    user = self._user(email, name)
                    self._member(user, role, self.orgs[key])
                    self.advisers[key].append(user)

    # --- requests and their outcomes ------------------------------------------------------

    def _requests_in(self, year: int) -> int:
        if year < FIRST_YEAR:
            # May-December 2018 at the 2019 rate.
            return self.scaled(self.pub.requests_received[FIRST_YEAR] * 8 / 12)
        if year in self.pub.requests_received:
            return self.scaled(self.pub.requests_received[year] * self.year_fraction(year))
        per_year = calibration.ASSUMED_REQUESTS_PER_YEAR
        return self.scaled(per_year * self.year_fraction(year))

    def new_child(self, born: date, sex: str) -> ChildRecord:
        child = ChildRecord(n=len(self.children), born=born, sex=sex)
        self.children.append(child)
        return child

    def requests(self) -> None:
        """Every request since May 2018, on weekdays through the year, each from a child of
        the published age and sex; some from a child refused an assessment before."""
        rng = self.rng("requests")
        ages = self.pub.request_ages
        for year in range(HISTORY_FROM.year, self.today.year + 1):
            count = self._requests_in(year)
            first_month = HISTORY_FROM.month if year == HISTORY_FROM.year else 1
            last_month = self.today.month if year == self.today.year else 12
            weights = {m: MONTH_WEIGHTS[m - 1] for m in range(first_month, last_month + 1)}
            days = []
            for month in _deal(rng, count, weights):
                start, end = _month_bounds(year, month)
                days.append(_weekday_in(rng, start, min(end, self.today)))
            days.sort()
            sexes = _deal(rng, count, self.pub.request_sex)
            for received, sex in zip(days, sexes, strict=True):
                age = _pick(rng, ages)
                born = received - timedelta(days=round(365.25 * age) + rng.randint(0, 364))
                child = self.new_child(born, sex)
                source = _pick(rng, SOURCE_WEIGHTS)
                reason = rng.choice(names.REQUEST_REASONS)
                self.cases.append(
                    Case(n=0, received=received, child=child, source=source, reason=reason)
                )

    def _share_not_assessed(self, year: int) -> float:
        if year in self.pub.requests_not_assessed and year in self.pub.requests_received:
            return self.pub.requests_not_assessed[year] / self.pub.requests_received[year]
        return calibration.ASSUMED_NOT_ASSESSED_SHARE.get(year, 0.25)

    def _share_decided_on_time(self, year: int) -> float:
        published = self.pub.decisions_within_6_weeks.get(year)
        if published:
            return published[0] / sum(published)
        return calibration.ASSUMED_DECISIONS_ON_TIME.get(year, 0.93)

    def decisions(self) -> None:
        """Whether to assess, and when it was decided: not-assess decisions in the published
        number each year, within 6 weeks at the published rate."""
        rng = self.rng("decisions")
        by_year: dict[int, list[Case]] = defaultdict(list)
        for case in self.cases:
            by_year[case.year].append(case)
        for year, cases in by_year.items():
            refused = set(
                rng.sample(range(len(cases)), round(len(cases) * self._share_not_assessed(year)))
            )
            for i, case in enumerate(cases):
                # DfE's rate is for the requests received in the year (its cohort, decision
                # 0131), so a request is on time at its own year's rate.
                on_time = self._share_decided_on_time(year)
                late_mean = 18 if year < 2023 else 35 if year == 2023 else 30
                if rng.random() < on_time:
                    days = round(rng.triangular(14, DECISION_DAYS, 38))
                else:
                    days = DECISION_DAYS + 1 + min(150, round(rng.expovariate(1 / late_mean)))
                decided = case.received + timedelta(days=days)
                # Panels sit on weekdays: move back to the Friday, but never before day 10.
                if decided.weekday() >= 5:
                    back = _weekday_back(decided)
                    decided = back if (back - case.received).days >= 10 else decided + 2 * DAY
                case.decision_on = decided
                case.fate = "not_assess" if i in refused else "assess"
        # A few requests are withdrawn before the decision (the family moved away).
        for case in self.cases:
            if rng.random() < 0.004:
                case.withdrawn_on = _weekday_in(
                    rng, case.received + 3 * DAY, case.decision_on - DAY
                )
                case.fate = "withdraw"
                case.decision_on = None

    def repeat_requests(self) -> None:
        """About 4 % of requests are from a child refused an assessment at least six months
        earlier: the later request is theirs."""
        rng = self.rng("repeats")
        refused = [c for c in self.cases if c.fate == "not_assess"]
        taken: set[int] = set()
        replaced: set[int] = set()
        for case in self.cases:
            if case.received.year < 2020 or rng.random() >= 0.04:
                continue
            earlier = [
                c
                for c in refused
                if c.decision_on + timedelta(days=180) <= case.received
                and c.child.n not in taken
                and c.child.age_on(case.received) < 24
            ]
            if earlier:
                previous = rng.choice(earlier[-60:])
                taken.add(previous.child.n)
                replaced.add(id(case.child))
                case.child = previous.child
        self.children = [c for c in self.children if id(c) not in replaced]
        for n, child in enumerate(self.children):
            child.n = n

    def assessment_outcomes(self) -> None:
        """Of the assessed: decided not to issue (the published number each year), withdrawn
        (a few), the rest issue a plan."""
        rng = self.rng("outcomes")
        by_year: dict[int, list[Case]] = defaultdict(list)
        for case in self.cases:
            if case.fate == "assess":
                by_year[case.year].append(case)
        for year, cases in by_year.items():
            if year in self.pub.assessments_not_issued:
                count = self.scaled(self.pub.assessments_not_issued[year])
            else:
                count = round(len(cases) * calibration.ASSUMED_NOT_ISSUED_SHARE.get(year, 0.1))
            not_issued = set(rng.sample(range(len(cases)), min(count, len(cases))))
            for i, case in enumerate(cases):
                if i in not_issued:
                    case.fate = "not_issue"
                    slow = 2021 <= year <= 2023
                    days = rng.randint(60, 240) if slow else rng.randint(40, 68)
                    case.not_issued_on = _weekday_back(case.decision_on + timedelta(days=days))
                elif rng.random() < 0.01:
                    case.fate = "withdraw"
                    case.withdrawn_on = _weekday_in(
                        rng, case.decision_on + 14 * DAY, case.decision_on + 120 * DAY
                    )
                else:
                    case.fate = "issue"

    def carry_in(self) -> None:
        """Keep the 2018 requests that were still open on 1 January 2019; the rest belong to
        the time before the area's history."""
        rng = self.rng("carry-in")
        start = date(FIRST_YEAR, 1, 1)
        kept = []
        for case in self.cases:
            if case.year >= FIRST_YEAR:
                kept.append(case)
                continue
            if case.fate == "issue":
                on_time = rng.random() < calibration.ASSUMED_ON_TIME[2018]
                lo = case.decision_on + timedelta(days=FASTEST_PLAN_DAYS)
                case.final_on = (
                    _weekday_in(rng, lo, max(lo, case.due))
                    if on_time
                    else case.due + timedelta(days=rng.randint(1, 150))
                )
            ended = case.final_on or case.not_issued_on or case.withdrawn_on
            if case.fate == "not_assess":
                ended = case.decision_on
            if ended is not None and ended < start:
                continue
            case.final_on = None  # issued when the 2019 allocation says
            kept.append(case)
        kept_children = {id(c.child) for c in kept}
        self.cases = kept
        self.children = [c for c in self.children if id(c) in kept_children]
        for n, child in enumerate(self.children):
            child.n = n
        for n, case in enumerate(self.cases, start=1):
            case.n = n

    def issue_history(self) -> None:
        """Final plans issued in 2019-2024: each month, the published number within 20 weeks
        (the cases nearest their deadline) and the published number late (the longest
        waiting first, as a backlog is worked)."""
        rng = self.rng("issue-history")
        pool = [c for c in self.cases if c.fate == "issue"]
        for year in range(FIRST_YEAR, min(self.today.year, 2024) + 1):
            if year not in self.pub.plans_issued:
                continue
            issued = self.scaled(self.pub.plans_issued[year])
            within = self.scaled(self.pub.within_20_weeks[year])
            weights = dict(enumerate(MONTH_WEIGHTS, start=1))
            on_time_quota = _spread(within, weights)
            late_quota = _spread(issued - within, weights)
            short_on_time = short_late = 0
            for month in range(1, 13):
                start, end = _month_bounds(year, month)
                if start > self.today:
                    break
                end = min(end, self.today)
                waiting = [c for c in pool if c.final_on is None]
                need = on_time_quota[month] + short_on_time
                fastest = timedelta(days=FASTEST_PLAN_DAYS)
                ready = [
                    c
                    for c in waiting
                    if c.due >= start and c.decision_on + fastest <= min(end, c.due)
                ]
                ready.sort(key=lambda c: (c.due, c.n))
                for case in ready[:need]:
                    low = max(start, case.decision_on + fastest)
                    case.final_on = _weekday_in(rng, low, min(end, case.due))
                short_on_time = max(0, need - len(ready))
                need = late_quota[month] + short_late
                late = [
                    c
                    for c in waiting
                    if c.final_on is None and max(c.due + DAY, c.decision_on + fastest) <= end
                ]
                for case in late[:need]:
                    low = max(start, case.due + DAY, case.decision_on + fastest)
                    case.final_on = _weekday_in(rng, low, end)
                short_late = max(0, need - len(late))
            if short_on_time or short_late:
                self.shortfalls.append(
                    f"{year}: {short_on_time} plans within 20 weeks and {short_late} late plans "
                    "fewer than published (not enough cases at this scale)"
                )

    def issue_recent(self) -> None:
        """From 2025 (not yet published): the backlog left at the end of 2024 is cleared in the
        first half of 2025, and new cases mostly meet the 20 weeks (ASSUMED_ON_TIME); cases
        whose plan is due after today are open today."""
        start = date(2025, 1, 1)
        if self.today < start:
            return
        rng = self.rng("issue-recent")
        fastest = timedelta(days=FASTEST_PLAN_DAYS)
        waiting = [c for c in self.cases if c.fate == "issue" and c.final_on is None]
        backlog = [c for c in waiting if c.due < start]
        for i, case in enumerate(backlog):
            month = 1 + i * 6 // len(backlog)
            first, last = _month_bounds(2025, month)
            low = max(first, case.decision_on + fastest)
            case.final_on = _weekday_in(rng, low, max(low, last))
        for case in waiting:
            if case.final_on is not None:
                continue
            on_time = calibration.ASSUMED_ON_TIME.get(case.year, 0.8)
            low = max(case.decision_on + fastest, case.received + timedelta(days=98), start)
            if low <= case.due and rng.random() < on_time:
                case.final_on = _weekday_in(rng, low, case.due)
                continue
            # How late: a few weeks for most, with a long tail (BCP tracks cases over 30 weeks).
            roll = rng.random()
            if roll < 0.4:
                extra = rng.randint(1, 42)
            elif roll < 0.8:
                extra = rng.randint(43, 150)
            else:
                extra = rng.randint(151, 300)
            case.final_on = max(case.due + timedelta(days=extra), case.decision_on + fastest)
            case.final_on = max(case.final_on, start)

    def drafts(self) -> None:
        """The draft plan goes to the family 15 days or more before the final plan (reg 13(1))."""
        rng = self.rng("drafts")
        for case in self.cases:
            if case.fate != "issue" or case.final_on is None:
                continue
            gap = rng.randint(COMMENT_DAYS, 35)
            if rng.random() < 0.2:
                gap += rng.randint(0, 40)  # waiting for a school to answer the consultation
            latest = case.final_on - timedelta(days=COMMENT_DAYS)
            draft = max(case.final_on - timedelta(days=gap), case.decision_on + 28 * DAY)
            draft = _weekday_back(min(draft, latest))
            case.draft_on = max(draft, case.decision_on + DAY)

    def exceptions(self) -> None:
        """Recorded exceptions (reg 10(4)(c)/(d)) on as many issued plans, within and outside
        20 weeks, as make the published figures excluding exceptions; and on some open cases."""
        rng = self.rng("exceptions")
        issued_by_year: dict[int, list[Case]] = defaultdict(list)
        for case in self.cases:
            if case.final_on is not None and case.final_on <= self.today:
                issued_by_year[case.final_on.year].append(case)
        for year, cases in sorted(issued_by_year.items()):
            within = [c for c in cases if c.final_on <= c.due]
            late = [c for c in cases if c.final_on > c.due]
            if year in self.pub.plans_issued:
                w = self.scaled(self.pub.within_20_weeks[year])
                w_ex = self.scaled(self.pub.within_20_weeks_excl_exceptions[year])
                i = self.scaled(self.pub.plans_issued[year])
                i_ex = self.scaled(self.pub.plans_issued_excl_exceptions[year])
                with_within, with_late = max(0, w - w_ex), max(0, (i - w) - (i_ex - w_ex))
            else:
                # An exception more often explains a late plan than an early one.
                total = round(len(cases) * calibration.ASSUMED_EXCEPTION_SHARE)
                with_late = min(len(late), round(total * 0.7))
                with_within = total - with_late
            for case in rng.sample(within, min(with_within, len(within))):
                self._add_exception(rng, case, case.final_on)
            for case in rng.sample(late, min(with_late, len(late))):
                self._add_exception(rng, case, case.final_on)
        open_cases = [
            c
            for c in self.cases
            if c.stage(self.today) in (Stage.ASSESSING, Stage.DRAFT_PLAN)
            and (self.today - c.received).days > 30
        ]
        for case in rng.sample(open_cases, round(len(open_cases) * 0.08)):
            self._add_exception(rng, case, self.today)
        # BCP's published 2020 and 2021 figures count only as many plans with exceptions as
        # the recorded ones above: it did not lean on the 2020 easement (SI 2020/471), which
        # the engine assumes for every limit due from 1 May to 25 September 2020 unless told
        # otherwise. So every other case whose 6 or 20 weeks fell due then records that no
        # coronavirus reason made the limit impractical (decision 0132).
        for case in self.cases:
            if case.exception is None and any(
                # (a day later too: a council counting the day of receipt as day 1 is due
                # a day sooner)
                due >= EASEMENT_FROM and due - DAY <= EASEMENT_TO
                for due in (case.received + DECISION_DAYS * DAY, case.due)
            ):
                case.no_coronavirus_reason = True

    def _add_exception(self, rng: random.Random, case: Case, until: date) -> None:
        """An exception that began within the 20 weeks and ended before `until` (the final
        plan, or today for an open case, when it may still be going on)."""
        latest = min(case.due, until) - DAY
        starts = _weekday_in(rng, case.received + 14 * DAY, max(case.received + 14 * DAY, latest))
        starts = min(starts, latest)
        room = (until - starts).days - 1  # days it can last before `until`
        if rng.random() < 0.45 and (room >= 28 or until >= self.today):
            regulation = CaseException.Regulation.ABSENT_FROM_AREA
            ends = starts + timedelta(days=min(rng.randint(27, 70), max(27, room)))
            reason = rng.choice(names.ABSENCES)
        else:
            regulation = CaseException.Regulation.PERSONAL_CIRCUMSTANCES
            ends = starts + timedelta(days=max(0, min(rng.randint(10, 60), room)))
            reason = rng.choice(names.PERSONAL_CIRCUMSTANCES)
        if ends >= self.today:
            ends = None  # still going on
        case.exception = RecordedException(regulation, starts, ends, reason)

    # --- plans ----------------------------------------------------------------------------

    def plans_from_requests(self) -> None:
        for case in self.cases:
            if case.final_on is not None and case.final_on <= self.today:
                plan = Plan(child=case.child, issued_on=case.final_on, case=case)
                case.child.plans.append(plan)
                self.plans.append(plan)

    def _cease_counts(self, year: int) -> dict[str, int]:
        if year in self.pub.ceased:
            published = self.pub.ceased[year]
            return {
                code: self.scaled(n * self.year_fraction(year)) for code, n in published.items()
            }
        pooled: Counter = Counter()
        for counts in self.pub.ceased.values():
            pooled.update(counts)
        total = calibration.ASSUMED_CEASED.get(year, 480) * self.year_fraction(year)
        return _spread(self.scaled(total), dict(pooled))

    def ceased_plans(self) -> None:
        """Plans ceased each year for the published reasons. A plan held for fewer years than
        the area's history is one issued since 2019 (if a child of the right age has one);
        the others are plans made before 2019."""
        rng = self.rng("ceased")
        ages = self.pub.ceased_ages
        history = date(FIRST_YEAR, 1, 1)
        self.recent_plans = [p for p in self.plans if p.case is not None]
        for year in range(FIRST_YEAR, self.today.year + 1):
            first, last = date(year, 1, 1), min(date(year, 12, 31), self.today)
            for reason, count in self._cease_counts(year).items():
                low_age, high_age = CEASE_AGES[reason]
                reason_ages = {a: ages.get(a, 0) + 0.5 for a in range(low_age, high_age + 1)}
                for _ in range(count):
                    ceased = _weekday_in(rng, first, last)
                    held = _pick(rng, YEARS_HELD)
                    issued = _years_before(ceased, held) - timedelta(days=rng.randint(0, 300))
                    plan = None
                    if issued >= history:
                        plan = self._ceasable_plan(rng, ceased, low_age, high_age)
                    if plan is None:
                        plan = self._plan_before_history(rng, ceased, issued, reason_ages)
                    plan.ceased_on, plan.cease_reason = ceased, reason
        # A plan ends at the latest at the end of the academic year in which its holder turns
        # 25 (CFA 2014 s.46).
        for plan in self.plans:
            if plan.ceased_on is None:
                born = plan.child.born
                turns_25 = date(born.year + 25, born.month, min(born.day, 28))
                end = date(turns_25.year + (turns_25.month >= 8), 7, 31)
                end = max(end, plan.issued_on + timedelta(days=60))
                if end <= self.today:
                    plan.ceased_on = _weekday_back(end)
                    plan.cease_reason = CeaseReason.MAX_AGE

    def _ceasable_plan(self, rng, ceased: date, low_age: int, high_age: int) -> Plan | None:
        """A plan issued since 2019, active then, whose holder is of an age for the reason:
        looked for among a sample (scanning them all for each of thousands is too slow)."""
        recent = self.recent_plans
        for _ in range(60):
            plan = recent[rng.randrange(len(recent))] if recent else None
            if plan is None:
                return None
            if (
                plan.ceased_on is None
                and plan.issued_on + timedelta(days=60) <= ceased
                and low_age <= plan.child.age_on(ceased) <= high_age
            ):
                return plan
        return None

    def _plan_before_history(self, rng, ceased: date, issued: date, ages: dict) -> Plan:
        # Someone with a plan made before 2019 was over a year old by the end of 2017.
        old_enough = _age_on(date(FIRST_YEAR - 2, 1, 1), ceased) + 1
        ages = {a: w for a, w in ages.items() if a >= old_enough} or {max(old_enough, 1): 1}
        age = _pick(rng, ages)
        born = _years_before(ceased, age) - timedelta(days=rng.randint(1, 360))
        sex = "M" if rng.random() < 0.72 else "F"
        child = self.new_child(born, sex)
        earliest = born + timedelta(days=400)
        issued = min(max(issued, earliest), date(FIRST_YEAR - 1, 12, 31), ceased - DAY)
        plan = Plan(child=child, issued_on=_weekday_back(max(issued, born + DAY)))
        child.plans.append(plan)
        self.plans.append(plan)
        return plan

    def plans_before_history(self) -> None:
        """Active plans made before 2019 (no request in the history): as many as bring today's
        caseload to the published figure, at the ages the published age mix still lacks."""
        rng = self.rng("older-plans")
        active = [p for p in self.plans if p.ceased_on is None]
        target = self.scaled(self.pub.active_plans)
        missing = target - len(active)
        if missing < 0:
            self.shortfalls.append(f"{-missing} more active plans than the published caseload")
            return
        # Someone with a plan made before 2019 was at least 2 then.
        youngest = _age_on(date(FIRST_YEAR - 3, 1, 1), self.today) + 1
        wanted = _spread(target, self.pub.active_ages)
        have = Counter(p.child.age_on(self.today) for p in active)
        lacking = {a: max(0, wanted[a] - have[a]) for a in wanted if a >= youngest}
        if not any(lacking.values()):
            lacking = dict.fromkeys(range(youngest, 25), 1)
        males_wanted = round(self.pub.active_sex["M"] * target / sum(self.pub.active_sex.values()))
        males_have = sum(p.child.sex == "M" for p in active)
        male_share = min(0.95, max(0.5, (males_wanted - males_have) / max(1, missing)))
        for age in _deal(rng, missing, lacking):
            born = _years_before(self.today, age) - timedelta(days=rng.randint(1, 364))
            child = self.new_child(born, "M" if rng.random() < male_share else "F")
            # No EHC plan is older than the SEND Regulations 2014 (SI 2014/1530, in force 1
            # September 2014): a statement held since before was converted to a plan later,
            # and the plan's review clock starts from the conversion.
            earliest = max(
                born + timedelta(days=730),
                _years_before(self.today, 15),
                SEND_REGULATIONS_IN_FORCE,
            )
            latest = date(FIRST_YEAR - 1, 12, 31)
            issued = _weekday_in(rng, min(earliest, latest), latest)
            plan = Plan(child=child, issued_on=issued)
            child.plans.append(plan)
            self.plans.append(plan)

    def placements(self) -> None:
        """Where each plan places the child: for active plans, fitted to the published age and
        placement mixes at once; for ceased plans, what suits the age and the reason."""
        rng = self.rng("placements")
        active = [p for p in self.plans if p.ceased_on is None]
        by_age: dict[int, list[Plan]] = defaultdict(list)
        for plan in active:
            by_age[min(24, plan.child.age_on(self.today))].append(plan)
        groups = _spread(len(active), self.pub.placements)

        def prior(age, group):
            low, high = PLACEMENT_AGES[group]
            if not low <= age <= high:
                return 0.0
            if group == "mainstream" and age >= 16:
                return 0.15  # a few stay in a school sixth form
            return 1.0

        table = _fit({a: len(p) for a, p in by_age.items()}, groups, prior)
        for age, plans in sorted(by_age.items()):
            rng.shuffle(plans)
            cells = [g for g in groups for _ in range(table.get((age, g), 0))]
            for plan, group in zip(plans, cells, strict=True):
                plan.group = group
        for plan in self.plans:
            if plan.ceased_on is not None:
                plan.group = self._ceased_group(rng, plan)
        for plan in self.plans:
            age = plan.child.age_on(plan.ceased_on or self.today)
            if plan.group in SETTING_GROUPS:
                plan.setting = self._setting_for(rng, plan.group, age)
            else:
                plan.setting_code = plan.group
        self._needs(rng, active)
        for plan in self.plans:
            if plan.ceased_on is not None:
                plan.primary_need = _pick(rng, self.pub.needs)
                if rng.random() < 0.4:
                    plan.secondary_need = _pick(rng, self.pub.needs)
                    if plan.secondary_need == plan.primary_need:
                        plan.secondary_need = ""

    def _ceased_group(self, rng: random.Random, plan: Plan) -> str:
        age = plan.child.age_on(plan.ceased_on)
        if plan.cease_reason == CeaseReason.NEEDS_MET:
            return "mainstream" if age >= 4 else "early_years"
        if age >= 16:
            return _pick(rng, {"fe": 35, "post16_specialist": 10, "NEET": 40, "NIEO": 8, "OTH": 4,
                               "special_maintained": 3 if age <= 19 else 0})  # fmt: skip
        if age < 4:
            return "early_years"
        weights = {"mainstream": 45, "special_maintained": 20, "special_independent": 10}
        weights |= {"OLA": 8, "EHE": 5, "NIEO": 8, "ap": 4 if age >= 5 else 0}
        return _pick(rng, weights)

    def _setting_for(self, rng: random.Random, group: str, age: int) -> Organisation:
        if group == "mainstream":
            group = "primary" if age <= 10 else "secondary"
        elif group == "resourced":
            group = "resourced_primary" if age <= 10 else "resourced_secondary"
        options = self.settings[group]
        return rng.choices(options, weights=[o.demo_size for o in options])[0]

    def _needs(self, rng: random.Random, active: list[Plan]) -> None:
        """Primary needs fitted to the published need mix, leaning by placement (profound
        needs in special schools, SEMH in alternative provision); a second need for some."""
        by_group: dict[str, list[Plan]] = defaultdict(list)
        for plan in active:
            by_group[plan.group].append(plan)
        needs = _spread(len(active), self.pub.needs)
        table = _fit(
            {g: len(p) for g, p in by_group.items()},
            needs,
            lambda group, need: NEED_AFFINITY.get(need, {}).get(group, 1.0),
        )
        for group, plans in sorted(by_group.items()):
            rng.shuffle(plans)
            cells = [n for n in needs for _ in range(table.get((group, n), 0))]
            for plan, need in zip(plans, cells, strict=True):
                plan.primary_need = need
        for plan in active:
            if rng.random() < 0.42:
                second = _pick(rng, self.pub.needs)
                plan.secondary_need = "" if second == plan.primary_need else second

    def reviews(self) -> None:
        """Annual reviews: most plans a year old or more were reviewed in the last 12 months;
        about a fifth are overdue (the annual review backlog)."""
        rng = self.rng("reviews")
        for plan in self.plans:
            end = plan.ceased_on or self.today
            if (end - plan.issued_on).days < 330:
                continue
            if plan.ceased_on is None and rng.random() < 0.21:
                latest = end - timedelta(days=rng.randint(370, 600))
            else:
                latest = end - timedelta(days=rng.randint(15, 360))
            if latest >= plan.issued_on + timedelta(days=200):
                plan.last_review_meeting_on = _weekday_back(latest)

    # --- children's settings, advice and the people -------------------------------------

    def current_settings(self) -> None:
        """A child with an active plan is at the setting it names; others at a school or
        setting that suits their age, or none."""
        rng = self.rng("current-settings")
        for child in self.children:
            plan = child.active_plan
            if plan is not None:
                child.setting = plan.setting
                continue
            child.setting = self._setting_at_age(rng, child.age_on(self.today))

    def _setting_at_age(self, rng: random.Random, age: int) -> Organisation | None:
        if age < 2:
            return None
        if age < 4:
            return self._setting_for(rng, "early_years", age) if rng.random() < 0.7 else None
        if age <= 15:
            return self._setting_for(rng, "mainstream", age)
        if age <= 18:
            roll = rng.random()
            if roll < 0.6:
                return self._setting_for(rng, "fe", age)
            return self._setting_for(rng, "secondary", age) if roll < 0.8 else None
        return self._setting_for(rng, "fe", age) if rng.random() < 0.25 else None

    def _in_summer_window(self, day: date) -> tuple[date, date] | None:
        for first, last in self.summer_windows:
            if first <= day <= last:
                return first, last
        return None

    def advice(self) -> None:
        """Advice asked for each assessed case (reg 6(1)): psychological advice from the EP
        service, health, social care, and educational advice from the child's setting. Each
        body receives the request a few days after the decision and answers within 6 weeks
        as often as that year allowed, always before the draft plan."""
        rng = self.rng("advice")
        orgs = self.orgs
        for case in self.cases:
            if case.fate == "not_assess" or case.decision_on is None:
                continue
            if case.decision_on > self.today:
                continue
            child, year = case.child, case.decision_on.year
            kinds = [(AdviceKind.EDUCATIONAL_PSYCHOLOGY, orgs["ep"])]
            if rng.random() < 0.95:
                kinds.append((AdviceKind.HEALTH, orgs["nhs_provider"]))
            if rng.random() < 0.9:
                kinds.append((AdviceKind.SOCIAL_CARE, orgs["social_care"]))
            setting = self._setting_when(rng, child, case.decision_on)
            if setting is not None:
                kinds.append((AdviceKind.EDUCATION, setting))
            # Everything must be back before the draft plan or the decision not to issue.
            deadline = case.draft_on or case.not_issued_on
            for kind, org in kinds:
                asked = _weekday_in(rng, case.decision_on + DAY, case.decision_on + 6 * DAY)
                if kind == AdviceKind.EDUCATION and case.exception is None:
                    asked = self._outside_summer_window(asked, case.decision_on, deadline)
                if asked > self.today:
                    continue
                advice = Advice(kind=kind, organisation=org, requested_on=asked)
                on_time = ADVICE_ON_TIME.get(kind, {}).get(year, 0.85)
                if rng.random() < on_time:
                    days = rng.randint(12, ADVICE_DAYS)
                else:
                    mean = ADVICE_LATE_MEAN_DAYS.get(year, 20)
                    days = ADVICE_DAYS + 1 + min(250, round(rng.expovariate(1 / mean)))
                provided = asked + timedelta(days=days)
                if deadline is not None:
                    provided = min(provided, deadline - 2 * DAY)
                provided = _weekday_back(max(provided, asked))
                if provided < asked:
                    provided = asked
                if case.withdrawn_on is not None and provided >= case.withdrawn_on:
                    advice.cancelled_on = (
                        case.withdrawn_on if case.withdrawn_on <= self.today else None
                    )
                elif provided <= self.today:
                    advice.provided_on = provided
                team = self.advisers.get(self._org_key(org))
                if team:
                    waiting = advice.provided_on is None and advice.cancelled_on is None
                    # Open EP requests: a quarter are on the waiting list, not yet allocated.
                    if not (
                        waiting
                        and kind == AdviceKind.EDUCATIONAL_PSYCHOLOGY
                        and rng.random() < 0.25
                    ):
                        advice.assigned_to = (
                            team[0] if waiting and rng.random() < 0.35 else rng.choice(team)
                        )
                case.advice.append(advice)

    def _org_key(self, org: Organisation) -> str:
        for key, value in self.orgs.items():
            if value is org:
                return key
        return ""

    def _outside_summer_window(self, asked: date, decided: date, deadline: date | None) -> date:
        """Ask a school for advice outside the summer window where the case allows, so that
        only the recorded exceptions lift the 20 weeks (as in the published figures)."""
        window = self._in_summer_window(asked)
        if window is None:
            return asked
        before = _weekday_back(window[0] - DAY)
        if before > decided:
            return before
        after = window[1] + DAY
        while after.weekday() >= 5:
            after += DAY
        if deadline is None or after <= deadline - 5 * DAY:
            return after
        return asked

    def _setting_when(
        self, rng: random.Random, child: ChildRecord, day: date
    ) -> Organisation | None:
        age = child.age_on(day)
        if child.setting is not None:
            low, high = self._ages_of(child.setting)
            if low <= age <= high:
                return child.setting
        return self._setting_at_age(rng, age)

    def _ages_of(self, org: Organisation) -> tuple[int, int]:
        if org.phase == "primary":
            return 4, 10
        if org.phase == "secondary":
            return 11, 18
        if org.phase == "post-16":
            return 16, 24
        if org.phase == "early years":
            return 0, 4
        return 2, 19

    def people(self) -> None:
        """Names, ethnicity, families (a few with two children), postcodes, UPNs and NHS
        numbers."""
        rng = self.rng("people")
        ethnicities = self.pub.ethnicity
        for child in self.children:
            child.first_name = rng.choice(names.BOYS if child.sex == "M" else names.GIRLS)
            child.ethnicity = _pick(rng, ethnicities)
            if self.families and rng.random() < 0.05:
                family = rng.choice(self.families[-200:])
            else:
                postcode = names.postcode(rng)
                family = Family(surname=rng.choice(names.SURNAMES), postcode=postcode)
                self.families.append(family)
            child.family = family
            family.children.append(child)
        self._identifiers(rng)

    def _identifiers(self, rng: random.Random) -> None:
        """UPNs: a check letter, the LA number of the school that first registered the child
        (839 for BCP since April 2019, before then Bournemouth 837, Poole 836 or Dorset 835),
        the school's establishment number, the year and a serial. NHS numbers from the range
        reserved for testing (999), with their modulus 11 check digit."""
        used_upns: set[str] = set()
        used_nhs: set[str] = set()
        primaries = self.settings["primary"]
        bcp_accepted = names.upn_la_accepted("839")
        for child in self.children:
            started_school = child.born.year + (5 if child.born.month >= 9 else 4)
            age = child.age_on(self.today)
            recently_arrived = rng.random() < 0.02
            if started_school > self.today.year or age < 4 or recently_arrived:
                if age > 18:
                    child.upn_unknown_reason = "UN1"
                elif recently_arrived:
                    child.upn_unknown_reason = "UN4"
                elif (
                    child.setting is not None and child.setting.kind == OrganisationKind.EARLY_YEARS
                ):
                    child.upn_unknown_reason = "UN8"
                else:
                    child.upn_unknown_reason = "UN2"
            else:
                if started_school >= FIRST_YEAR and bcp_accepted:
                    la = "839"
                else:
                    la = rng.choices(("837", "836", "835"), weights=(45, 40, 15))[0]
                school = rng.choice(primaries).demo_establishment
                while True:
                    body = f"{la}{school:04d}{started_school % 100:02d}{rng.randint(0, 999):03d}"
                    upn = stdnum_upn.calc_check_digit(body) + body
                    if upn not in used_upns:
                        break
                used_upns.add(upn)
                child.upn = upn
            while True:
                first_nine = f"999{rng.randint(0, 999999):06d}"
                check = names.nhs_check_digit(first_nine)
                number = f"{first_nine}{check}"
                if check is not None and number not in used_nhs:
                    break
            used_nhs.add(number)
            child.nhs_number = number

    def caseworkers_for_cases(self) -> None:
        """Every case had a caseworker in post at the time. Today's open cases are shared
        between the caseworkers in post: the demo caseworker holds about 60, and a few new
        requests wait in the team's unallocated queue."""
        rng = self.rng("caseworkers")
        for case in self.cases:
            in_post = [
                u
                for u, start, end in self.caseworkers
                if start <= case.received and (end is None or end >= case.received)
            ]
            case.caseworker = rng.choice(in_post or [u for u, _, _ in self.caseworkers])
        open_cases = [c for c in self.cases if c.stage(self.today) in OPEN_STAGES]
        if not open_cases:
            return
        newest = sorted(
            (c for c in open_cases if c.stage(self.today) == Stage.AWAITING_DECISION),
            key=lambda c: (c.received, c.n),
            reverse=True,
        )
        unallocated = newest[: max(1, round(len(open_cases) * 0.08))]
        for case in unallocated:
            case.caseworker = None
        allocated = [c for c in open_cases if c.caseworker is not None]
        rng.shuffle(allocated)
        demo = self.sign_ins["caseworker@demo.test"]
        share = min(60, max(5, round(len(allocated) * 0.17)))
        colleagues = [u for u, _, end in self.caseworkers if end is None and u is not demo]
        for case in allocated[:share]:
            case.caseworker = demo
        for case in allocated[share:]:
            if case.caseworker is demo or case.caseworker not in colleagues:
                case.caseworker = rng.choice(colleagues)

    def family_sign_ins(self) -> None:
        """parent@demo.test: two children, one with a plan and one being assessed now.
        youngperson@demo.test: a young person of 17 to 20 with a plan, acting for themselves.
        youngadult@demo.test: a young person of 18 to 24 with no plan and no open request, acting
        for themselves (seed_demo_families takes their request to an issued plan).
        senco@demo.test: the SENCO of a primary school with several pupils with plans."""
        rng = self.rng("family-sign-ins")
        today = self.today
        with_plans = [k for k in self.children if k.active_plan is not None]
        being_assessed = {
            id(c.child)
            for c in self.cases
            if c.stage(today) in (Stage.ASSESSING, Stage.DRAFT_PLAN) and c.child.active_plan is None
        }
        first = self._choose(
            rng, with_plans, lambda k: 6 <= k.age_on(today) <= 12 and k.setting is not None
        ) or self._choose(rng, with_plans, lambda k: k.age_on(today) < 16)
        second = self._choose(
            rng,
            [k for k in self.children if id(k) in being_assessed and k is not first],
            lambda k: 3 <= k.age_on(today) <= 10,
        ) or self._choose(
            rng,
            [k for k in self.children if k is not first and k.active_plan is None],
            lambda k: k.age_on(today) < 12,
        )
        parent = User(
            email="parent@demo.test",
            full_name={e: n for e, _, n, _ in SIGN_INS}["parent@demo.test"],
        )
        family = Family(surname=first.family.surname, postcode=first.family.postcode, parent=parent)
        for child in (first, second):
            if child is None:
                continue
            child.family.children.remove(child)
            child.family = family
            family.children.append(child)
        self.families.append(family)
        self.sign_ins["parent@demo.test"] = parent
        self._member(parent, Role.PARENT, None)
        self.users.append(parent)

        young = self._choose(
            rng,
            [k for k in with_plans if k not in (first, second)],
            lambda k: (
                17 <= k.age_on(today) <= 20 and k.active_plan.group in ("fe", "post16_specialist")
            ),
        ) or self._choose(
            rng,
            [k for k in with_plans if k not in (first, second)],
            lambda k: 17 <= k.age_on(today) <= 20,
        )
        if young is None:  # a very small area: make one
            young = with_plans[0]
        self._own_account(young, "youngperson@demo.test")

        # Over 16 they act for themselves (CFA 2014 s.80); never a plan and no request open, so
        # the request seed_demo_families makes for them is their first plan's. Best with no
        # request at all, so the portal shows that one case.
        open_cases = {id(c.child) for c in self.cases if c.stage(today) in OPEN_STAGES}
        any_case = {id(c.child) for c in self.cases}
        free = [
            k
            for k in self.children
            if not k.plans and id(k) not in open_cases and k not in (first, second, young)
        ]
        adult = (
            self._choose(rng, free, lambda k: id(k) not in any_case and 18 <= k.age_on(today) <= 24)
            or self._choose(rng, free, lambda k: 18 <= k.age_on(today) <= 24)
            or self._choose(rng, free, lambda k: 16 <= k.age_on(today) <= 25)
        )
        if adult is None:  # a very small area: the oldest child free of a plan
            adult = max(free or self.children, key=lambda k: k.age_on(today))
        self._own_account(adult, "youngadult@demo.test")

        # The SENCO's school: the primary with the most pupils with plans, topped up to at
        # least five at a small scale.
        pupils: dict[int, list[ChildRecord]] = defaultdict(list)
        for child in with_plans:
            if child.setting is not None:
                pupils[id(child.setting)].append(child)
        primaries = self.settings["primary"]
        school = max(primaries, key=lambda o: (len(pupils[id(o)]), -primaries.index(o)))
        if len(pupils[id(school)]) < 5:
            movers = [
                k
                for k in with_plans
                if k.active_plan.group == "mainstream"
                and 4 <= k.age_on(today) <= 10
                and k.setting is not school
            ]
            for child in movers[: 5 - len(pupils[id(school)])]:
                child.setting = child.active_plan.setting = school
        self._member(self.sign_ins["senco@demo.test"], Role.SENCO, school)

    def _own_account(self, child: ChildRecord, email: str) -> None:
        """The young person's own sign-in: they act for themselves (CFA 2014 s.80)."""
        user = User(email=email, full_name=f"{child.first_name} {child.family.surname}")
        child.own_account = user
        self.sign_ins[email] = user
        self._member(user, Role.YOUNG_PERSON, None)
        self.users.append(user)

    def _choose(
        self, rng, children: list[ChildRecord], suits: Callable[[ChildRecord], bool]
    ) -> ChildRecord | None:
        suitable = [k for k in children if suits(k)]
        return rng.choice(suitable) if suitable else None

    def parents(self) -> None:
        """A parent or carer with an account for most families (not for some children in care)."""
        rng = self.rng("parents")
        relationships = {
            FamilyLink.Relationship.MOTHER: 70,
            FamilyLink.Relationship.FATHER: 22,
            FamilyLink.Relationship.CARER: 4,
            FamilyLink.Relationship.GUARDIAN: 2,
            FamilyLink.Relationship.OTHER: 2,
        }
        for n, family in enumerate(self.families):
            if family.parent is not None or not family.children:
                continue
            if rng.random() < 0.04:
                continue  # looked after: the corporate parent acts, with no family account
            family.relationship = _pick(rng, relationships)
            given = (
                names.FATHERS
                if family.relationship == FamilyLink.Relationship.FATHER
                else names.MOTHERS
            )
            first = rng.choice(given)
            email = f"{first.lower()}.{family.surname.lower()}.{n}@family.demo.test"
            family.parent = User(email=email, full_name=f"{first} {family.surname}")
            self._member(family.parent, Role.PARENT, None)
            self.users.append(family.parent)
        for child in self.children:
            if child.age_on(self.today) >= 16:
                child.young_person_allows_access = rng.random() < 0.92

    def build(self) -> DemoArea:
        started = time.perf_counter()
        self.organisations()
        self.staff_users()
        self.requests()
        self.decisions()
        self.repeat_requests()
        self.assessment_outcomes()
        self.carry_in()
        self.issue_history()
        self.issue_recent()
        self.drafts()
        self.exceptions()
        self.plans_from_requests()
        self.ceased_plans()
        self.plans_before_history()
        self.placements()
        self.reviews()
        self.current_settings()
        self.people()
        self.family_sign_ins()
        self.advice()
        self.caseworkers_for_cases()
        self.parents()
        self.building_seconds = time.perf_counter() - started
        return DemoArea(
            seed=self.seed,
            scale=self.scale,
            today=self.today,
            published=self.pub,
            organisations=self.orgs,
            settings=dict(self.settings),
            all_organisations=self.all_organisations(),
            users=self.users,
            memberships=self.memberships,
            children=self.children,
            families=self.families,
            cases=self.cases,
            plans=self.plans,
            sign_ins=self.sign_ins,
            shortfalls=self.shortfalls,
        )


def build_demo_area(
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    today: date | None = None,
    published: Published | None = None,
) -> DemoArea:
    """The whole demonstration area, decided in memory (nothing is written)."""
    return _Builder(
        seed=seed,
        scale=scale,
        today=today or date.today(),
        published=published or calibration.load_published(),
    ).build()

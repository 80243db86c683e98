"""The demonstration area's children on SEN support (issue 22): about 14 % of pupils, the
national rate, which for an area of BCP's size is roughly 7,000 children, spread over the
area's mainstream schools, colleges and early years settings by size, each with a support
plan in the EHC plan's shapes and one to four assess-plan-do-review cycles over the last
terms. Some reviews are overdue, as in life. The SENCO sign-in's school gets its share.

Written with bulk inserts (as the rest of the demonstration area is): these are history, not
today's actions, so no audit entry is made for them. A second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from stdnum.gb import upn as stdnum_upn

from everychild.accounts.models import Membership, Organisation, OrganisationKind, Role, SettingType
from everychild.areas.models import Area
from everychild.children.models import Child
from everychild.core.dates import today as local_today
from everychild.demo import calibration, names
from everychild.support.models import (
    TERMLY_WEEKS,
    BroadArea,
    ProvisionOffer,
    SupportCycle,
    SupportPlan,
)

# Children on SEN support at scale 1: about 14 % of an area of BCP's size.
CHILDREN_AT_SCALE_1 = 7000
# Primary type of need of pupils on SEN support, rounded shares approximately as DfE's
# "Special educational needs in England" reports them (SLCN and SEMH the largest).
NEED_SHARES = {
    "SLCN": 25,
    "SEMH": 20,
    "MLD": 15,
    "SPLD": 14,
    "ASD": 9,
    "OTH": 4,
    "PD": 3,
    "HI": 2,
    "VI": 1,
    "SLD": 1,
    "MSI": 1,
    "NSA": 5,
}
# Share of children by kind of setting (ages they are in).
SETTING_SHARES = {"primary": 52, "secondary": 36, "fe": 7, "early_years": 5}
AGES = {"primary": (5, 10), "secondary": (11, 15), "fe": (16, 18), "early_years": (3, 4)}

NEEDS = {
    "SLCN": ("Finds it hard to follow instructions with more than one step", "speech and language"),
    "SEMH": ("Becomes anxious at transitions and in busy rooms", "emotional wellbeing"),
    "MLD": ("Working well below age-related expectations in reading and number", "learning"),
    "SPLD": ("Reads slowly and spells phonetically (dyslexic profile)", "literacy"),
    "ASD": ("Needs predictability; changes to routine cause distress", "social communication"),
}
OUTCOMES = [
    ("Follows a two-step instruction in class without an adult repeating it", "4 of 5 times"),
    ("Uses a calm-down plan and returns to learning within 10 minutes", "Behaviour log"),
    ("Reads a book at their level aloud with 95 % accuracy", "Running record each half term"),
    ("Joins a small-group activity at break time twice a week", "Key adult's observation"),
]
PROVISION = [
    ("Small-group language sessions", "3 sessions of 20 minutes a week", "Teaching assistant"),
    ("Daily check-in with a named key adult", "10 minutes each morning", "Key adult"),
    ("Precision teaching of high-frequency words", "5 minutes a day", "Teaching assistant"),
    ("Visual timetable and now-next board", "Every lesson", "Class teacher"),
]
CATALOGUE = [
    (BroadArea.COMMUNICATION, "Visual timetables", "Every classroom shows the day's timetable "
     "in pictures and words, and staff refer to it at each change of activity."),
    (BroadArea.COMMUNICATION, "Instructions chunked and checked", "Staff give instructions one "
     "step at a time, supported by a visual, and check that they have been understood."),
    (BroadArea.COGNITION, "Pre-teaching of vocabulary", "Key words for a topic are taught in "
     "advance to pupils who need it, with pictures."),
    (BroadArea.COGNITION, "Phonics catch-up", "Daily short phonics sessions for pupils behind "
     "the school's programme, checked every half term."),
    (BroadArea.SEMH, "A named trusted adult", "Every pupil who needs one has a named adult "
     "they can go to, and a quiet space at break and lunch."),
    (BroadArea.SEMH, "Planned transitions", "Changes of class, teacher or school are prepared "
     "with visits, photographs and a social story."),
    (BroadArea.SENSORY_PHYSICAL, "Seating and lighting", "Pupils with hearing or vision needs "
     "sit where they can see and hear the teacher; glare and background noise are reduced."),
    (BroadArea.SENSORY_PHYSICAL, "Movement breaks", "Short planned movement breaks for pupils "
     "who need them, written into the class routine."),
]  # fmt: skip


class DemoSupportError(Exception):
    pass


@dataclass
class Result:
    created: bool
    children: int = 0
    plans: int = 0
    cycles: int = 0
    overdue: int = 0


def _settings(area: Area) -> dict[str, list[Organisation]]:
    found = Organisation.objects.filter(area=area, is_active=True)
    groups = {
        "primary": found.filter(
            kind=OrganisationKind.SCHOOL, phase="primary", setting_type=SettingType.MAINSTREAM
        ),
        "secondary": found.filter(
            kind=OrganisationKind.SCHOOL, phase="secondary", setting_type=SettingType.MAINSTREAM
        ),
        "fe": found.filter(kind=OrganisationKind.COLLEGE, setting_type=SettingType.FE_COLLEGE),
        "early_years": found.filter(kind=OrganisationKind.EARLY_YEARS),
    }
    return {key: list(qs.order_by("pk")) for key, qs in groups.items()}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _born(rng: random.Random, today: dt.date, low: int, high: int) -> dt.date:
    age_days = rng.randint(low * 365 + 30, high * 365 + 330)
    return today - dt.timedelta(days=age_days)


def _thread(rng: random.Random, need: str) -> dict:
    text, _ = NEEDS.get(need, ("Needs help with " + need.lower(), ""))
    outcome_text, measured = rng.choice(OUTCOMES)
    what, how_often, by_whom = rng.choice(PROVISION)
    return {
        "needs": [{"id": "b1", "text": text}],
        "outcomes": [
            {"id": "e1", "text": outcome_text, "needs": ["b1"], "by_when": "",
             "measured_by": measured}
        ],
        "provision": [
            {"id": "f1", "what": what, "how_often": how_often, "how_long": "One term",
             "by_whom": by_whom, "qualification": "", "outcomes": ["e1"]}
        ],
    }  # fmt: skip


def seed_demo_support(
    *, seed: int = 22, scale: float = 1.0, today: dt.date | None = None
) -> Result:
    today = today or local_today()
    area = Area.objects.filter(la_code=calibration.LA_CODE).first()
    if area is None:
        raise DemoSupportError("Run seed_demo_area first: there is no demonstration area.")
    if SupportPlan.objects.filter(area=area).exists():
        return Result(created=False)
    senco_member = (
        Membership.objects.filter(
            role=Role.SENCO, user__email="senco@demo.test", organisation__area=area
        )
        .select_related("user", "organisation")
        .first()
    )
    if senco_member is None:
        raise DemoSupportError("The demonstration SENCO is missing: run seed_demo_area first.")
    la_member = Membership.objects.filter(role=Role.TEAM_MANAGER, organisation__area=area).first()
    rng = random.Random(seed)
    settings = _settings(area)
    if not all(settings.values()):
        raise DemoSupportError("The demonstration area has no settings of some kind.")
    used_nhs = set(Child.objects.exclude(nhs_number="").values_list("nhs_number", flat=True))
    total = round(CHILDREN_AT_SCALE_1 * scale)
    children, plans_for = [], []
    for n in range(total):
        group = _pick(rng, SETTING_SHARES)
        # The SENCO sign-in's school has a full class's worth, so its list is worth reading.
        setting = senco_member.organisation if n < 40 else rng.choice(settings[group])
        if n < 40:
            group = "primary"
        born = _born(rng, today, *AGES[group])
        sex = rng.choice("FM")
        first = rng.choice(names.GIRLS if sex == "F" else names.BOYS)
        while True:
            first_nine = f"999{rng.randint(0, 999999):06d}"
            check = names.nhs_check_digit(first_nine)
            nhs = f"{first_nine}{check}"
            if check is not None and nhs not in used_nhs:
                break
        used_nhs.add(nhs)
        upn, unknown = "", ""
        if group in ("primary", "secondary"):
            started = born.year + (5 if born.month >= 9 else 4)
            body = f"839{3000 + n // 1000:04d}{started % 100:02d}{n % 1000:03d}"
            upn = stdnum_upn.calc_check_digit(body) + body
        else:
            unknown = "UN8" if group == "early_years" else "UN9"
        children.append(
            Child(
                area=area,
                first_name=first,
                last_name=rng.choice(names.SURNAMES),
                date_of_birth=born,
                sex=sex,
                ethnicity="NOBT",
                postcode=names.postcode(rng),
                upn=upn,
                upn_unknown_reason=unknown,
                nhs_number=nhs,
                current_setting=setting,
            )
        )
        plans_for.append(setting)
    with transaction.atomic():
        Child.objects.bulk_create(children, batch_size=1000)
        plans = []
        for child, setting in zip(children, plans_for, strict=True):
            need = _pick(rng, NEED_SHARES)
            # On SEN support for between a term and three years.
            started = today - dt.timedelta(days=rng.randint(60, 3 * 365))
            plans.append(
                SupportPlan(
                    child=child,
                    area=area,
                    started_by_setting=setting,
                    started_on=started,
                    primary_need=need,
                    child_views=rng.choice(
                        [
                            "I like it when I know what is happening next.",
                            "Reading is hard but I like stories.",
                            "I want to have more friends at break.",
                            "",
                        ]
                    ),
                    family_views="We want the same approach at home and at school.",
                    thread=_thread(rng, need),
                    created_by=senco_member.user,
                )
            )
        SupportPlan.objects.bulk_create(plans, batch_size=1000)
        cycles, overdue = [], 0
        term = dt.timedelta(weeks=TERMLY_WEEKS)
        for plan in plans:
            start, number = plan.started_on, 1
            while True:
                due = start + term
                # Most reviews are held within a fortnight of their date; about 1 in 12 is
                # late, and the last open cycle may be overdue today.
                held = due + dt.timedelta(days=rng.randint(-14, 14 if rng.random() > 0.08 else 60))
                if held >= today:
                    cycles.append(
                        SupportCycle(
                            plan=plan,
                            number=number,
                            started_on=start,
                            assessed="Observation and a standardised check of progress",
                            planned="Provision as in the plan, reviewed with the family",
                            review_due=due,
                            created_by=plan.created_by,
                        )
                    )
                    overdue += due < today
                    break
                cycles.append(
                    SupportCycle(
                        plan=plan,
                        number=number,
                        started_on=start,
                        assessed="Observation and a standardised check of progress",
                        planned="Provision as in the plan, reviewed with the family",
                        review_due=due,
                        done="Provision delivered as planned",
                        reviewed_on=held,
                        review_results={"e1": {"result": rng.choice(
                            ["met", "progressing", "progressing", "not_yet"])}},
                        review_summary="Continue, and review again next term",
                        created_by=plan.created_by,
                        reviewed_by=plan.created_by,
                    )
                )  # fmt: skip
                start, number = held, number + 1
        SupportCycle.objects.bulk_create(cycles, batch_size=2000)
        if la_member is not None:
            ProvisionOffer.objects.bulk_create(
                [
                    ProvisionOffer(
                        area=area,
                        broad_area=broad,
                        title=title,
                        description=description,
                        added_by=la_member.user,
                        added_on=today,
                    )
                    for broad, title, description in CATALOGUE
                ]
            )
    return Result(True, len(children), len(plans), len(cycles), overdue)

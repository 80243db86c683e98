"""The demonstration area's children on SEN support (issue 22): about 14 % of pupils, the
national rate, which for an area of BCP's size is roughly 7,000 children, spread over the
area's mainstream schools, colleges and early years settings by size, each with a support
plan in the EHC plan's shapes and one to four assess-plan-do-review cycles over the last
terms. Some reviews are overdue, as in life. The SENCO sign-in's school gets its share.

Written with bulk inserts (as the rest of the demonstration area is): these are history, not
today's actions, so no audit entry is made for them. A second run adds nothing."""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from stdnum.gb import upn as stdnum_upn

from everychild.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SettingType,
    User,
)
from everychild.areas.models import Area
from everychild.casework.models import Decision
from everychild.casework.services import decide_whether_to_assess
from everychild.children.models import Child
from everychild.children.services import record_first_settings
from everychild.core.dates import today as local_today
from everychild.demo import calibration, names
from everychild.support import prefill
from everychild.support.models import (
    TERMLY_WEEKS,
    BroadArea,
    OutcomeResult,
    ProvisionOffer,
    SupportCycle,
    SupportPlan,
)
from everychild.support.selectors import cycles_as_of
from everychild.support.services import request_from_plan

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
}
# DfE's figures also count "NSA" (on SEN support, no specialist assessment of the type of
# need): a support plan records the need its SENCO sees, one of NeedType's codes, so the
# demonstration leaves NSA out rather than show a parent or the board a code with no name.
# Requests for an EHC needs assessment made from support plans (decision 0241). A plan whose
# review found its outcome "not yet" met after at least two cycles is the one a SENCO would
# consider requesting from (Code 9.14: the graduated approach tried, and not enough).
# About 1.5 % of plans lead to a request in the seed's last 20 weeks: at scale 1 about 100,
# beside the area's ~1,200 requests a year, so the area's calibrated request figures move
# little. Only the last 20 weeks, so an assessment agreed is still inside its clock.
REQUEST_SHARE = 0.015
REQUEST_WINDOW_DAYS = 140
# Roughly the share of initial requests refused in England in recent years (DfE, "Education,
# health and care plans": about a quarter); with graduated-approach evidence, a little lower.
REFUSED_SHARE = 0.2
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
    requests: int = 0
    refused: int = 0
    agreed: int = 0


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
        born = {child.pk: child.date_of_birth for child in children}
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
        # On the setting's roll since they began its stage, or since SEN support began there
        # if that was earlier (the history of settings, decision 0240).
        began = {plan.child_id: plan.started_on for plan in plans}
        record_first_settings(
            children,
            started_on=lambda child: min(
                names.first_day_at_setting(born[child.pk], today), began[child.pk]
            ),
        )
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
        made = _requests_from_plans(
            rng=rng, area=area, plans=plans, cycles=cycles, today=today, senco=senco_member
        )
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
    return Result(True, len(children), len(plans), len(cycles), overdue, *made)


def _sencos(area: Area, settings, known: Membership) -> dict[int, User]:
    """A SENCO for each setting that makes a request: the demonstration SENCO for their
    school, and for the others a named person who does not sign in (no password)."""
    found = {known.organisation_id: known.user}
    existing = Membership.objects.filter(
        role=Role.SENCO, organisation__in=settings, is_active=True
    ).select_related("user")
    for membership in existing:
        found.setdefault(membership.organisation_id, membership.user)
    rng = random.Random(f"sencos-{area.pk}")
    for setting in settings:
        if setting.pk in found:
            continue
        first = rng.choice(names.GIRLS + names.BOYS)
        user = User.objects.create_user(
            f"senco.{setting.pk}@settings.demo.test",
            full_name=f"{first} {rng.choice(names.SURNAMES)}",
        )
        Membership.objects.create(user=user, organisation=setting, role=Role.SENCO)
        found[setting.pk] = user
    return found


def _requests_from_plans(*, rng, area, plans, cycles, today, senco) -> tuple[int, int, int]:
    """Requests made from plans showing little progress, through the SENCO's own service
    (support.services.request_from_plan, pre-filled by support.prefill as the SENCO's page
    is), received one to four weeks after a review in the last 20 weeks that found the
    outcome not yet met; those received
    more than 6 weeks ago decided by the council's decision-maker (reg 4(1)), about a fifth
    refused. Returns (requests, refused, agreed)."""
    by_plan: dict[int, list[SupportCycle]] = {}
    for cycle in cycles:
        by_plan.setdefault(cycle.plan_id, []).append(cycle)
    earliest = today - dt.timedelta(days=REQUEST_WINDOW_DAYS)
    candidates = []
    for plan in plans:
        # The latest review, from the second cycle on, that found the outcome not yet met.
        stuck = [
            c
            for c in by_plan.get(plan.pk, [])
            if c.number >= 2
            and c.reviewed_on is not None
            and earliest <= c.reviewed_on <= today - dt.timedelta(days=7)
            and c.review_results.get("e1", {}).get("result") == OutcomeResult.NOT_YET
        ]
        if stuck:
            candidates.append((plan, max(stuck, key=lambda c: c.number).reviewed_on))
    wanted = min(len(candidates), round(len(plans) * REQUEST_SHARE))
    chosen = rng.sample(candidates, wanted)
    if not chosen:
        return 0, 0, 0
    decider = (
        Membership.objects.filter(role=Role.DECISION_MAKER, organisation__area=area, is_active=True)
        .select_related("user")
        .first()
    )
    sencos = _sencos(area, {plan.started_by_setting for plan, _ in chosen}, senco)
    refused = agreed = 0
    for plan, reviewed_on in sorted(chosen, key=lambda pair: pair[0].pk):
        received = min(today, reviewed_on + dt.timedelta(days=rng.randint(7, 28)))
        # The history as it stood on the day of the request (copies: the cycles written
        # above keep their later reviews).
        history = cycles_as_of([copy.copy(c) for c in by_plan[plan.pk]], received)
        draft = prefill.request_draft(plan, history, [])
        case = request_from_plan(
            actor=sencos[plan.started_by_setting_id],
            plan=plan,
            setting=plan.started_by_setting,
            reason=draft["reason"],
            consent_given_by="The child's parent",
            consent_given_on=received - dt.timedelta(days=rng.randint(1, 10)),
            family_views=draft["family_views"],
            child_views=draft["child_views"],
            evidence=draft["evidence"],
            received_on=received,
        )
        decided = received + dt.timedelta(days=rng.randint(21, 42))
        if decider is None or decided > today:
            continue
        refuse = rng.random() < REFUSED_SHARE
        decide_whether_to_assess(
            actor=decider.user,
            case=case,
            version=None,
            decision=Decision.NOT_ASSESS if refuse else Decision.ASSESS,
            decided_on=decided,
            reasons="The setting's support has not yet run long enough at the right level; "
            "the local offer's specialist teaching advice is recommended first."
            if refuse
            else "The graduated approach shows needs not met by the provision the setting "
            "can make; an assessment may be necessary (s.36(8)).",
        )
        refused += refuse
        agreed += not refuse
    return len(chosen), refused, agreed

"""The entry point of the synthetic demonstration area: `seed_demo_area()` designs the whole area
in memory (area.py, with the made-up names of names.py), then writes it in one transaction
(writing.py). A second run changes nothing but, given one, the sign-ins' password."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from everychild.access.audit import AuditEvent, record_many
from everychild.access.models import AuditAction
from everychild.accounts.establishments import (
    SAMPLE_ESTABLISHMENTS,
    SAMPLE_LINKS,
    import_establishments,
)
from everychild.accounts.models import Role, User
from everychild.areas.models import Area
from everychild.casework.models import OPEN_STAGES
from everychild.demo.area import (
    DEFAULT_SEED,
    SIGN_IN_EMAILS,
    SIGN_INS,
    AreaIdentity,
    DemoArea,
    area_identity,
    build_demo_area,
    relabel,
)
from everychild.demo.calibration import Published
from everychild.demo.writing import write_demo_area


@dataclass
class SeedResult:
    created: bool
    area: Area
    # The password of the demonstration sign-ins when it was set by this run, else None.
    password: str | None
    sign_ins: list[tuple[str, str]]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    shortfalls: list[str] = field(default_factory=list)
    more: list[SeedResult] = field(default_factory=list)  # areas 2..K, with --areas


def sign_in_table(identity: AreaIdentity | None = None) -> list[tuple[str, str]]:
    identity = identity or area_identity(1)
    return [(identity.email(email), Role(role).label) for email, role, _, _ in SIGN_INS]


def summarise(demo: DemoArea) -> dict[str, int]:
    today = demo.today
    stages = Counter(c.stage(today) for c in demo.cases)
    return {
        "organisations": len(demo.all_organisations),
        "children": len(demo.children),
        "active_plans": sum(1 for p in demo.plans if p.ceased_on is None),
        "ceased_plans": sum(1 for p in demo.plans if p.ceased_on is not None),
        "requests": len(demo.cases),
        "open_cases": sum(stages[s] for s in OPEN_STAGES),
        "users": len(demo.users),
    }


def load_sample_register(area: Area) -> None:
    """Add the area's schools from the committed sample of DfE's register, as a council going
    live would load the real one (`manage.py import_establishments`)."""
    result = import_establishments(
        establishments=SAMPLE_ESTABLISHMENTS.read_bytes(),
        links=SAMPLE_LINKS.read_bytes(),
        la=area.old_la_code,
    )
    if result.problems:  # the committed sample is checked by its own tests
        raise ValueError(f"The sample register did not load: {result.problems[0]}")
    record_many(
        AuditEvent(
            action=AuditAction.CREATE if change.what == "created" else AuditAction.UPDATE,
            record_type=change.organisation._meta.label,
            record_id=str(change.organisation.pk),
            reason="DfE register of establishments (sample)",
            detail={"urn": change.organisation.urn, change.what: change.fields},
        )
        for change in result.changes
    )


def seed_demo_area(
    *,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
    scale: float = 1.0,
    today: date | None = None,
    published: Published | None = None,
    areas: int = 1,
) -> SeedResult:
    """Load the demonstration area once. If it is there already, change nothing but (when a
    password is given) the demonstration sign-ins' password.

    With `areas` K > 1, areas 2..K are loaded too, each like the first (at the same scale,
    from seed + k - 1) under its own name, codes and sign-ins (area_identity); each is loaded
    once. The result is area 1's; `more` holds the others'."""
    first = _seed_one(1, seed=seed, password=password, scale=scale, today=today,
                      published=published)  # fmt: skip
    password = first.password if first.created else password
    for number in range(2, areas + 1):
        first.more.append(
            _seed_one(
                number,
                seed=seed + number - 1,
                password=password,
                scale=scale,
                today=today,
                published=published,
            )  # fmt: skip
        )
        if password is None:  # area 1 was there already: every later area gets one new one
            password = first.more[-1].password
    if first.created or any(more.created for more in first.more):
        refresh_planner_statistics()
    return first


def refresh_planner_statistics() -> None:
    """Tell the database's planner how big the tables now are. Tens of thousands of rows
    arrive at once; until autovacuum notices (PostgreSQL) or a connection closes (SQLite) the
    planner still believes the tables nearly empty and picks plans that read every child to
    find one family's (a parent's home page took 140 ms at scale 5, 0.3 ms once analysed)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _seed_one(number, *, seed, password, scale, today, published) -> SeedResult:
    started = time.perf_counter()
    identity = area_identity(number)
    existing = Area.objects.filter(la_code=identity.la_code).first()
    if existing is not None:
        if password:
            User.objects.filter(email__in=[identity.email(e) for e in SIGN_IN_EMAILS]).update(
                password=make_password(password)
            )
        return SeedResult(
            created=False,
            area=existing,
            password=password or None,
            sign_ins=sign_in_table(identity),
            seconds=time.perf_counter() - started,
        )
    password = password or secrets.token_urlsafe(12)
    demo = build_demo_area(seed=seed, scale=scale, today=today, published=published)
    relabel(demo, identity)
    # One hash for every account: hashing thousands separately would take minutes.
    password_hash = make_password(password)
    with transaction.atomic():
        area = write_demo_area(demo, password_hash)
        if number == 1:  # the committed sample of the register is BCP's schools
            load_sample_register(area)
    return SeedResult(
        created=True,
        area=area,
        password=password,
        sign_ins=sign_in_table(identity),
        counts=summarise(demo),
        seconds=time.perf_counter() - started,
        shortfalls=demo.shortfalls,
    )

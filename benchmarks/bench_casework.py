"""Casework list pages on the demonstration area: median and p95 over 200 requests each.

Targets: My caseload (the demonstration caseworker's ~60 open cases) p95 < 150 ms; My tasks
(page and API) for the caseworker holding the most open cases p95 < 150 ms; the
breach-risk list over every open case in the area p95 < 300 ms (wall-clock, through Django's
test client: no network). The CPU time of this process is printed too: on a busy machine the
wall-clock p95 mostly measures the other processes. Each page computes the
statutory clock of every case it considers, from a constant number of queries.

Run: .venv/bin/python benchmarks/bench_casework.py   (DATABASE_URL=... for PostgreSQL)

If the demonstration seed (manage.py seed_demo_area) is not available, the benchmark builds
its own area instead: 300 open cases at every stage, 60 of them the caseworker's."""

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_database import percentile, prepare_demo_area, setup_django  # noqa: E402

REQUESTS = 200
BUSIEST = "busiest caseworker"
PAGES = [
    # (who, address, what, target p95 in ms)
    ("caseworker@demo.test", "/cases/", "My caseload", 150.0),
    ("manager@demo.test", "/cases/team/breach-risk/?show=all", "Breach-risk list (all)", 300.0),
    ("manager@demo.test", "/cases/team/breach-risk/", "Breach-risk list (at risk)", 300.0),
    ("manager@demo.test", "/cases/team/", "Team view", 300.0),
    # The busiest caseworker of the area (most open cases), whoever that is (issue 19).
    (BUSIEST, "/cases/tasks/", "My tasks (busiest)", 150.0),
    (BUSIEST, "/api/v1/tasks/", "My tasks API (busiest)", 150.0),
]


def build_own_area(open_cases: int = 300, mine: int = 60) -> None:
    """An area like the demonstration's, built with the test factories (no seed needed)."""
    from django.db import transaction
    from django.utils import timezone

    from everychild.accounts.models import Role, User
    from everychild.casework.models import AdviceKind, Decision, Stage
    from everychild.testing import factories

    if User.objects.filter(email="caseworker@demo.test").exists():
        return
    started = time.perf_counter()
    today = timezone.localdate()
    with transaction.atomic():
        area = factories.AreaFactory()
        area.setting_closures = [
            {"from": f"{y}-07-23", "to": f"{y}-09-03"}
            for y in range(today.year - 2, today.year + 2)
        ]
        area.save()
        la = factories.LocalAuthorityFactory(area=area)
        caseworker = factories.make_user(
            Role.CASEWORKER, la, email="caseworker@demo.test", full_name="Carys Wareham"
        )
        factories.make_user(
            Role.TEAM_MANAGER, la, email="manager@demo.test", full_name="Morgan Hale"
        )
        colleagues = [factories.make_user(Role.CASEWORKER, la) for _ in range(8)]
        agencies = {
            AdviceKind.EDUCATIONAL_PSYCHOLOGY: factories.EPServiceFactory(area=area),
            AdviceKind.HEALTH: factories.NHSProviderFactory(area=area),
            AdviceKind.SOCIAL_CARE: factories.SocialCareFactory(area=area),
        }
        schools = [factories.SchoolFactory(area=area) for _ in range(20)]
        for i in range(open_cases):
            received = today - dt.timedelta(days=3 + (i * 37) % 160)
            stage = [Stage.AWAITING_DECISION, Stage.ASSESSING, Stage.ASSESSING, Stage.DRAFT_PLAN][
                i % 4
            ]
            fields = {}
            if stage != Stage.AWAITING_DECISION:
                decided = min(received + dt.timedelta(days=35), today)
                fields = {"decision": Decision.ASSESS, "decision_on": decided}
            if stage == Stage.DRAFT_PLAN:
                fields["draft_plan_served_on"] = min(received + dt.timedelta(days=110), today)
            # The caseworker's cases, then colleagues' with every tenth not yet allocated.
            worker = caseworker if i < mine else colleagues[i % len(colleagues)]
            allocated = worker if i < mine or i % 10 else None
            case = factories.AssessmentRequestFactory(
                child=factories.ChildFactory(area=area, current_setting=schools[i % 20]),
                received_on=received,
                stage=stage,
                caseworker=allocated,
                **fields,
            )
            if stage != Stage.AWAITING_DECISION:
                for kind, org in agencies.items():
                    asked = fields["decision_on"] + dt.timedelta(days=2)
                    provided = asked + dt.timedelta(days=30 + i % 25)
                    factories.AdviceRequestFactory(
                        assessment_request=case,
                        kind=kind,
                        organisation=org,
                        received_by_body_on=min(asked, today),
                        provided_on=provided
                        if stage == Stage.DRAFT_PLAN or provided <= today - dt.timedelta(days=5)
                        else None,
                    )
    print(f"(built an area of {open_cases} open cases in {time.perf_counter() - started:.1f} s)")


def count_queries(client, url) -> int:
    from django.db import connection

    executed = []

    def counting(run, sql, params, many, context):
        executed.append(sql)
        return run(sql, params, many, context)

    with connection.execute_wrapper(counting):
        client.get(url)
    return len(executed)


def main() -> int:
    setup_django()
    from django.core.management.base import CommandError

    try:
        prepare_demo_area()
    except CommandError as error:  # the seed command is not installed in this checkout
        print(f"(no demonstration seed: {error}; building an area with factories)")
        build_own_area()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from everychild.accounts.models import User
    from everychild.casework.models import OPEN_STAGES, AssessmentRequest

    settings.REQUIRE_STAFF_2FA = False
    caseworker = User.objects.get(email="caseworker@demo.test")
    print(
        f"{connection.vendor}: {AssessmentRequest.objects.filter(stage__in=OPEN_STAGES).count()} "
        f"open cases in the area, "
        f"{AssessmentRequest.objects.filter(stage__in=OPEN_STAGES, caseworker=caseworker).count()}"
        " of them the caseworker's"
    )
    busiest = (
        User.objects.filter(caseload__stage__in=OPEN_STAGES)
        .annotate(open_cases=Count("caseload"))
        .order_by("-open_cases", "pk")
        .first()
    )
    print(f"busiest caseworker: {busiest.open_cases} open cases")
    missed = 0
    for email, url, what, target in PAGES:
        client = Client()
        client.force_login(busiest if email == BUSIEST else User.objects.get(email=email))
        assert client.get(url).status_code == 200
        executed = count_queries(client, url)
        timings, cpu = [], []
        for _ in range(REQUESTS):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200
        timings.sort()
        p95 = percentile(timings, 0.95)
        missed += p95 >= target
        print(
            f"{what:28s} median {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
            f"(CPU median {statistics.median(cpu):5.1f} ms; {executed} queries; "
            f"target p95 < {target:.0f} ms) "
            f"{'PASS' if p95 < target else 'MISS'}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())

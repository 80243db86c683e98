"""Every route, as every role and signed out, asked for records of ANOTHER area (and for
records that do not exist): nobody may get them, and nothing may fail with a server error.

The routes are read from the URL configuration (which includes the API router, so the OpenAPI
schema's operations are all here); each URL parameter must be named in `RECORDS` (a record of
the other area to ask for) or `NOT_RECORDS` (a value that is not a record, with a real value to
use). A route with a parameter in neither list fails the test: a new page cannot go unchecked.

What each role may see of its OWN area's records is the business of test_access_matrix.py and
each module's access tests; this sweep proves the boundary between areas and the handling of
guessed and sequential identifiers across the whole project."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from everychild.casework.models import (
    CaseDocument,
    CaseEvent,
    CaseException,
    Consultation,
    Letter,
    PanelMeeting,
    SchoolRequest,
)
from everychild.children.models import BreakGlassGrant, ChildMerge
from everychild.core.models import JobRun
from everychild.core.tests.test_url_coverage import ALL_URLS
from everychild.finance.models import Placement, Scenario
from everychild.improvement.models import BoardPackRun
from everychild.performance import measures
from everychild.plans.models import AnnualReview, Disagreement, PlanVersion
from everychild.support.models import SupportPlan
from everychild.testing import factories

from .test_access_matrix import _build_world

pytestmark = pytest.mark.django_db

GUESSED = 987_654_321  # an identifier no record has

# URL parameter -> which record of the other area to ask for. A (route prefix, name) key wins
# over a bare name where the same name means different records in different places.
RECORDS = {
    "child_id": "child",
    "other_id": "child",  # the other record of a merge
    "merge_id": "merge",
    "case_id": "case",
    "advice_id": "advice",
    "exception_id": "exception",
    "consultation_id": "consultation",
    "document_id": "document",
    "letter_id": "letter",
    "grant_id": "grant",
    "placement_id": "placement",
    "run_id": "board_pack_run",
    ("returns/", "run_id"): "sen2_checks_run",
    ("finance/", "run_id"): "forecast_job",
    ("plans/", "run_id"): "plan_pdf_run",
    ("finance/", "scenario_id"): "finance_scenario",
    ("advice/", "scenario_id"): "advice_scenario",
    ("api/v1/^children/", "pk"): "child",
    ("api/v1/^requests/", "pk"): "case",
    ("api/v1/^assessments/", "pk"): "case",
    ("api/v1/^advice-requests/", "pk"): "advice",
    ("api/v1/^case-events/", "pk"): "event",
    ("api/v1/^finance/scenarios/", "pk"): "finance_scenario",
    ("api/v1/advice/queue/", "pk"): "advice",
    "plan_id": "plan",
    "person_id": "person",  # a member of the other area's staff (staff administration)
    "organisation_id": "organisation",
    "version_id": "plan_version",
    "review_id": "review",
    "disagreement_id": "disagreement",
    ("api/v1/plans/", "pk"): "plan",
    ("api/v1/^plans/", "pk"): "plan",
    ("api/v1/^reviews/", "pk"): "review",
    "school_request_id": "school_request",  # a request another area's school made
    "meeting_id": "panel_meeting",  # a meeting of another area's panel (decision 0192)
    ("support/", "plan_id"): "support_plan",
    ("family/", "plan_id"): "support_plan",
    ("api/v1/^support-plans/", "pk"): "support_plan",
}
# Parameters that are not records of an area, with the value to use and why they are safe.
NOT_RECORDS = {
    "year": 2026,  # a financial year of one's own area's budget
    "measure_id": next(iter(measures.MEASURES)),  # measures are definitions, not records
    "step": "child",  # a step of the public request form
    "token": "not-a-real-invitation",  # a signed token: a forged one must be refused
    # The account a password reset link names: it opens nothing without the link's token
    # (accounts/tests/test_password_reset.py).
    "uidb64": "MQ",
    "kind": "child",  # which views page (the child's or the parent's)
    "number": 1,  # a version's number within a plan named by its own identifier
    "section": "B",  # a plan section's letter
    "item_id": "b1",  # an item within a section of a draft named by its own identifier
    # An item of structured advice offered to a draft named by its own identifier (only the
    # draft's own case's advice is ever offered: plans/tests/test_suggestions.py).
    "advice_item_id": 1,
    "area_id": 1,  # an area: its ordinarily available provision is public
}
# Records that belong to no area, reached only by guessing here; each is covered by its own
# module's access tests (named).
GUESSED_ONLY = {
    ("support/", "consultation_id"): "support: consultations (test_consultations.py)",
    ("support/", "offer_id"): "support: the catalogue is kept by managers (test_services.py)",
    "message_id": "notifications: administrators see every message (test_notifications)",
    "action_id": "improvement: partners' actions (improvement access tests)",
    "milestone_id": "improvement: milestones of an action",
    "evidence_id": "improvement: evidence of an action",
    "payment_id": "finance: Safety Valve payments (finance access tests)",
    ("advice/", "item_id"): "advice: items of an agency's own advice (advice isolation tests)",
    "token_id": "accounts: only the owner revokes a token (access/tests/test_api_tokens.py)",
}

ROLES = [
    "signed_out",
    "caseworker",
    "team_manager",
    "decision_maker",
    "ep",
    "ep_manager",
    "health",
    "social_care",
    "senco",
    "parent",
    "young_person",
    "board",
    "finance",
    "admin",
    "staff_admin",
    "ep_staff_admin",
    "dpo",
]
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_elsewhere(_build_world())
        transaction.set_rollback(True)


def _build_elsewhere(world):
    """Records of the other area, of every kind a URL can name."""
    case = world.cases["elsewhere"]
    child = world.children["elsewhere"]
    area = child.area
    today = timezone.localdate()
    stranger = world.user("caseworker_elsewhere")
    document = CaseDocument(
        assessment_request=case,
        title="Report",
        stored_name="b" * 32,
        original_name="report.pdf",
        content_type="application/pdf",
        size=9,
    )
    document.file.save("report", ContentFile(b"%PDF-1.7\n"), save=False)
    document.save()
    ep_elsewhere = factories.EPServiceFactory(area=area)
    from everychild.advice.models import Scenario as AdviceScenario

    world.elsewhere = {
        "child": child,
        "case": case,
        "advice": world.advice["elsewhere"],
        "event": CaseEvent.objects.create(
            assessment_request=case,
            kind="request_received",
            happened_on=case.received_on,
            summary="Request received",
        ),  # fmt: skip
        "exception": CaseException.objects.create(
            assessment_request=case,
            regulation="10(4)(c)",
            starts_on=case.received_on,
            reason="Family away",
            recorded_by=stranger,
        ),  # fmt: skip
        "consultation": Consultation.objects.create(
            assessment_request=case,
            setting=factories.SchoolFactory(area=area),
            sent_on=case.received_on,
        ),  # fmt: skip
        "document": document,
        "letter": Letter.objects.create(
            assessment_request=case,
            kind=Letter.Kind.choices[0][0],
            dated_on=today,
            html="<p>Letter</p>",
        ),  # fmt: skip
        "merge": ChildMerge.objects.create(
            kept=child,
            merged=factories.ChildFactory(area=area, merged_into=child),
            merged_by=stranger,
            merged_at=timezone.now(),
        ),  # fmt: skip
        "grant": BreakGlassGrant.objects.create(
            user=stranger,
            child=child,
            reason="Covering a colleague's case this week",
            granted_at=timezone.now(),
            expires_at=timezone.now() + dt.timedelta(hours=2),
        ),  # fmt: skip
        "placement": Placement.objects.create(
            area=area,
            plan=world.plans["elsewhere"],
            placement_type="special_independent",
            starts_on=world.plans["elsewhere"].issued_on,
        ),  # fmt: skip
        "board_pack_run": BoardPackRun.objects.create(
            area=area, as_at=today, status="done", pdf=b"%PDF-1.7", pages=1
        ),
        "sen2_checks_run": JobRun.objects.create(
            kind="sen2-checks",
            scope=f"area:{area.pk}",
            key=f"area:{area.pk}:year:2027",
            params={"area": area.pk, "year": 2027},
            status="done",
            result={"area": area.pk, "year": 2027, "failures": []},
        ),
        "forecast_job": JobRun.objects.create(
            kind="finance-forecast",
            scope=f"area:{area.pk}",
            key="scenario:elsewhere",
            params={"area": area.pk, "scenario": 0, "name": "Elsewhere's scenario"},
        ),
        "plan_pdf_run": JobRun.objects.create(
            kind="plan-pdf",
            scope=f"area:{area.pk}",
            key="plan-version:elsewhere",
            params={
                "version": PlanVersion.objects.filter(document__plan=world.plans["elsewhere"])
                .values_list("pk", flat=True)
                .first()
            },
            status="done",
            result={"file": "plan-pdfs/0/elsewhere.pdf"},
        ),  # fmt: skip
        "finance_scenario": Scenario.objects.create(area=area, name="Elsewhere's scenario"),
        "advice_scenario": AdviceScenario.objects.create(
            organisation=ep_elsewhere, name="Locums", extra_per_week=2, starts_on=today
        ),
        "plan": world.plans["elsewhere"],
        "person": stranger,
        "organisation": ep_elsewhere,
        "plan_version": factories.plan_draft_for(case),
        "review": AnnualReview.objects.create(plan=world.plans["elsewhere"], due_on=today),
        "school_request": SchoolRequest.objects.create(
            assessment_request=case,
            setting=factories.SchoolFactory(area=area),
            made_by=stranger,
            consent_given_by="A parent",
            consent_given_on=today,
            family_views="We agree",
        ),
        "disagreement": Disagreement.objects.create(
            area=area,
            child=child,
            plan=world.plans["elsewhere"],
            decision_disputed="Not to assess",
            decision_letter_on=today,
        ),  # fmt: skip
        "panel_meeting": PanelMeeting.objects.create(
            area=area, held_on=today, members="Elsewhere's panel", created_by=stranger
        ),
        "support_plan": SupportPlan.objects.create(
            child=child,
            area=area,
            started_by_setting=factories.SchoolFactory(area=area),
            started_on=today,
            primary_need="SLCN",
            created_by=stranger,
        ),
    }
    return world


def _parameter_value(route: str, name: str, world, *, guessed: bool):
    if (route.split("/")[0] + "/", name) in GUESSED_ONLY or name in GUESSED_ONLY:
        return GUESSED
    if name in NOT_RECORDS:
        return NOT_RECORDS[name]
    keyed = [key for key in RECORDS if isinstance(key, tuple) and key[1] == name]
    keyed = [key for key in keyed if route.startswith(key[0].replace("^", ""))]
    key = max(keyed, key=lambda k: len(k[0])) if keyed else name
    if key not in RECORDS:
        raise AssertionError(
            f"{route}: the parameter {name!r} has no expectation. Add it to RECORDS (a record of "
            "another area to ask for), NOT_RECORDS or GUESSED_ONLY in test_every_route.py."
        )
    return GUESSED if guessed else world.elsewhere[RECORDS[key]].pk


def _url(route: str, world, *, guessed: bool) -> str | None:
    route = re.sub(r"/\^", "/", route).removesuffix("$")
    route = re.sub(r"\\\.\(\?P<format>[^)]*\)/?", "", route)  # the API's optional .json
    if "(?P<format>" in route:
        return None

    def fill(match):
        name = match.group(1) or match.group(2)
        return str(_parameter_value(route, name, world, guessed=guessed))

    return "/" + PARAMETER.sub(fill, route)


def _routes_with_records():
    seen, out = set(), []
    for route, name, _ in ALL_URLS:
        names = {a or b for a, b in PARAMETER.findall(route)}
        if not names or names <= set(NOT_RECORDS) or "format" in names:
            continue
        if route not in seen:
            seen.add(route)
            out.append((route, name))
    return out


ROUTES = _routes_with_records()


def test_the_sweep_covers_every_route_with_a_record_in_it():
    assert len(ROUTES) > 60
    for route, _ in ROUTES:
        for a, b in PARAMETER.findall(route):
            name = a or b
            assert (
                name in NOT_RECORDS
                or name in GUESSED_ONLY
                or (route.split("/")[0] + "/", name) in GUESSED_ONLY
                or name in RECORDS
                or any(isinstance(k, tuple) and k[1] == name for k in RECORDS)
            ), f"{route}: no expectation for {name!r}"


def _clients(world) -> dict:
    clients = {}
    for who in ROLES:
        client = Client()
        if who != "signed_out":
            client.force_login(world.user(who))
        clients[who] = client
    return clients


@pytest.mark.parametrize(("route", "name"), ROUTES, ids=[r for r, _ in ROUTES])
def test_no_one_reaches_another_areas_records_or_a_guessed_one(world, route, name):
    clients = _clients(world)
    problems = []
    for guessed in (False, True):
        url = _url(route, world, guessed=guessed)
        if url is None:
            continue
        for who in ROLES:
            # A guessed identifier is asked for by GET; the other area's records by both.
            for method in ("get",) if guessed else ("get", "post"):
                response = getattr(clients[who], method)(url, HTTP_ACCEPT="text/html")
                status = response.status_code
                allowed = {401, 403, 404, 405}
                if who == "signed_out":
                    allowed.add(302)  # to the sign-in page
                    if status == 302 and "sign-in" not in response["Location"]:
                        problems.append(f"{who} {method.upper()} {url}: redirected elsewhere")
                        continue
                if status not in allowed:
                    problems.append(f"{who} {method.upper()} {url}: {status}")
    assert not problems, "\n".join(problems)

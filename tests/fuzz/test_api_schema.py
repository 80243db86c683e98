"""Schemathesis against the OpenAPI schema at /api/schema/, in-process through the WSGI
application (no server): every operation, signed in as several roles and signed out, with
data that fits the schema and data that does not. Whatever is sent, the API must never answer
with a server error (5xx), and every response it documents must match the schema.

Each operation gets a bounded number of examples so that the whole module runs in well under
two minutes; the demonstration area at 2 % of BCP gives it real records to find."""

from collections import Counter
from datetime import date

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)
from schemathesis.generation import GenerationMode

from everychild.access import tokens as api_tokens
from everychild.accounts.models import User
from everychild.casework.models import AdviceRequest, AssessmentRequest, CaseEvent
from everychild.children.models import Child
from everychild.demo.seed import seed_demo_area
from everychild.plans.models import EHCPlan
from everychild.wsgi import application

TODAY = date(2026, 11, 27)
EXAMPLES = 4  # per operation, role and mode: the whole module stays well under two minutes
ROLES = {
    "signed out": None,
    "caseworker": "caseworker@demo.test",
    "team manager": "manager@demo.test",
    "educational psychologist": "ep@demo.test",
    "parent": "parent@demo.test",
    "board member": "board@demo.test",
    "finance officer": "finance@demo.test",
}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo_area(seed=11, password="fuzz-password-123", scale=0.02, today=TODAY)
        tokens = {
            role: api_tokens.issue(
                user=User.objects.get(email=email), name="fuzzing", by_command=True
            )[1]
            for role, email in ROLES.items()
            if email
        }
        # Real identifiers, so that some examples reach records rather than 404s.
        ids = {
            "children": list(Child.objects.order_by("pk").values_list("pk", flat=True)[:5]),
            "requests": list(
                AssessmentRequest.objects.order_by("-pk").values_list("pk", flat=True)[:5]
            ),
            "assessments": list(
                AssessmentRequest.objects.order_by("-pk").values_list("pk", flat=True)[:5]
            ),
            "advice-requests": list(
                AdviceRequest.objects.order_by("-pk").values_list("pk", flat=True)[:5]
            ),
            "queue": list(AdviceRequest.objects.order_by("-pk").values_list("pk", flat=True)[:5]),
            "case-events": list(CaseEvent.objects.order_by("-pk").values_list("pk", flat=True)[:5]),
            "plans": list(EHCPlan.objects.order_by("-pk").values_list("pk", flat=True)[:5]),
        }
        yield {"tokens": tokens, "ids": ids}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def in_process_app():
    """Django's test client stops a request from closing the test's database connection; calls
    straight into the WSGI application must do the same, or the first response would end the
    module's transaction (PostgreSQL: the connection itself)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(in_process_app, world):
    return schemathesis.openapi.from_wsgi("/api/schema/", in_process_app)


def _known_ids(path: str, ids: dict) -> list[int]:
    for key, values in ids.items():
        if f"/{key}/{{id}}" in path:
            return values
    return []


def _fuzz(operation, headers: dict, ids: dict, statuses: Counter) -> list[str]:
    """Run the operation's examples; return a description of every failure found."""
    failures: list[str] = []
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    known = _known_ids(operation.path, ids)
    if known:
        strategies += [
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"id": pk})
            for pk in known[:2]
        ]

    @settings(
        max_examples=EXAMPLES * len(strategies),
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case):
        cache.clear()  # throttles count in the cache: a fuzzer is not the abuse they stop
        try:
            response = case.call(headers=headers)
            statuses[response.status_code // 100] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported
            failures.append(f"{operation.label}: {str(error)[:1500]}")

    run()
    return failures


@pytest.mark.parametrize("role", list(ROLES))
def test_no_operation_answers_with_a_server_error_or_outside_its_schema(
    role, world, api_schema, db
):
    token = world["tokens"].get(role)
    headers = {"Authorization": f"Token {token}"} if token else {}
    failures: list[str] = []
    statuses: Counter = Counter()
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        failures += _fuzz(operation, headers, world["ids"], statuses)
    assert operations >= 30
    # The examples reached the application: signed in, some were answered with records;
    # signed out, none were.
    if token:
        assert statuses[2] > 0, statuses
    else:
        assert statuses[2] == 0 and statuses[4] > 0, statuses
    # One line per distinct failure (hypothesis finds the same one many times).
    assert not failures, "\n\n".join(dict.fromkeys(failures))

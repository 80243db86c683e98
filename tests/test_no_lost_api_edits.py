"""No lost edits through the API (issue 17; decision 0174): every API operation that changes a
record takes the `version` the caller read, and a call made with a version someone else's
change has overtaken is refused with a structured 409, nothing changed. As
tests/test_no_lost_edits.py does for the pages.

The walk finds every operation that changes something from the API description itself, so a
new one fails here until it takes a version (or is listed as making a new record) and has a
stale call below."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AdviceRequest, AssessmentRequest, CaseEvent
from everychild.casework.tests.conftest import Builder
from everychild.testing import factories

pytestmark = pytest.mark.django_db

# Operations that make a new record from nothing anyone else could have changed meanwhile
# (or, the timeline, work something out and keep nothing): no version to check.
MAKES_NEW = {
    ("post", "/api/v1/children/"),
    ("post", "/api/v1/finance/scenarios/"),
    ("post", "/api/v1/requests/"),
    ("post", "/api/v1/statutory/timeline"),
    # Starts a forecast job (a new JobRun) from the scenario as it is when the job runs; the
    # scenario itself is not changed (decision 0214).
    ("post", "/api/v1/finance/scenarios/{id}/forecast/"),
}


def _on(n=1) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


# For each operation that changes a record: who calls it, and the body (less the version).
STALE_CALLS = {
    ("patch", "/api/v1/requests/{id}/"): (Role.CASEWORKER, lambda w: {"reason": "Mine."}),
    ("post", "/api/v1/advice-requests/"): (
        Role.CASEWORKER,
        lambda w: {
            "assessment": w.case.pk,
            "kind": "health",
            "organisation": w.advice.organisation_id,
            "received_by_body_on": _on(),
        },
    ),
    ("post", "/api/v1/advice-requests/{id}/cancel/"): (
        Role.CASEWORKER,
        lambda w: {"cancelled_on": _on(), "reason": "No longer needed."},
    ),
    ("post", "/api/v1/advice-requests/{id}/received/"): (
        Role.CASEWORKER,
        lambda w: {"provided_on": _on()},
    ),
    ("post", "/api/v1/assessments/{id}/allocate/"): (
        Role.TEAM_MANAGER,
        lambda w: {"caseworker": w.caseworker.pk},
    ),
    ("post", "/api/v1/assessments/{id}/consultations/"): (
        Role.CASEWORKER,
        lambda w: {"setting": w.school.pk, "sent_on": _on()},
    ),
    ("post", "/api/v1/assessments/{id}/decision/"): (
        Role.DECISION_MAKER,
        lambda w: {"decision": "assess", "decided_on": _on(), "reasons": "Evidence of need."},
    ),
    ("post", "/api/v1/assessments/{id}/decision-to-issue/"): (
        Role.DECISION_MAKER,
        lambda w: {"decided_on": _on(), "reasons": "A plan is necessary."},
    ),
    ("post", "/api/v1/assessments/{id}/draft-plan/"): (
        Role.CASEWORKER,
        lambda w: {"served_on": _on()},
    ),
    ("post", "/api/v1/assessments/{id}/exceptions/"): (
        Role.CASEWORKER,
        lambda w: {"regulation": "10(4)(c)", "starts_on": _on(), "reason": "Family away."},
    ),
    ("post", "/api/v1/assessments/{id}/family-agreement/"): (
        Role.CASEWORKER,
        lambda w: {"agreed_on": _on()},
    ),
    ("post", "/api/v1/assessments/{id}/final-plan/"): (
        Role.CASEWORKER,
        lambda w: {"issued_on": _on()},
    ),
    ("post", "/api/v1/assessments/{id}/not-to-issue/"): (
        Role.DECISION_MAKER,
        lambda w: {"decided_on": _on(), "reasons": "Needs met from the school's budget."},
    ),
    ("post", "/api/v1/assessments/{id}/withdraw/"): (
        Role.CASEWORKER,
        lambda w: {"withdrawn_on": _on(), "reason": "The family moved away."},
    ),
}


def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator  # only these tests build it

    generator = SchemaGenerator()
    return generator.get_schema(request=None, public=True)


def test_every_operation_that_changes_a_record_takes_the_version_and_documents_409():
    from everychild.access.api_schema import updating_operations  # reads the schema only

    schema = _schema()
    unchecked, untested = [], []
    for path, method, operation, body in updating_operations(schema):
        if (method, path) in MAKES_NEW:
            continue
        if (
            not body
            or "version" not in body.get("required", [])
            or "409" not in operation.get("responses", {})
        ):
            unchecked.append(f"{method.upper()} {path}")
        if (method, path) not in STALE_CALLS:
            untested.append(f"{method.upper()} {path}")
    assert not unchecked, f"Changes a record without requiring its version: {unchecked}"
    assert not untested, f"No stale call tested below: {untested}"


class World:
    """A decided case with advice asked, and someone else's change made after it was read."""

    def __init__(self, area, la):
        self.caseworker = factories.make_user(Role.CASEWORKER, la, area=area)
        decision_maker = factories.make_user(Role.DECISION_MAKER, la, area=area)
        build = Builder(self.caseworker, decision_maker, area)
        self.school = factories.SchoolFactory(area=area)
        case = build.decide(build.request(received_days_ago=60))
        self.advice = build.advice(case)
        self.case = AssessmentRequest.objects.get(pk=case.pk)
        self.read_at = self.case.version
        services.update_request(
            actor=self.caseworker,
            case=self.case,
            version=self.read_at,
            reason="Someone else's correction.",
        )

    def state(self) -> tuple:
        case = AssessmentRequest.objects.get(pk=self.case.pk)
        return (
            case.version,
            case.reason,
            case.stage,
            case.caseworker_id,
            CaseEvent.objects.filter(assessment_request=case).count(),
            AdviceRequest.objects.filter(assessment_request=case).count(),
            case.consultations.count(),
            case.exceptions.count(),
            AdviceRequest.objects.get(pk=self.advice.pk).provided_on,
            AdviceRequest.objects.get(pk=self.advice.pk).cancelled_on,
        )


@pytest.mark.parametrize(
    "operation", sorted(STALE_CALLS), ids=[f"{m.upper()} {p}" for m, p in sorted(STALE_CALLS)]
)
def test_a_stale_api_call_is_refused_with_409_and_changes_nothing(api_client, area, la, operation):
    method, path = operation
    role, body = STALE_CALLS[operation]
    world = World(area, la)
    caller = factories.make_user(role, la, area=area)
    api_client.force_authenticate(caller)
    record = world.advice.pk if path.startswith("/api/v1/advice-requests/{id}") else world.case.pk
    before = world.state()

    response = getattr(api_client, method)(
        path.replace("{id}", str(record)),
        {**body(world), "version": world.read_at},
        format="json",
    )

    assert response.status_code == 409, response.content.decode()[:500]
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("version", "case_changed")
    assert world.state() == before


def test_a_call_without_the_version_is_refused_and_changes_nothing(api_client, area, la):
    world = World(area, la)
    api_client.force_authenticate(world.caseworker)
    before = world.state()
    response = api_client.patch(
        f"/api/v1/requests/{world.case.pk}/", {"reason": "Mine."}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "version"
    assert world.state() == before

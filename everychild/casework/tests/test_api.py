"""The casework API: the same services behind every endpoint, structured validation errors,
and every endpoint in the OpenAPI description."""

import pytest

from everychild.access.models import AuditEntry
from everychild.casework.models import AssessmentRequest, CaseEvent, Stage
from everychild.casework.tests.conftest import days_ago
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def errors(response) -> dict:
    return {e["field"]: e for e in response.json()["errors"]}


def test_recording_a_request_by_api(api_client, caseworker, child):
    api_client.force_authenticate(caseworker)
    response = api_client.post(
        "/api/v1/requests/",
        {
            "child": child.pk,
            "source": "3",
            "received_on": days_ago(4).isoformat(),
            "requested_by": "Dr Lee, community paediatrician",
            "reason": "Global developmental delay",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["stage"] == "awaiting_decision" and body["version"] == 1
    case = AssessmentRequest.objects.get(pk=body["id"])
    assert CaseEvent.objects.get(assessment_request=case).kind == "request_received"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"source": "7"}, "source", "invalid_choice"),
        ({"received_on": "2025-02-30"}, "received_on", "invalid"),
        ({"received_on": "tomorrow"}, "received_on", "invalid"),
        ({"received_on": "2999-01-01"}, "received_on", "future"),
        ({"received_on": "2013-01-01"}, "received_on", "before_2014"),
        ({"reason": ""}, "reason", "required"),
        ({"child": 987654}, "child", "not_found"),
    ],
)
def test_bad_requests_get_structured_errors_and_write_nothing(
    api_client, caseworker, child, body, field, code
):
    api_client.force_authenticate(caseworker)
    payload = {
        "child": child.pk,
        "source": "1",
        "received_on": days_ago(1).isoformat(),
        "requested_by": "Parent",
        "reason": "Needs",
        **body,
    }
    audits = AuditEntry.objects.count()
    response = api_client.post("/api/v1/requests/", payload, format="json")
    assert response.status_code == 400
    error = errors(response)[field]
    assert error["code"] == code and error["message"]
    assert not AssessmentRequest.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_the_journey_by_api(api_client, build, caseworker, decision_maker, ep_service, school):
    case = build.request(received_days_ago=100)
    api_client.force_authenticate(caseworker)
    # The caseworker may not decide.
    refused = api_client.post(
        f"/api/v1/assessments/{case.pk}/decision/",
        {
            "version": 1,
            "decision": "assess",
            "decided_on": days_ago(90).isoformat(),
            "reasons": "R",
        },
        format="json",
    )
    assert refused.status_code == 403
    api_client.force_authenticate(decision_maker)
    decided = api_client.post(
        f"/api/v1/assessments/{case.pk}/decision/",
        {
            "version": 1,
            "decision": "assess",
            "decided_on": days_ago(90).isoformat(),
            "reasons": "R",
        },
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["stage"] == "assessing"
    version = decided.json()["version"]
    api_client.force_authenticate(caseworker)
    advice = api_client.post(
        "/api/v1/advice-requests/",
        {
            "assessment": case.pk,
            "version": version,
            "kind": "ep",
            "organisation": ep_service.pk,
            "received_by_body_on": days_ago(88).isoformat(),
        },
        format="json",
    )
    assert advice.status_code == 201, advice.json()
    listed = api_client.get("/api/v1/advice-requests/", {"assessment": case.pk}).json()
    assert [a["id"] for a in listed["results"]] == [advice.json()["id"]]
    version += 1
    received = api_client.post(
        f"/api/v1/advice-requests/{advice.json()['id']}/received/",
        {"version": version, "provided_on": days_ago(60).isoformat()},
        format="json",
    )
    assert received.status_code == 200 and received.json()["provided_on"]
    version += 1
    early = api_client.post(
        f"/api/v1/assessments/{case.pk}/final-plan/",
        {"version": version, "issued_on": days_ago(1).isoformat()},
        format="json",
    )
    assert early.status_code == 400
    assert errors(early)["issued_on"]["code"] == "no_decision_to_issue"
    # The panel decides to issue (decision 0192); the caseworker may not.
    to_issue = {"version": version, "decided_on": days_ago(50).isoformat(), "reasons": "R"}
    path = f"/api/v1/assessments/{case.pk}/decision-to-issue/"
    assert api_client.post(path, to_issue, format="json").status_code == 403
    api_client.force_authenticate(decision_maker)
    issue_decided = api_client.post(path, to_issue, format="json")
    assert issue_decided.status_code == 200, issue_decided.json()
    version = issue_decided.json()["version"]
    api_client.force_authenticate(caseworker)
    early = api_client.post(
        f"/api/v1/assessments/{case.pk}/final-plan/",
        {"version": version, "issued_on": days_ago(1).isoformat()},
        format="json",
    )
    assert errors(early)["issued_on"]["code"] == "no_draft"
    draft = api_client.post(
        f"/api/v1/assessments/{case.pk}/draft-plan/",
        {"version": version, "served_on": days_ago(40).isoformat()},
        format="json",
    )
    assert draft.status_code == 200
    version = draft.json()["version"]
    consulted = api_client.post(
        f"/api/v1/assessments/{case.pk}/consultations/",
        {"version": version, "setting": school.pk, "sent_on": days_ago(39).isoformat()},
        format="json",
    )
    assert consulted.status_code == 201
    version += 1
    no_plan = api_client.post(
        f"/api/v1/assessments/{case.pk}/final-plan/",
        {"version": version, "issued_on": days_ago(2).isoformat()},
        format="json",
    )
    assert errors(no_plan)["issued_on"]["code"] == "no_plan_draft"
    factories.plan_draft_for(case)  # the plan's sections are written (the plans app)
    final = api_client.post(
        f"/api/v1/assessments/{case.pk}/final-plan/",
        {"version": version, "issued_on": days_ago(2).isoformat()},
        format="json",
    )
    assert final.status_code == 200, final.json()
    body = final.json()
    assert body["stage"] == Stage.PLAN_ISSUED
    statuses = {m["key"]: m["status"] for m in body["milestones"]}
    assert statuses["decision_whether_to_assess"] == "met"
    assert statuses["final_plan"] == "met"
    assert statuses["draft_plan_comments_close"] == "met"
    events = api_client.get("/api/v1/case-events/", {"assessment": case.pk}).json()["results"]
    assert [e["kind"] for e in events] == [
        "request_received",
        "decision_to_assess",
        "advice_requested",
        "advice_provided",
        "decision_to_issue",
        "draft_plan_served",
        "consultation_sent",
        "final_plan_issued",
    ]


def test_the_assessment_gives_the_engines_timeline(api_client, build, caseworker):
    case = build.request(received_days_ago=10)
    api_client.force_authenticate(caseworker)
    body = api_client.get(f"/api/v1/assessments/{case.pk}/").json()
    decision = next(m for m in body["milestones"] if m["key"] == "decision_whether_to_assess")
    assert decision["due"] == days_ago(10 - 42).isoformat()
    assert decision["regulation"] == "SEND Regulations 2014 reg 4(1) and 5(1)"
    assert body["next_legal_date"]["key"] == "decision_whether_to_assess"
    assert body["clock_status"] == "on_track"


def test_a_step_without_its_version_is_refused(api_client, build, caseworker):
    case = build.decide(build.request())
    api_client.force_authenticate(caseworker)
    response = api_client.post(
        f"/api/v1/assessments/{case.pk}/withdraw/",
        {"withdrawn_on": days_ago(1).isoformat(), "reason": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert errors(response)["version"]["code"] == "required"


def test_unknown_codes_are_refused(api_client, build, caseworker):
    case = build.decide(build.request(received_days_ago=30))
    api_client.force_authenticate(caseworker)
    response = api_client.post(
        f"/api/v1/assessments/{case.pk}/exceptions/",
        {
            "version": case.version,
            "regulation": "10(4)(a)",
            "starts_on": days_ago(3).isoformat(),
            "reason": "Summer",
        },
        format="json",
    )
    assert response.status_code == 400
    assert errors(response)["regulation"]["code"] == "invalid_choice"


def test_every_casework_endpoint_is_in_the_openapi_description(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/requests/",
        "/api/v1/requests/{id}/",
        "/api/v1/assessments/",
        "/api/v1/assessments/{id}/",
        "/api/v1/assessments/{id}/decision/",
        "/api/v1/assessments/{id}/draft-plan/",
        "/api/v1/assessments/{id}/final-plan/",
        "/api/v1/assessments/{id}/not-to-issue/",
        "/api/v1/assessments/{id}/withdraw/",
        "/api/v1/assessments/{id}/allocate/",
        "/api/v1/assessments/{id}/consultations/",
        "/api/v1/assessments/{id}/exceptions/",
        "/api/v1/assessments/{id}/family-agreement/",
        "/api/v1/advice-requests/",
        "/api/v1/advice-requests/{id}/",
        "/api/v1/advice-requests/{id}/received/",
        "/api/v1/advice-requests/{id}/cancel/",
        "/api/v1/case-events/",
        "/api/v1/case-events/{id}/",
    ):
        assert path in paths, path
    decision = schema["paths"]["/api/v1/assessments/{id}/decision/"]["post"]
    ref = decision["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/DecisionRequest")


def test_the_api_lists_audit_each_child_shown(api_client, build, caseworker):
    cases = [build.request(), build.request()]
    api_client.force_authenticate(caseworker)
    before = AuditEntry.objects.count()
    api_client.get("/api/v1/assessments/")
    shown = AuditEntry.objects.filter(seq__gt=before, action="view")
    assert {e.child_id for e in shown} == {c.child_id for c in cases}

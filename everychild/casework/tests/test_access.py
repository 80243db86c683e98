"""Who reaches casework: a caseworker of another LA, an agency user, a SENCO and a parent
reach no case page or endpoint for a case that is not theirs, by URL or by API, whatever
they try (GET or POST); the area's own caseworker does."""

import io

import pytest
from django.urls import URLPattern, get_resolver

from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AssessmentRequest, CaseEvent, Consultation
from everychild.casework.tests.conftest import days_ago
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _casework_routes() -> list[str]:
    resolver = get_resolver()
    [cases] = [p for p in resolver.url_patterns if str(p.pattern) == "cases/"]
    return [f"/cases/{p.pattern}" for p in cases.url_patterns if isinstance(p, URLPattern)]


ROUTES = _casework_routes()


@pytest.fixture
def world(build, caseworker, area, school):
    """A case in the area at the draft stage with advice, a consultation, an exception, a
    letter and a document, and the people who try to reach it."""
    case = build.assessed_to_draft(draft_days_ago=20)
    advice = case.advice_requests.get()
    consultation = services.send_consultation(
        actor=caseworker, case=case, version=None, setting=school, sent_on=days_ago(19)
    )
    exception = services.record_exception(
        actor=caseworker,
        case=case,
        version=None,
        regulation="10(4)(c)",
        starts_on=days_ago(15),
        reason="Illness",
    )
    upload = io.BytesIO(b"%PDF-1.4 a report")
    upload.name = "report.pdf"
    upload.size = len(upload.getvalue())
    document = services.upload_document(actor=caseworker, case=case, upload=upload, title="EP")
    pupil_school = factories.SchoolFactory(area=area)
    case.child.current_setting = pupil_school
    case.child.save()
    parent_link = factories.FamilyLinkFactory(child=case.child)
    case.refresh_from_db()
    ids = {
        "case_id": case.pk,
        "advice_id": advice.pk,
        "consultation_id": consultation.pk,
        "exception_id": exception.pk,
        "document_id": document.pk,
        "letter_id": 999999,
    }
    people = {
        "caseworker_elsewhere": factories.make_user(
            Role.CASEWORKER, area=factories.OtherAreaFactory()
        ),
        "manager_elsewhere": factories.make_user(
            Role.TEAM_MANAGER, area=factories.OtherAreaFactory()
        ),
        "ep_asked_for_advice": factories.make_user(
            Role.EDUCATIONAL_PSYCHOLOGIST, advice.organisation
        ),
        "health": factories.make_user(Role.HEALTH_ADVISER, area=area),
        "senco_of_the_childs_school": factories.make_user(Role.SENCO, pupil_school),
        "parent_of_the_child": parent_link.user,
    }
    return case, ids, people


def _fill(route: str, ids: dict) -> str:
    for key, value in ids.items():
        route = route.replace(f"<int:{key}>", str(value))
    return route


OUTSIDERS = [
    "caseworker_elsewhere",
    "manager_elsewhere",
    "ep_asked_for_advice",
    "health",
    "senco_of_the_childs_school",
    "parent_of_the_child",
]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_case_page_is_reachable_by_url(client, world, who):
    case, ids, people = world
    client.force_login(people[who])
    versions = case.version
    for route in ROUTES:
        url = _fill(route, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"version": case.version, "text": "x"})
            if "<int:case_id>" in route:
                # Never the page: 403 (no casework at all) or 404 (not your case).
                assert response.status_code in (403, 404, 405), (who, method, url)
            else:
                # The lists: refused, or showing nothing of the case.
                assert case.reference not in response.content.decode(), (who, method, url)
                assert case.child.last_name not in response.content.decode(), (who, method, url)
    case.refresh_from_db()
    assert case.version == versions


def test_a_caseworker_of_another_area_gets_not_found(client, world):
    case, ids, people = world
    client.force_login(people["caseworker_elsewhere"])
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/documents/{ids['document_id']}/").status_code == 404


@pytest.mark.parametrize("who", ["ep_asked_for_advice", "senco_of_the_childs_school"])
def test_agencies_and_sencos_have_no_casework_pages_at_all(client, world, who):
    case, _, people = world
    client.force_login(people[who])
    assert client.get("/cases/").status_code == 403
    assert client.get(f"/cases/{case.pk}/").status_code == 403


API_LISTS = [
    "/api/v1/requests/",
    "/api/v1/assessments/",
    "/api/v1/advice-requests/",
    "/api/v1/case-events/",
]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_no_case_endpoint_is_reachable_by_api(api_client, world, who):
    case, ids, people = world
    api_client.force_authenticate(people[who])
    for url in API_LISTS:
        response = api_client.get(url)
        assert response.status_code in (200, 403), (who, url)
        if response.status_code == 200:
            assert response.json()["results"] == [], (who, url)
    details = [
        f"/api/v1/requests/{case.pk}/",
        f"/api/v1/assessments/{case.pk}/",
        f"/api/v1/advice-requests/{ids['advice_id']}/",
        f"/api/v1/case-events/{CaseEvent.objects.filter(assessment_request=case).first().pk}/",
    ]
    for url in details:
        assert api_client.get(url).status_code in (403, 404), (who, url)
    today = days_ago(0).isoformat()
    v = case.version
    writes = [
        ("patch", f"/api/v1/requests/{case.pk}/", {"version": v, "reason": "x"}),
        ("post", f"/api/v1/assessments/{case.pk}/final-plan/", {"version": v, "issued_on": today}),
        (
            "post",
            f"/api/v1/assessments/{case.pk}/withdraw/",
            {"version": v, "withdrawn_on": today, "reason": "x"},
        ),
        (
            "post",
            f"/api/v1/advice-requests/{ids['advice_id']}/cancel/",
            {"version": v, "cancelled_on": today, "reason": "x"},
        ),
        (
            "post",
            "/api/v1/advice-requests/",
            {
                "version": v,
                "assessment": case.pk,
                "kind": "ep",
                "organisation": 1,
                "received_by_body_on": today,
            },
        ),
        (
            "post",
            "/api/v1/requests/",
            {
                "child": case.child_id,
                "source": "1",
                "received_on": today,
                "requested_by": "x",
                "reason": "y",
            },
        ),
    ]
    for method, url, body in writes:
        response = getattr(api_client, method)(url, body, format="json")
        assert response.status_code in (400, 403, 404), (who, url, response.status_code)
        if response.status_code == 400:
            # Refused for want of a child they may use, not for a bad field.
            assert response.json()["errors"][0]["field"] == "child", response.json()
    case.refresh_from_db()
    assert case.stage == "draft_plan"
    assert AssessmentRequest.objects.count() == 1
    assert Consultation.objects.count() == 1


def test_the_areas_caseworker_reaches_the_case(client, api_client, world, caseworker):
    case, ids, _ = world
    client.force_login(caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    api_client.force_authenticate(caseworker)
    assert api_client.get(f"/api/v1/assessments/{case.pk}/").status_code == 200
    assert [r["id"] for r in api_client.get("/api/v1/requests/").json()["results"]] == [case.pk]


def test_the_case_page_is_audited(client, world, caseworker):
    from everychild.access.models import AuditEntry

    case, _, _ = world
    client.force_login(caseworker)
    client.get(f"/cases/{case.pk}/")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.child_id, entry.record_id) == ("view", case.child_id, str(case.pk))

"""The service's own pages: the health check, the home page, the public pages, error pages."""

from unittest import mock

import pytest
from django.db.utils import OperationalError

from everychild.accounts.models import Role
from everychild.casework.tests.conftest import days_ago
from everychild.testing import factories


@pytest.mark.django_db
def test_healthz_reports_the_service_and_its_database(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "version": settings.EVERYCHILD_VERSION,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_database_when_it_is_unreachable(client, caplog):
    with mock.patch(
        "django.db.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "unreachable"
    assert "database unreachable" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/accessibility/", "/privacy/", "/account/sign-in/"])
def test_public_pages_need_no_sign_in(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_the_home_page_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/?next=/"


@pytest.mark.django_db
def test_the_home_page_greets_a_caseworker_with_their_areas_open_cases(client, caseworker, area):
    factories.AssessmentRequestFactory(child=factories.ChildFactory(area=area))
    factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area), caseworker=caseworker
    )
    factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=factories.OtherAreaFactory())
    )
    client.force_login(caseworker)
    text = client.get("/").content.decode()
    assert "Hello, Casey" in text
    assert "1 of them is allocated to you. 1 is waiting to be allocated." in text
    assert "You can see 2 children&#x27;s records." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.CASEWORKER, {"/", "/children/"}),
        (Role.TEAM_MANAGER, {"/", "/children/", "/access/exceptional-access/review/"}),
        (Role.PARENT, {"/"}),  # their children are under "Your children", the portal
        (Role.BOARD_MEMBER, {"/"}),
    ],
)
def test_the_navigation_offers_only_the_places_the_role_may_go(client, role, links):
    client.force_login(factories.make_user(role))
    text = client.get("/").content.decode()
    offered = {
        href
        for href in ("/", "/children/", "/access/exceptional-access/review/")
        if f'class="govuk-service-navigation__link" href="{href}"' in text
    }
    assert offered == links


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "offered"), [(Role.CASEWORKER, True), (Role.PARENT, False)])
def test_staff_find_their_api_tokens_in_the_navigation(client, role, offered):
    client.force_login(factories.make_user(role))
    text = client.get("/").content.decode()
    link = 'class="govuk-service-navigation__link" href="/account/api-tokens/"'
    assert (link in text) is offered
    if offered:
        assert client.get("/account/api-tokens/").status_code == 200


@pytest.mark.django_db
def test_an_unknown_page_is_not_found_in_the_services_style(client, caseworker):
    client.force_login(caseworker)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_structured_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "code": "not_found", "message": "Not found."}]
    }


def test_every_page_carries_a_strict_content_security_policy(client, db):
    response = client.get("/account/sign-in/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_the_home_page_leads_with_the_caseworkers_tasks(client, caseworker, area):
    case = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area, first_name="Maya"),
        caseworker=caseworker,
        received_on=days_ago(60),  # the decision whether to assess is late
    )
    client.force_login(caseworker)
    text = client.get("/").content.decode()
    assert text.index("My tasks") < text.index("Requests for assessment in progress")
    assert "1 overdue" in text
    assert f'href="/cases/{case.pk}/"' in text  # the case, where the papers are prepared
    assert 'href="/cases/tasks/"' in text


def test_a_team_managers_home_page_leads_with_the_teams_tasks(client, area):
    la = factories.LocalAuthorityFactory(area=area)
    manager = factories.make_user(Role.TEAM_MANAGER, la)
    worker = factories.make_user(Role.CASEWORKER, la, full_name="Casey Worker")
    factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area), caseworker=worker, received_on=days_ago(20)
    )
    client.force_login(manager)
    text = client.get("/").content.decode()
    assert "Your team's tasks" in text and "(Casey Worker)" in text
    assert "/cases/tasks/?caseworker=all" in text


def test_a_family_is_sent_to_its_portal_from_home_not_to_find_a_child(client, area):
    """A parent's home page leads to their children's portal; a young person's speaks to them
    as "you" (CFA 2014 s.80). Neither is offered staff's "Find a child"."""
    link = factories.FamilyLinkFactory(child__area=area)
    client.force_login(link.user)
    page = client.get("/").content.decode()
    assert "See where things are with your children" in page
    assert 'href="/family/"' in page
    assert "Find a child" not in page

    young = factories.make_user(Role.YOUNG_PERSON)
    factories.ChildFactory(area=area, own_account=young)
    client.force_login(young)
    page = client.get("/").content.decode()
    assert "Your assessment and plan" in page
    assert "See where things are with you" in page
    assert "your child" not in page.lower()
    assert "Find a child" not in page

"""The children API for integrations: tokens, structured errors, the OpenAPI description."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from everychild.accounts.models import Role
from everychild.testing import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/children/"


def _token_for(email: str, *args) -> str:
    out = io.StringIO()
    call_command("api_token", email, *args, stdout=out)
    return out.getvalue().strip()


def test_api_token_prints_a_token_that_reads_the_children_api(api_client, caseworker, child):
    token = _token_for(caseworker.email)
    assert len(token) == 40
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api_client.get(LIST)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [child.pk]
    # Each run makes a new token (only hashes are kept, so none can be shown again).
    second = _token_for(caseworker.email.upper())
    assert second != token
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api_client.get(LIST).status_code == 200


def test_a_rotated_token_replaces_the_old_one(api_client, caseworker):
    old = _token_for(caseworker.email)
    new = _token_for(caseworker.email, "--rotate")
    assert new != old
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert api_client.get(LIST).status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api_client.get(LIST).status_code == 200


def test_api_token_refuses_an_unknown_or_deactivated_address(caseworker):
    with pytest.raises(CommandError, match="No active user has the e-mail address"):
        _token_for("nobody@example.test")
    caseworker.is_active = False
    caseworker.save()
    with pytest.raises(CommandError):
        _token_for(caseworker.email)


def test_a_token_carries_its_users_access_and_no_more(api_client, area, other_area):
    mine = factories.ChildFactory(area=area)
    factories.ChildFactory(area=other_area)
    senco_school = factories.SchoolFactory(area=area)
    pupil = factories.ChildFactory(area=area, current_setting=senco_school)
    senco = factories.make_user(Role.SENCO, senco_school)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {_token_for(senco.email)}")
    assert [row["id"] for row in api_client.get(LIST).json()["results"]] == [pupil.pk]
    assert api_client.get(f"{LIST}{mine.pk}/").status_code == 404


def test_a_board_members_token_reads_no_child(api_client, la):
    board = factories.make_user(Role.BOARD_MEMBER, la)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {_token_for(board.email)}")
    response = api_client.get(LIST)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_signed_out_calls_get_401_with_a_structured_error(api_client, child):
    for path in (LIST, f"{LIST}{child.pk}/"):
        response = api_client.get(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response.json() == {
            "errors": [
                {
                    "field": None,
                    "code": "not_authenticated",
                    "message": "Authentication credentials were not provided.",
                }
            ]
        }
    response = api_client.post(LIST, {"first_name": "Ada"}, format="json")
    assert response.status_code == 401


def test_a_wrong_token_gets_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api_client.get(LIST)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authentication_failed"


def test_the_list_searches_and_pages(api_client, caseworker, area):
    children = factories.ChildFactory.create_batch(3, area=area)
    api_client.force_authenticate(caseworker)
    found = api_client.get(LIST, {"q": children[1].upn}).json()
    assert [row["id"] for row in found["results"]] == [children[1].pk]
    page = api_client.get(LIST, {"limit": 2}).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]


def test_the_openapi_description_is_public_and_lists_the_children_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/children/" in schema["paths"]
    assert "/api/v1/children/{id}/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/children/"]) >= {"get", "post"}


def test_the_api_documentation_page_is_served_without_third_parties(client):
    """The documentation is a page of the service (decision 0203): no script or style from
    anywhere else, and every operation of the schema is on it."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "cdn." not in text
    assert not re.search(r'(?:src|href)="https?://(?!127\.0\.0\.1|localhost|testserver)', text)
    assert "/api/v1/children/" in text
    assert "/api/schema/" in text

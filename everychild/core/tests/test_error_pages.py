"""A request the service cannot understand, and a database that fails as a request ends, each
get a page in the service's own words; the second is the service's fault and says so."""

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError


@pytest.mark.django_db
def test_a_host_that_is_not_ours_gets_the_services_own_bad_request_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Sorry, the service could not understand that request" in response.content
    assert b"Nothing was changed" in response.content


@pytest.mark.django_db
def test_the_database_failing_as_the_session_is_saved_is_a_problem_with_the_service(
    client, team_manager
):
    # Seen in the fault test: PostgreSQL restarted between a page's reads and the session's
    # save, and Django answered "400 Bad Request" (SessionInterrupted) as if the person had
    # done something wrong.
    client.force_login(team_manager)
    with mock.patch.object(Session, "save", side_effect=OperationalError("server closed")):
        response = client.get("/cases/team/")
        api = client.get("/api/v1/tasks/")
    assert response.status_code == 503
    assert b"Sorry, there is a problem with the service" in response.content
    assert api.status_code == 503
    assert api.json()["errors"][0]["code"] == "unavailable"

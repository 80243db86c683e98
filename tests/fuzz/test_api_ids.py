"""Ids the fuzzer found reaching the database unchecked (each was a 500): a number too large
for any row, or text where an id belongs. Each must be a 404 (path) or a structured 400
(query string or body), never a server error."""

import pytest

from everychild.testing import factories

HUGE = str(10**30)


@pytest.fixture
def signed_in(api_client, caseworker, area):
    factories.AssessmentRequestFactory(area=area, caseworker=caseworker)
    api_client.force_authenticate(caseworker)
    return api_client


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/case-events/{HUGE}/",
        "/api/v1/case-events/true/",
        "/api/v1/case-events/%C2%B2/",  # "²": a digit to str.isdigit, not to int()
        f"/api/v1/advice-requests/{HUGE}/",
        "/api/v1/advice-requests/%C2%B2/",
        f"/api/v1/requests/{HUGE}/",
        f"/api/v1/assessments/{HUGE}/",
        f"/api/v1/children/{HUGE}/",
        "/api/v1/reviews/false/",
        f"/api/v1/reviews/{HUGE}/",
    ],
)
def test_an_id_that_names_no_record_is_not_found(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/case-events/", "/api/v1/advice-requests/"])
@pytest.mark.parametrize("value", [HUGE, "0", "-3", "'; DROP TABLE casework_caseevent; --"])
def test_a_case_filter_that_is_not_an_id_is_a_structured_error(signed_in, path, value):
    response = signed_in.get(path, {"assessment": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "assessment"


def test_an_id_too_large_in_a_body_is_refused_by_its_field(signed_in):
    response = signed_in.post(
        "/api/v1/requests/",
        {"child": int(HUGE), "received_on": "2026-11-02", "source": "family"},
        format="json",
    )
    assert response.status_code == 400
    assert "child" in {error["field"] for error in response.json()["errors"]}

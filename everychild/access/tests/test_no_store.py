"""Pages and API answers with personal data are not kept by browsers or proxies: a shared
office computer's back button or disk cache must not show a child's record to the next
person (UK GDPR art. 32, security of processing)."""

import pytest

from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_staff_page_with_a_child_is_not_stored(client, caseworker, child):
    client.force_login(caseworker)
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert _no_store(response)


def test_a_staff_list_is_not_stored(client, caseworker, child):
    client.force_login(caseworker)
    assert _no_store(client.get("/children/"))


def test_an_api_answer_is_not_stored(api_client, caseworker, child):
    api_client.force_authenticate(caseworker)
    response = api_client.get(f"/api/v1/children/{child.pk}/")
    assert response.status_code == 200
    assert _no_store(response)


def test_an_api_refusal_is_not_stored_either(api_client):
    assert _no_store(api_client.get("/api/v1/children/"))


def test_a_family_page_is_not_stored(client, area):
    link = factories.FamilyLinkFactory(child=factories.ChildFactory(area=area))
    client.force_login(link.user)
    response = client.get("/")
    assert _no_store(response)

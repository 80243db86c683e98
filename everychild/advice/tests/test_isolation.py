"""Each agency sees only its own requests, by page and by API, guessed ids included."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from everychild.access.models import AuditEntry


@pytest.mark.parametrize("who", ["ep", "health", "social"])
def test_each_agency_sees_only_its_own_requests_on_the_queue_page(client, area_setup, who):
    client.force_login(area_setup[who])
    page = client.get(reverse("advice:queue")).content.decode()
    for key, advice in area_setup["advice"].items():
        reference = advice.assessment_request.reference
        name = advice.assessment_request.child.full_name
        if key == who:
            assert reference in page and name in page
        else:
            assert reference not in page and name not in page


@pytest.mark.parametrize("who", ["ep", "health", "social"])
def test_another_agencys_request_is_not_found_by_page_or_api(client, area_setup, who):
    client.force_login(area_setup[who])
    api = APIClient()
    api.force_authenticate(area_setup[who])
    for key, advice in area_setup["advice"].items():
        page = client.get(reverse("advice:request", args=[advice.pk]))
        one = api.get(f"/api/v1/advice/queue/{advice.pk}/")
        if key == who:
            assert page.status_code == 200 and one.status_code == 200
        else:
            assert page.status_code == 404 and one.status_code == 404
            for step in ("allocate", "submit", "item-add", "appointment"):
                assert client.get(reverse(f"advice:{step}", args=[advice.pk])).status_code == 404
    # Guessed ids that belong to nobody.
    for guess in (0, 999_999):
        assert client.get(reverse("advice:request", args=[guess])).status_code == 404
        assert api.get(f"/api/v1/advice/queue/{guess}/").status_code == 404


@pytest.mark.parametrize("who", ["ep", "health", "social"])
def test_the_api_queue_lists_only_the_agencys_own(area_setup, who):
    api = APIClient()
    api.force_authenticate(area_setup[who])
    rows = api.get("/api/v1/advice/queue/?show=all").json()["results"]
    assert [r["id"] for r in rows] == [area_setup["advice"][who].pk]


def test_the_queue_and_a_request_are_audited(client, area_setup):
    client.force_login(area_setup["ep"])
    advice = area_setup["advice"]["ep"]
    before = AuditEntry.objects.count()
    client.get(reverse("advice:queue"))
    client.get(reverse("advice:request", args=[advice.pk]))
    entries = AuditEntry.objects.filter(seq__gt=before, actor=area_setup["ep"])
    assert entries.filter(child_id=advice.assessment_request.child_id).count() == 2


def test_a_caseworker_and_a_parent_cannot_open_the_agency_queue(client, area_setup):
    client.force_login(area_setup["caseworker"])
    assert client.get(reverse("advice:queue")).status_code == 403
    assert client.get(reverse("advice:forecast")).status_code == 403

"""Issue 17, identity: the public timeline API's limits hold across workers, and one call
cannot make the server do unbounded work.

The attacks: spreading calls over the service's workers so each process's own count stays
under the limit, and one call with a huge body or thousands of facts."""

import json

import pytest
from django.core.cache import cache, caches
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from everychild.timelines import api as timeline_api

pytestmark = pytest.mark.django_db
URL = "/api/v1/statutory/timeline"
FACTS = {
    "today": "2026-11-29",
    "request_received": "2026-09-01",
    "decision": {"outcome": "assess", "on": "2026-10-10"},
}


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_the_limit_is_counted_where_every_worker_sees_it(monkeypatch, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], timeline="3/minute")
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    client = APIClient()
    for _ in range(3):
        assert client.post(URL, FACTS, format="json").status_code == 200
    # Another worker is another process with its own cache objects: it sees the count only
    # if the count is in the database. Start a new cache object, and look in the table.
    del caches["default"]
    assert client.post(URL, FACTS, format="json").status_code == 429
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHES['default']['LOCATION']}")  # noqa: S608
        assert cursor.fetchone()[0] >= 1


def test_a_huge_body_is_refused_before_it_is_read():
    padding = "x" * (timeline_api.MAX_BODY_BYTES + 1)
    response = APIClient().post(
        URL, json.dumps({**FACTS, "note": padding}), content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_thousands_of_facts_are_refused_without_computing_them():
    facts = {
        **FACTS,
        "consultations": [
            {"id": f"c{n}", "sent_on": "2026-10-12"} for n in range(timeline_api.MAX_ITEMS + 1)
        ],
    }
    body = json.dumps(facts)
    assert len(body) < timeline_api.MAX_BODY_BYTES  # small enough to pass the size check
    response = APIClient().post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "at most" in response.json()["errors"][0]["message"]

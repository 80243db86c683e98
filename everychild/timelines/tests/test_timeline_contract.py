"""The statutory clock from the outside: the manage.py command, the API endpoint and the
public calculator page all give the engine's answer, and refuse impossible facts by name."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

REPO = Path(__file__).resolve().parents[3]

FACTS = {
    "today": "2026-11-29",
    "request_received": "2026-09-01",
    "decision": {"outcome": "assess", "on": "2026-10-10"},
}


def _run_command(stdin_text: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "statutory_timeline", *args],
        input=stdin_text,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


class TestCommand:
    def test_prints_the_timeline_for_facts_on_stdin(self):
        result = _run_command(json.dumps(FACTS))
        assert result.returncode == 0, result.stderr
        body = json.loads(result.stdout)
        by_key = {m["key"]: m for m in body["milestones"]}
        assert by_key["decision_whether_to_assess"]["due"] == "2026-10-13"
        assert by_key["decision_whether_to_assess"]["status"] == "met"
        assert by_key["final_plan"]["due"] == "2027-01-19"
        assert by_key["final_plan"]["status"] == "pending"
        assert body["rules_version"]

    def test_reads_facts_from_a_file(self, tmp_path):
        path = tmp_path / "facts.json"
        path.write_text(json.dumps(FACTS))
        result = _run_command("", "--file", str(path))
        assert result.returncode == 0
        assert json.loads(result.stdout)["milestones"]

    @pytest.mark.parametrize(
        ("facts", "field"),
        [
            ("{not json", "JSON"),
            (
                json.dumps({**FACTS, "decision": {"outcome": "assess", "on": "2026-08-01"}}),
                "decision.on",
            ),
            (json.dumps({**FACTS, "colour": "blue"}), "colour"),
            (json.dumps({**FACTS, "request_received": "1/9/2026"}), "request_received"),
        ],
    )
    def test_refuses_bad_facts_with_exit_2_naming_the_field_and_nothing_on_stdout(
        self, facts, field
    ):
        result = _run_command(facts)
        assert result.returncode == 2
        assert result.stdout == ""
        assert field in result.stderr

    def test_in_process_call_gives_the_same_answer(self, monkeypatch, capsys):
        monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(FACTS)))
        call_command("statutory_timeline")
        assert json.loads(capsys.readouterr().out)["milestones"][0]["key"] == (
            "decision_whether_to_assess"
        )


@pytest.mark.django_db
class TestApi:
    def setup_method(self):
        cache.clear()  # the throttle counts in the cache

    def test_needs_no_sign_in_and_returns_the_timeline(self):
        response = APIClient().post("/api/v1/statutory/timeline", FACTS, format="json")
        assert response.status_code == 200
        keys = [m["key"] for m in response.json()["milestones"]]
        assert keys[0] == "decision_whether_to_assess"
        assert "final_plan" in keys

    def test_an_impossible_fact_is_a_structured_error_naming_the_field(self):
        facts = {**FACTS, "decision": {"outcome": "assess", "on": "2026-08-01"}}
        response = APIClient().post("/api/v1/statutory/timeline", facts, format="json")
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["field"] == "decision.on"
        assert "before" in error["message"]

    def test_malformed_json_is_a_structured_error(self):
        response = APIClient().post(
            "/api/v1/statutory/timeline", "{oops", content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "parse_error"

    def test_a_list_instead_of_an_object_is_refused(self):
        response = APIClient().post("/api/v1/statutory/timeline", [FACTS], format="json")
        assert response.status_code == 400

    def test_is_rate_limited(self, settings):
        rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], timeline="3/minute")
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        from rest_framework.throttling import ScopedRateThrottle

        original = ScopedRateThrottle.THROTTLE_RATES
        ScopedRateThrottle.THROTTLE_RATES = rates
        try:
            client = APIClient()
            codes = [
                client.post("/api/v1/statutory/timeline", FACTS, format="json").status_code
                for _ in range(4)
            ]
        finally:
            ScopedRateThrottle.THROTTLE_RATES = original
        assert codes == [200, 200, 200, 429]

    def test_is_in_the_openapi_schema(self):
        response = APIClient().get("/api/schema/", {"format": "json"})
        assert "/api/v1/statutory/timeline" in response.json()["paths"]


@pytest.mark.django_db
class TestCalculatorPage:
    def test_asks_for_the_request_date_without_sign_in(self, client):
        response = client.get("/timeline/")
        assert response.status_code == 200
        assert "When should my child" in response.content.decode()

    def test_shows_each_legal_date_in_plain_english(self, client):
        response = client.get(
            "/timeline/",
            {"request_received": "1/9/2026", "decision": "assess", "decision_on": "10/10/2026"},
        )
        page = response.content.decode()
        assert "Tuesday 13 October 2026" in page  # 6 weeks from the request
        assert "Done on time" in page
        assert "Tuesday 19 January 2027" in page  # 20 weeks from the request
        assert "reg 13(2)" in page
        assert "SENDIASS" in page

    def test_a_decision_before_the_request_is_shown_as_an_error_and_no_dates(self, client):
        response = client.get(
            "/timeline/",
            {"request_received": "1/9/2026", "decision": "assess", "decision_on": "1/8/2026"},
        )
        page = response.content.decode()
        assert "There is a problem" in page
        assert 'href="#id_decision_on-day"' in page
        assert "The legal dates" not in page

    def test_a_date_that_is_not_a_date_is_refused_and_what_was_typed_is_kept(self, client):
        response = client.get("/timeline/", {"request_received": "31/2/2026"})
        page = response.content.decode()
        assert "Enter a real date" in page
        assert 'value="31/2/2026"' in page

    def test_a_decision_without_its_date_is_refused(self, client):
        response = client.get("/timeline/", {"request_received": "1/9/2026", "decision": "assess"})
        assert "Enter the date the council told you its decision." in response.content.decode()

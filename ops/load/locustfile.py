"""The load test's simulated people (locust): the demonstration area's sign-ins, each doing
what that role does most. Run by ops/load/run.py (`make load-test`), which starts the service
first; the password comes from LOAD_PASSWORD.

A response counts as an error if it is not a success, if the person was sent back to sign in,
or if it shows a traceback (never acceptable, even on an error page)."""

import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
# Where the sign-in phase's figures go before the statistics are reset (ops/load/run.py).
SIGN_IN_STATS = os.environ.get("LOAD_SIGN_IN_STATS", "")
_signed_in = {"count": 0, "environment": None}


@events.init.add_listener
def _remember(environment, **kwargs):
    _signed_in["environment"] = environment


def _signed_in_one() -> None:
    """Everyone signing in at once is a burst of password hashing (PBKDF2, deliberately slow)
    that a day's steady use never sees. When the last person has signed in, keep that phase's
    figures and measure the steady state from then on."""
    _signed_in["count"] += 1
    environment = _signed_in["environment"]
    wanted = getattr(environment.parsed_options, "num_users", None) if environment else None
    if not wanted or _signed_in["count"] != wanted:
        return
    stats = environment.stats
    sign_in = stats.get("sign in", "POST")
    figures = {
        "people": wanted,
        "seconds": round(time.time() - stats.start_time, 1),
        "requests": stats.total.num_requests,
        "errors": stats.total.num_failures,
        "sign_in_p50": sign_in.get_response_time_percentile(0.5),
        "sign_in_p95": sign_in.get_response_time_percentile(0.95),
        "errors_by_cause": {str(e.error): e.occurrences for e in stats.errors.values()},
    }
    if SIGN_IN_STATS:
        with open(SIGN_IN_STATS, "w") as handle:
            json.dump(figures, handle)
    stats.reset_all()


class Person(HttpUser):
    abstract = True
    email = ""
    # Time between one page and the next: reading a case or a queue takes a person seconds,
    # not milliseconds (staff 3-10 s; parents and the board read longer, 5-15 s).
    wait_time = between(3, 10)

    def on_start(self):
        page = self.client.get("/account/sign-in/", name="sign in (form)")
        token = CSRF.search(page.text)
        with self.client.post(
            "/account/sign-in/",
            {
                "email": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="sign in",
            catch_response=True,
        ) as response:
            self._judge(response)
        _signed_in_one()

    def _judge(self, response):
        if response.status_code >= 400:
            what = "traceback shown" if "Traceback" in response.text else "error page"
            response.failure(f"{response.status_code} ({what})")
        elif "/account/sign-in/" in response.url:
            response.failure("sent back to sign in")
        elif "Traceback" in response.text:
            response.failure("traceback shown")
        else:
            response.success()

    def page(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            self._judge(response)
            return response


class Caseworker(Person):
    weight = 20
    email = "caseworker@demo.test"
    cases: list[str] = []

    @task(2)
    def caseload(self):
        response = self.page("/cases/", "caseload (/cases/)")
        found = CASE_LINK.findall(response.text or "")
        if found:
            self.cases = found

    @task(3)
    def case(self):
        if not self.cases:
            self.caseload()
        if self.cases:
            self.page(f"/cases/{random.choice(self.cases)}/", "case page (/cases/<id>/)")


class TeamManager(Person):
    weight = 8
    email = "manager@demo.test"

    @task
    def team(self):
        self.page("/cases/team/", "team view (/cases/team/)")


class EducationalPsychologist(Person):
    weight = 8
    email = "ep@demo.test"

    @task
    def queue(self):
        self.page("/advice/", "advice queue (/advice/)")


class BoardMember(Person):
    weight = 6
    email = "board@demo.test"
    wait_time = between(5, 15)

    @task
    def dashboard(self):
        self.page("/performance/", "performance dashboard (/performance/)")


class Parent(Person):
    weight = 8
    email = "parent@demo.test"
    wait_time = between(5, 15)

    @task
    def home(self):
        self.page("/", "parent home (/)")

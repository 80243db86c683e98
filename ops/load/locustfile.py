"""The load test's simulated people (locust): the demonstration area's sign-ins, each doing
what that role does most. Run by ops/load/run.py (`make load-test`), which starts the service
first; the password comes from LOAD_PASSWORD.

A response counts as an error if it is not a success, if the person was sent back to sign in,
or if it shows a traceback (never acceptable, even on an error page)."""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-password-1")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')


class Person(HttpUser):
    abstract = True
    email = ""
    wait_time = between(1, 3)

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
    wait_time = between(2, 5)

    @task
    def dashboard(self):
        self.page("/performance/", "performance dashboard (/performance/)")


class Parent(Person):
    weight = 8
    email = "parent@demo.test"

    @task
    def home(self):
        self.page("/", "parent home (/)")

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
# A caseworker's annual reviews list links each plan's review pages (the plan itself is a link
# away from those).
PLAN_LINK = re.compile(r'href="/plans/(\d+)/(?:review/|annual-review/)?"')
FAMILY_CASE_LINK = re.compile(r'href="(/family/cases/\d+/)"')
FAMILY_PLAN_LINK = re.compile(r'href="(/family/cases/\d+/plan/)"')
CHECKS_RUN = re.compile(r"/returns/sen2/checks/(\d+)/")
# The first of the return years offered (radios): the current return.
YEAR_CHOICE = re.compile(
    r'<input[^>]*\bname="year"[^>]*\bvalue="(\d{4})"|<input[^>]*\bvalue="(\d{4})"[^>]*\bname="year"'
)
# Where the sign-in phase's figures go before the statistics are reset (ops/load/run.py).
SIGN_IN_STATS = os.environ.get("LOAD_SIGN_IN_STATS", "")
# Where the data team's SEN2 checks job reports how it went (ops/load/run.py).
SEN2_JOB_STATS = os.environ.get("LOAD_SEN2_JOB_STATS", "")
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

    plans: list[str] = []

    @task(1)
    def plan(self):
        """A plan, found as a caseworker finds one: from the annual reviews list."""
        if not self.plans:
            response = self.page("/plans/reviews/", "review backlog (/plans/reviews/)")
            self.plans = sorted(set(PLAN_LINK.findall(response.text or ""))) or ["none"]
        if self.plans == ["none"]:
            return
        if self.plans:
            self.page(f"/plans/{random.choice(self.plans)}/", "plan (/plans/<id>/)")


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

    family_pages: list[str] = []

    @task(2)
    def home(self):
        response = self.page("/", "parent home (/)")
        if not self.family_pages:
            portal = self.page("/family/", "family portal (/family/)")
            self.family_pages = FAMILY_CASE_LINK.findall(portal.text or "") or [""]
        del response

    @task(2)
    def child(self):
        """Where things are with their child's assessment or plan, and the plan itself."""
        if not self.family_pages:
            self.home()
        case = random.choice(self.family_pages)
        if not case:
            return
        response = self.page(case, "family: a child (/family/cases/<id>/)")
        plans = FAMILY_PLAN_LINK.findall(response.text or "")
        if plans:
            self.page(plans[0], "family: the plan (/family/cases/<id>/plan/)")


class DataTeam(Person):
    """One person in the data team starts the SEN2 checks of the area's return (a background
    job: export and validation of the whole area) and looks at how far they have got, as the
    page invites, every 10 to 20 seconds; pressing start again while they run starts nothing."""

    fixed_count = 1
    email = "manager@demo.test"
    wait_time = between(10, 20)
    run_url = ""
    started_at = 0.0
    reported = False

    @task
    def checks(self):
        if not self.run_url:
            self.start_checks()
            return
        response = self.page(self.run_url, "SEN2 checks: how far (/returns/sen2/checks/<id>/)")
        text = response.text or ""
        if not self.reported and 'id="job-status"><strong>' in text:
            status = text.split('id="job-status"><strong>', 1)[1].split("<", 1)[0]
            if status.lower() in ("done", "finished", "failed", "could not finish"):
                self.report(status)
            elif random.random() < 0.3:
                # A second press while the checks run: must lead to the same run.
                again = self.start_checks(name="SEN2 checks: pressed again while running")
                if again and again != self.run_url:
                    self.report("a second press started another run")

    def start_checks(self, name: str = "SEN2 checks: start (/returns/sen2/)") -> str:
        form = self.page("/returns/sen2/", "SEN2 checks page (/returns/sen2/)")
        token = CSRF.search(form.text or "")
        found_year = YEAR_CHOICE.search(form.text or "")
        year = (found_year.group(1) or found_year.group(2)) if found_year else ""
        with self.client.post(
            "/returns/sen2/",
            {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "year": year,
            },
            name=name,
            catch_response=True,
        ) as response:
            self._judge(response)
            found = CHECKS_RUN.search(response.url or "")
        if found and not self.run_url:
            self.run_url = f"/returns/sen2/checks/{found.group(1)}/"
            self.started_at = time.time()
        return f"/returns/sen2/checks/{found.group(1)}/" if found else ""

    def report(self, outcome: str) -> None:
        self.reported = True
        if SEN2_JOB_STATS:
            with open(SEN2_JOB_STATS, "w") as handle:
                json.dump(
                    {"outcome": outcome, "seconds": round(time.time() - self.started_at, 1)},
                    handle,
                )

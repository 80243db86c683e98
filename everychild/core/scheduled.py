"""The work that runs on a timetable rather than when someone asks: reminders, escalations,
families' notices, messages to retry, placements to bring into step with plans.

Every job is safe to run as often as you like (each message has its idempotency key; each sync
finds nothing to do a second time), so one cron line runs them all:

    */15 * * * *  cd /srv/everychild && .venv/bin/python manage.py run_scheduled_work

A job that fails is reported and the others still run. The kernel names no job: each app
registers its own from its AppConfig.ready(), with the place it takes in the run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    function: str  # dotted path to a function taking no arguments
    what: str

    def run(self):
        function: Callable = import_string(self.function)
        return function()


# The jobs in the order they run (lowest `order` first), filled by register().
JOBS: list[Job] = []
_ORDER: dict[str, int] = {}


def register(job: Job, *, order: int) -> None:
    """Add an app's job to the run, at its place: apps are made ready in INSTALLED_APPS' order,
    which is not the order the jobs must run in (messages last, so that the messages the other
    jobs asked for go out in the same run)."""
    for known in JOBS:
        if known.name == job.name:
            if known != job or _ORDER[job.name] != order:
                raise ValueError(f"two different scheduled jobs are called {job.name!r}")
            return
    _ORDER[job.name] = order
    JOBS.append(job)
    JOBS.sort(key=lambda known: _ORDER[known.name])

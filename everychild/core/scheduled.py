"""The work that runs on a timetable rather than when someone asks: reminders, escalations,
families' notices, messages to retry, placements to bring into step with plans.

Every job is safe to run as often as you like (each message has its idempotency key; each sync
finds nothing to do a second time), so one cron line runs them all:

    */15 * * * *  cd /srv/everychild && .venv/bin/python manage.py run_scheduled_work

A job that fails is reported and the others still run."""

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


JOBS = (
    Job(
        "advice reminders",
        "everychild.advice.reminders.send_advice_reminders",
        "Reminders 2 weeks before advice is due; escalations when it is late",
    ),
    Job(
        "family notices",
        "everychild.families.notices.sweep",
        "Tell families of decisions, drafts, final plans, reviews and missed dates",
    ),
    Job(
        "placements",
        "everychild.finance.services.sync_all_placements",
        "Bring placements into step with the plans' settings",
    ),
    # Last, so the messages the jobs above asked for go out in this run.
    Job(
        "messages",
        "everychild.notifications.services.send_due_messages",
        "Send waiting messages; retry those that failed for a temporary reason",
    ),
)

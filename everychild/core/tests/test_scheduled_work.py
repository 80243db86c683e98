import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string

from everychild.core import scheduled
from everychild.notifications.models import Message
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def test_every_scheduled_job_names_a_real_function():
    for job in scheduled.JOBS:
        assert callable(import_string(job.function)), job.name


def test_each_app_registers_its_jobs_and_they_run_in_their_order():
    assert [(job.name, job.function) for job in scheduled.JOBS] == [
        ("advice reminders", "everychild.advice.reminders.send_advice_reminders"),
        ("family notices", "everychild.families.notices.sweep"),
        ("support plan reviews", "everychild.support.notices.sweep"),
        ("placements", "everychild.finance.services.sync_all_placements"),
        ("messages", "everychild.notifications.services.send_due_messages"),
        ("audit checkpoint", "everychild.access.checkpoint.scheduled_checkpoint"),
    ]


def test_a_second_job_under_a_name_already_taken_is_refused():
    taken = scheduled.JOBS[0]
    scheduled.register(taken, order=10)  # the same job again (ready() run twice): no change
    assert [job.name for job in scheduled.JOBS].count(taken.name) == 1
    with pytest.raises(ValueError, match="two different scheduled jobs"):
        scheduled.register(scheduled.Job(taken.name, "builtins.list", "other"), order=10)


def test_running_the_schedule_twice_sends_nothing_twice(area):
    factories.EHCPlanFactory(child__area=area)
    first, second = io.StringIO(), io.StringIO()
    call_command("run_scheduled_work", stdout=first)
    messages = Message.objects.count()
    call_command("run_scheduled_work", stdout=second)
    assert Message.objects.count() == messages
    assert "placements: 1 opened" in first.getvalue()
    assert "placements: 0 opened, 0 closed" in second.getvalue()


def test_a_failing_job_is_reported_and_the_others_still_run(monkeypatch):
    ran = []
    jobs = (
        scheduled.Job("broken", "builtins.int", "fails"),
        scheduled.Job("fine", "builtins.list", "works"),
    )
    monkeypatch.setattr(scheduled, "JOBS", jobs)
    monkeypatch.setattr("everychild.core.management.commands.run_scheduled_work.JOBS", jobs)
    real_run = scheduled.Job.run

    def run(job):
        ran.append(job.name)
        if job.name == "broken":
            raise RuntimeError("the database went away")
        return real_run(job)

    monkeypatch.setattr(scheduled.Job, "run", run)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 job"):
        call_command("run_scheduled_work", stdout=io.StringIO(), stderr=err)
    assert ran == ["broken", "fine"]
    assert "broken: FAILED" in err.getvalue()

"""Background work for the agency portal (django-tasks: in-process in the demonstration and
tests, the database worker in production)."""

from django_tasks import task

from everychild.advice import reminders


@task()
def send_advice_reminders() -> dict[str, int]:
    return reminders.send_advice_reminders()

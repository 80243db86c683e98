"""Background work of the family portal (django-tasks)."""

from django_tasks import task

from everychild.families import notices


@task()
def send_family_notices() -> int:
    return notices.sweep()

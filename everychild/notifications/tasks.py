"""Background work for notifications (django-tasks: in-process in the demonstration and tests,
the database worker in production)."""

from django_tasks import task

from . import services


@task()
def send_message(message_id: int) -> str:
    return services.deliver(message_id)


@task()
def send_due_messages() -> dict[str, int]:
    return services.send_due_messages()

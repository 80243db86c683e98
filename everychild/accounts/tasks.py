"""Background work of accounts (django-tasks)."""

from django_tasks import task

from everychild.access import password_reset


@task()
def send_password_reset(user_id: int | None) -> None:
    """Enqueued for every request for a reset link, with None when the address has no account
    that can reset: the request does the same work either way, and only the worker sends."""
    password_reset.send_link(user_id=user_id)

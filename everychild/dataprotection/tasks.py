from django.utils import timezone
from django_tasks import task

from everychild.accounts.models import User

from . import retention


@task()
def anonymise_due_records(actor_id: int | None = None) -> int:
    """Anonymise every record past its retention date (safe to run twice: an anonymised record
    is no longer due)."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return retention.anonymise_due(actor=actor, today=timezone.localdate())

from django.db.models import Count

from .models import Message, Status


def messages_for_administrators(*, status: str = "") -> tuple[list[Message], dict[str, int]]:
    """The latest messages (optionally of one status) and how many there are of each status."""
    counts = dict(Message.objects.values_list("status").annotate(n=Count("pk")).order_by())
    queryset = Message.objects.all()
    if status in Status.values:
        queryset = queryset.filter(status=status)
    return list(queryset[:200]), {s.value: counts.get(s.value, 0) for s in Status}

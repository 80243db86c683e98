"""Background work for high-needs finance."""

from django.utils import timezone
from django_tasks import task

from everychild.areas.models import Area

from . import services


@task()
def sync_area_placements(area_id: int) -> dict[str, int]:
    """Bring an area's placements into step with its plans (safe to run any number of times:
    a second run finds nothing to change). Enqueued when a plan is issued, names a new setting
    or ceases, and run nightly by `manage.py sync_placements`."""
    area = Area.objects.get(pk=area_id)
    result = services.sync_placements(actor=None, area=area, on=timezone.localdate())
    return {"opened": result.opened, "closed": result.closed}

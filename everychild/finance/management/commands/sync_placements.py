from django.core.management.base import BaseCommand
from django.utils import timezone

from everychild.areas.models import Area
from everychild.finance import services


class Command(BaseCommand):
    help = (
        "Bring every area's placements into step with its plans' settings (run nightly from "
        "cron; running it again changes nothing)."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        for area in Area.objects.order_by("name"):
            result = services.sync_placements(actor=None, area=area, on=today)
            self.stdout.write(f"{area.name}: {result.opened} opened, {result.closed} closed")

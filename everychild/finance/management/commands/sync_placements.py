from django.core.management.base import BaseCommand

from everychild.finance import services


class Command(BaseCommand):
    help = (
        "Bring every area's placements into step with its plans' settings (run nightly from "
        "cron; running it again changes nothing)."
    )

    def handle(self, *args, **options):
        result = services.sync_all_placements()
        self.stdout.write(f"Every area: {result}")

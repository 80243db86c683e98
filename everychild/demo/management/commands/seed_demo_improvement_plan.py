"""manage.py seed_demo_improvement_plan: the demonstration area's improvement plan (once)."""

from django.core.management.base import BaseCommand, CommandError

from everychild.areas.models import Area
from everychild.demo.calibration import LA_CODE
from everychild.demo.improvement import seed_improvement_plan


class Command(BaseCommand):
    help = "Load the demonstration area's improvement plan (after seed_demo_area); idempotent."

    def handle(self, *args, **options):
        area = Area.objects.filter(la_code=LA_CODE).first()
        if area is None:
            raise CommandError("Load the demonstration area first: manage.py seed_demo_area.")
        result = seed_improvement_plan(area)
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the improvement plan: {result.priorities} priorities, "
                    f"{result.actions} actions."
                )
            )
        else:
            self.stdout.write("The improvement plan is already loaded: nothing was added.")

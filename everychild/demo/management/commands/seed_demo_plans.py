"""manage.py seed_demo_plans: sections, versions and review history for the demonstration
area's plans (after seed_demo_area). Idempotent: plans that already have a document are left."""

from django.core.management.base import BaseCommand, CommandError

from everychild.areas.models import Area
from everychild.demo.calibration import LA_CODE
from everychild.demo.plans import seed_plans


class Command(BaseCommand):
    help = "Give the demonstration area's plans their sections, versions and reviews."

    def handle(self, *args, **options):
        area = Area.objects.filter(la_code=LA_CODE).first()
        if area is None:
            raise CommandError("Load the demonstration area first: manage.py seed_demo_area.")
        result = seed_plans(area)
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Plans: {result.documents} documents, {result.versions} versions, "
                    f"{result.reviews} reviews, {result.drafts} drafts, "
                    f"{result.disagreements} disagreements."
                )
            )
        else:
            self.stdout.write("The plans are already seeded: nothing was added.")

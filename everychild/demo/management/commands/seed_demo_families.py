"""manage.py seed_demo_families: cases for the demonstration family sign-ins (once)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from everychild.demo.families import DemoFamiliesError, seed_demo_families


class Command(BaseCommand):
    help = (
        "Give parent@demo.test a case with a draft plan open for comments (with views sent), "
        "youngperson@demo.test a request of their own, and youngadult@demo.test a plan issued "
        "through every step. Run it after seed_demo_area. A second run adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="the date to build to (YYYY-MM-DD)"
        )

    def handle(self, *args, today, **options):
        try:
            result = seed_demo_families(today=today)
        except DemoFamiliesError as error:
            raise CommandError(str(error)) from None
        if not result.done:
            self.stdout.write("The family portal's demonstration is already loaded.")
        for line in result.done:
            self.stdout.write(self.style.SUCCESS(line))
        self.stdout.write(
            "  parent@demo.test, youngperson@demo.test, youngadult@demo.test  see /family/"
        )

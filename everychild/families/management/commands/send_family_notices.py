"""Tell families what has happened on their cases (run by cron or the worker, e.g. hourly).
Each message is sent once, however often this runs."""

from django.core.management.base import BaseCommand

from everychild.families import notices


class Command(BaseCommand):
    help = "Tell families of decisions, draft and final plans, reviews and missed legal dates."

    def handle(self, *args, **options):
        asked = notices.sweep()
        self.stdout.write(f"Family notices checked: {asked} message(s) due (each sent once).")

"""manage.py seed_demo_finance: the demonstration area's high-needs money (once)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from everychild.demo.finance import LEADER_EMAIL, DemoFinanceError, seed_demo_finance


class Command(BaseCommand):
    help = (
        "Load the demonstration area's placements, cost table, assumptions, budgets, "
        "monitoring, Safety Valve agreement and scenarios with their forecasts. Run it after "
        "seed_demo_area. A second run adds nothing (and, given --password, resets the senior "
        "leader's sign-in)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for the senior leader's sign-in")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="the date the records are built up to (YYYY-MM-DD; default today)",
        )
        parser.add_argument(
            "--runs", type=int, default=1000, help="simulation runs per scenario (default 1000)"
        )

    def handle(self, *args, password, today, runs, **options):
        try:
            result = seed_demo_finance(today=today, password=password, runs=runs)
        except DemoFinanceError as error:
            raise CommandError(str(error)) from None
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demonstration area's finance: {result.counts['placements']:,} "
                    f"placements, {result.counts['scenarios']} scenarios forecast."
                )
            )
        else:
            self.stdout.write("The demonstration area's finance is already loaded: nothing added.")
        self.stdout.write(f"  {LEADER_EMAIL}  Senior leader (sees the high-needs finance pages)")

"""manage.py seed_demo_area: load the synthetic demonstration area (once)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from everychild.demo.area import DEFAULT_SEED, MAX_AREAS
from everychild.demo.seed import seed_demo_area


class Command(BaseCommand):
    help = (
        "Load the synthetic demonstration area, calibrated on the DfE's published figures for "
        "Bournemouth, Christchurch and Poole. A second run adds nothing (and, given --password, "
        "resets the demonstration sign-ins' password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument("--password", help="password for every demonstration sign-in")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="size relative to BCP (1.0: ~4,400 plans)"
        )
        parser.add_argument(
            "--areas",
            type=int,
            default=1,
            help="how many areas in this database (area 1 is BCP; area k signs in at "
            "@area<k>.demo.test); default 1",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="the date the area is built up to (YYYY-MM-DD; default today)",
        )

    def handle(self, *args, seed, password, scale, today, areas, **options):
        if not 1 <= areas <= MAX_AREAS:
            raise CommandError(f"--areas must be between 1 and {MAX_AREAS}.")
        first = seed_demo_area(seed=seed, password=password, scale=scale, today=today, areas=areas)
        for result in [first, *first.more]:
            self._report(result, seed)

    def _report(self, result, seed):
        write = self.stdout.write
        name = result.area.name
        if result.created:
            counts = result.counts
            write(
                self.style.SUCCESS(
                    f'Loaded "{name}" in {result.seconds:.1f} s (seed {seed}): '
                    f"{counts['children']:,} children, {counts['active_plans']:,} active plans, "
                    f"{counts['requests']:,} requests for assessment ({counts['open_cases']:,} "
                    f"open today), {counts['organisations']} organisations, "
                    f"{counts['users']:,} accounts."
                )
            )
            for shortfall in result.shortfalls:
                write(self.style.WARNING(f"Note: {shortfall}"))
            write(f"Sign in with any of these; the password is: {result.password}")
        else:
            write(f'"{name}" is already loaded: nothing was added.')
            if result.password:
                write(f"The demonstration sign-ins' password is now: {result.password}")
            else:
                write("The password is the one printed when it was loaded (--password resets it).")
        width = max(len(email) for email, _ in result.sign_ins)
        write(f"  {'Email'.ljust(width)}  Role")
        for email, role in result.sign_ins:
            write(f"  {email.ljust(width)}  {role}")

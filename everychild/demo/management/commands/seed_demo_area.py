"""manage.py seed_demo_area: load the synthetic demonstration area (once)."""

import datetime as dt

from django.core.management.base import BaseCommand

from everychild.demo.area import AREA_NAME, DEFAULT_SEED
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
            "--today",
            type=dt.date.fromisoformat,
            help="the date the area is built up to (YYYY-MM-DD; default today)",
        )

    def handle(self, *args, seed, password, scale, today, **options):
        result = seed_demo_area(seed=seed, password=password, scale=scale, today=today)
        write = self.stdout.write
        if result.created:
            counts = result.counts
            write(
                self.style.SUCCESS(
                    f'Loaded "{AREA_NAME}" in {result.seconds:.1f} s (seed {seed}): '
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
            write(f'"{AREA_NAME}" is already loaded: nothing was added.')
            if result.password:
                write(f"The demonstration sign-ins' password is now: {result.password}")
            else:
                write("The password is the one printed when it was loaded (--password resets it).")
        width = max(len(email) for email, _ in result.sign_ins)
        write(f"  {'Email'.ljust(width)}  Role")
        for email, role in result.sign_ins:
            write(f"  {email.ljust(width)}  {role}")

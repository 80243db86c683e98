"""manage.py seed_demo_support: children on SEN support with support plans and cycles, and
the area's ordinarily available provision (after seed_demo_area; see everychild.demo.support).
A second run adds nothing."""

from django.core.management.base import BaseCommand, CommandError

from everychild.demo.support import DemoSupportError, seed_demo_support


class Command(BaseCommand):
    help = "Put about 14 % of the demonstration area's pupils on SEN support, with plans."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=22)
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, seed, scale, **options):
        try:
            result = seed_demo_support(seed=seed, scale=scale)
        except DemoSupportError as error:
            raise CommandError(str(error)) from None
        if not result.created:
            self.stdout.write("The demonstration area already has SEN support: nothing added.")
            return
        self.stdout.write(
            f"SEN support: {result.children} children with support plans, {result.cycles} "
            f"assess-plan-do-review cycles, {result.overdue} reviews overdue today; "
            f"{result.requests} requests for assessment made from plans ({result.agreed} "
            f"agreed, {result.refused} refused, the rest awaiting a decision)."
        )

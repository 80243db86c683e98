"""manage.py seed_demo_advice: the demonstration EP service's waiting list settings (after
seed_demo_area; see everychild.demo.advice). A second run adds nothing."""

from django.core.management.base import BaseCommand, CommandError

from everychild.demo.advice import DemoAdviceError, seed_demo_advice


class Command(BaseCommand):
    help = "Give the demonstration EP service capacity, leave, priority rules and scenarios."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=5)

    def handle(self, *args, seed, **options):
        try:
            result = seed_demo_advice(seed=seed)
        except DemoAdviceError as error:
            raise CommandError(str(error)) from None
        if not result.created:
            self.stdout.write("The demonstration EP service is already set up: nothing added.")
            return
        self.stdout.write(
            f"EP service set up: {result.psychologists} psychologists at {result.per_week} "
            f"assessments a week each, {result.open_requests} open requests, 3 priority rules, "
            "2 scenarios."
        )

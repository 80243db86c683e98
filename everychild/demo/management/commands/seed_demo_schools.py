"""manage.py seed_demo_schools: the demonstration SENCO's request for assessment and a request
for the school's advice (after seed_demo_area; see everychild.demo.schools). A second run adds
nothing."""

from django.core.management.base import BaseCommand, CommandError

from everychild.demo.schools import DemoSchoolsError, seed_demo_schools


class Command(BaseCommand):
    help = "Give the demonstration SENCO a request for assessment and a request for advice."

    def handle(self, *args, **options):
        try:
            result = seed_demo_schools()
        except DemoSchoolsError as error:
            raise CommandError(str(error)) from None
        if not result.created:
            self.stdout.write("The demonstration SENCO is already set up: nothing added.")
            return
        self.stdout.write(
            f"School request {result.reference or '(no pupil free)'}; school advice asked on "
            f"{result.advice_for or '(no case being assessed)'}."
        )

from django.core.management.base import BaseCommand, CommandError

from everychild.core.scheduled import JOBS


class Command(BaseCommand):
    help = (
        "Run every scheduled job once (reminders, escalations, family notices, placements, "
        "message retries). Safe to repeat: run it every 15 minutes from cron."
    )

    def handle(self, *args, **options):
        failed = []
        for job in JOBS:
            try:
                outcome = job.run()
            except Exception as error:  # noqa: BLE001 - report it and run the other jobs
                failed.append(job.name)
                self.stderr.write(f"{job.name}: FAILED ({type(error).__name__}: {error})")
            else:
                self.stdout.write(f"{job.name}: {outcome}")
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed: {', '.join(failed)}")

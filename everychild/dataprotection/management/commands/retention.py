from django.core.management.base import BaseCommand
from django.utils import timezone

from everychild.dataprotection import retention


class Command(BaseCommand):
    help = (
        "The retention policy: without --anonymise, a report of what is due (changes nothing); "
        "with --anonymise, make every record past its retention date anonymous (for good)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anonymise", action="store_true")

    def handle(self, *args, anonymise, **options):
        today = timezone.localdate()
        report = retention.report(today)
        self.stdout.write(f"Rule: {report.rule}")
        self.stdout.write(f"Past the retention date: {report.due}")
        self.stdout.write(f"Past it but kept (case open or plan active): {report.held_back}")
        self.stdout.write(f"Already anonymous: {report.anonymised}")
        for month, n in report.next_due:
            self.stdout.write(f"  due {month:%B %Y}: {n}")
        if anonymise:
            done = retention.anonymise_due(today=today)
            self.stdout.write(f"Made {done} record(s) anonymous.")
        else:
            self.stdout.write("Dry run: nothing changed. Add --anonymise to remove the details.")

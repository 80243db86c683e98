"""manage.py import_dfe_statistics DIR: load DfE's "Education, health and care plans" CSV files
(a whole release), replacing an earlier load of the same reporting year. All or nothing: any
unexpected file, column or value is reported (file, line, column) and nothing changes."""

from pathlib import Path

from django.core.management.base import BaseCommand

from everychild.performance.dfe import ImportRefused, import_release
from everychild.performance.management.refusals import refusal
from everychild.performance.models import DfERelease


class Command(BaseCommand):
    help = (
        "Load DfE's published EHC plan statistics from a folder of CSV files (the layout of "
        "explore-education-statistics' 'Education, health and care plans' release)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="the folder holding caseload.csv, requests.csv, …")
        parser.add_argument(
            "--unless-loaded",
            action="store_true",
            help="do nothing if this folder has been loaded already (for make run)",
        )
        parser.add_argument(
            "--reporting-year",
            type=int,
            help="refuse the files unless they are this release (e.g. 2025)",
        )

    def handle(self, *args, directory, reporting_year, unless_loaded, **options):
        source = str(Path(directory).resolve())
        if unless_loaded and DfERelease.objects.filter(source=source).exists():
            self.stdout.write(f"DfE's statistics from {directory} are already loaded.")
            return
        try:
            report = import_release(directory, reporting_year=reporting_year)
        except ImportRefused as refused:
            raise refusal(
                self, refused, unchanged="The statistics already loaded are unchanged."
            ) from None
        verb = "Replaced" if report.replaced else "Loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} DfE EHC plan statistics, reporting year {report.reporting_year}: "
                f"{report.total_rows:,} rows from {len(report.rows)} files in "
                f"{report.seconds:.1f} s."
            )
        )
        for name, rows in sorted(report.rows.items()):
            self.stdout.write(f"  {name}.csv  {rows:,} rows")

"""manage.py import_dfe_sen_in_england PATH: load DfE's "Special educational needs in England"
table of pupils by phase and type of school (sen_phase_type.csv), replacing an earlier load.
All or nothing: every wrong cell is reported (row, column, value, why), nothing changes and the
command exits with status 2."""

from pathlib import Path

from django.core.management.base import BaseCommand

from everychild.performance.management.refusals import refusal
from everychild.performance.models import SENInEnglandLoad
from everychild.performance.sen_in_england import ImportRefused, academic_year, import_table

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = (
        "Load DfE's 'Special educational needs in England' table of pupils by phase and type "
        "of school (sen_phase_type.csv from explore-education-statistics)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the sen_phase_type.csv file")
        parser.add_argument(
            "--unless-loaded",
            action="store_true",
            help="do nothing if this file has been loaded already (for make run)",
        )

    def handle(self, *args, path, unless_loaded, **options):
        source = str(Path(path).resolve())
        if unless_loaded and SENInEnglandLoad.objects.filter(source=source).exists():
            self.stdout.write(f"DfE's SEN in England table from {path} is already loaded.")
            return
        try:
            report = import_table(path)
        except ImportRefused as refused:
            raise refusal(
                self,
                refused,
                unchanged="The table already loaded is unchanged.",
                returncode=EXIT_BAD_INPUT,
            ) from None
        verb = "Replaced" if report.replaced else "Loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} DfE's SEN in England table: {report.rows:,} rows of England and local "
                f"authorities, latest year {academic_year(report.latest_period)}, in "
                f"{report.seconds:.1f} s."
            )
        )
        if report.skipped_regional:
            self.stdout.write(f"  {report.skipped_regional:,} regional rows checked, not kept")
        if report.ignored_columns:
            self.stdout.write(f"  columns not kept: {', '.join(report.ignored_columns)}")

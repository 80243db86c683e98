"""Load an area's history from a SEN2 file made by another system (a migration).

    python manage.py sen2_import FILE.xml [--dry-run] [--report REPORT.csv]
        [--create-area [--area-name NAME --la-code E0.......]]

All or nothing: if the file cannot be read, or any person in it fails a check, nothing is
written and the report says which people and why (exit 1; exit 2 when the file cannot be read
at all). Importing the same file again adds nothing.

With --create-area, a file for a local authority EveryChild does not have yet builds the area
from the header's LA number (Source/LEA), named and coded by --area-name and --la-code or, when
they are not given, by DfE's published statistics loaded here; the area is created with the
rest of the import or not at all (decision 0132).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from everychild.core import spreadsheets
from everychild.performance.selectors import published_local_authority
from everychild.returns.management.commands._sen2 import (
    EXIT_ERRORS,
    EXIT_UNUSABLE,
    add_size_limit,
    max_bytes,
)
from everychild.returns.services import REPORT_COLUMNS, import_sen2, report_rows


class Command(BaseCommand):
    help = "Import an area's SEN2 history (all or nothing; safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )
        parser.add_argument("--report", help="write one row per person to this .csv file")
        parser.add_argument(
            "--create-area",
            action="store_true",
            help="create the area from the file's header if EveryChild does not have it",
        )
        parser.add_argument("--area-name", help="the new area's name (with --create-area)")
        parser.add_argument(
            "--la-code", help="the new area's ONS code, e.g. E06000058 (with --create-area)"
        )
        add_size_limit(parser)

    def handle(self, *args, **options):
        report_path = options["report"]
        if report_path and Path(report_path).suffix.lower() != ".csv":
            raise CommandError("--report must name a .csv file.", returncode=2)
        given = (options["area_name"], options["la_code"])
        if any(given) and not options["create_area"]:
            raise CommandError("--area-name and --la-code go with --create-area.", returncode=2)
        if any(given) and not all(given):
            raise CommandError("Give both --area-name and --la-code, or neither.", returncode=2)
        result = import_sen2(
            path=options["file"],
            dry_run=options["dry_run"],
            max_bytes=max_bytes(options),
            new_area=_describe_area(options) if options["create_area"] else None,
        )
        plan = result.plan
        if report_path:
            with open(report_path, "w", encoding="utf-8", newline="") as handle:
                writer = spreadsheets.csv_writer(handle)
                writer.writerow(REPORT_COLUMNS)
                for row in report_rows(plan):
                    writer.writerow([row[column] for column in REPORT_COLUMNS])
        if plan.file_problem:
            self.stderr.write(f"Nothing was imported: {plan.file_problem}")
            raise SystemExit(EXIT_UNUSABLE)
        refused = [r for r in plan.records if r.failed]
        for record in refused:
            self.stdout.write(f"Person {record.person} ({record.label}, line {record.line}):")
            for problem in record.problems:
                self.stdout.write(f"  {problem}")
        if refused:
            self.stdout.write(
                f"Nothing was imported: {len(refused):,} of {len(plan.records):,} people failed "
                "the checks above. Correct the file (or the other system) and run it again."
            )
            raise SystemExit(EXIT_ERRORS)
        if result.write_problem:
            self.stderr.write(result.write_problem)
            raise SystemExit(EXIT_ERRORS)
        new = sum(1 for r in plan.records if r.child_is_new)
        added = sum(1 for r in plan.records if r.adds and not r.child_is_new)
        same = sum(1 for r in plan.records if not r.adds)
        notes = sum(len(r.notes) for r in plan.records)
        warnings = sum(len(r.warnings) for r in plan.records)
        verb = "would add" if result.dry_run else "added"
        if plan.area_is_new:
            area = plan.area
            self.stdout.write(
                f"{'Would create' if result.dry_run else 'Created'} the area {area.name} (LA "
                f"number {area.old_la_code}, {area.la_code}) from the file's header: it was "
                "not in EveryChild."
            )
        self.stdout.write(
            f"{len(plan.records):,} people in the file for {plan.area.name}: {verb} {new:,} new "
            f"children and records for {added:,} already known; {same:,} already in EveryChild "
            f"with nothing to add. {notes:,} notes and {warnings:,} warnings"
            + (f" in {report_path}." if report_path else " (use --report to see them).")
        )
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(
                f"Created {result.children_created:,} children, {result.requests_created:,} "
                f"requests, {result.plans_created:,} plans and {result.settings_created:,} "
                "settings."
            )


def _describe_area(options):
    """The new area's name and codes: as given on the command line, else as DfE's published
    statistics loaded here name the LA number."""
    if options["area_name"]:
        given = {"name": options["area_name"], "la_code": options["la_code"]}
        return lambda lea: given
    return published_local_authority

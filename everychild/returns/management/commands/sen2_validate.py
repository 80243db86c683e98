"""Check a SEN2 file against every rule before it goes to the DfE.

    python manage.py sen2_validate FILE.xml [--report REPORT.csv|REPORT.html]

Lists every failure with the person, the line and the XML path. Exit 1 when there are
errors, 0 when there are only warnings or none, 2 when the file cannot be read as a SEN2
return (too big, not well-formed XML, a DOCTYPE, a wrong root element).
"""

import time
from contextlib import ExitStack
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from everychild.returns.management.commands._sen2 import (
    EXIT_ERRORS,
    EXIT_UNUSABLE,
    add_size_limit,
    max_bytes,
)
from everychild.returns.sen2 import rules
from everychild.returns.sen2.reading import SEN2FileError
from everychild.returns.sen2.validate import CSVReport, HTMLReport, validate


class Command(BaseCommand):
    help = "Check a SEN2 file: structure, code lists, dates, identifiers, consistency."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--report", help="also write every failure to a .csv or .html file")
        parser.add_argument(
            "--workers", type=int, default=None, help="processes for a big file (default: CPUs)"
        )
        parser.add_argument(
            "--quiet", action="store_true", help="print only the totals, not each failure"
        )
        add_size_limit(parser)

    def handle(self, *args, **options):
        report_path = options["report"]
        if report_path and Path(report_path).suffix.lower() not in (".csv", ".html", ".htm"):
            raise CommandError("--report must name a .csv or .html file.", returncode=2)
        started = time.perf_counter()
        with ExitStack() as stack:
            report = None
            if report_path:
                handle = stack.enter_context(open(report_path, "w", encoding="utf-8", newline=""))
                report = (
                    CSVReport(handle)
                    if report_path.lower().endswith(".csv")
                    else HTMLReport(handle, title=f"SEN2 checks: {Path(options['file']).name}")
                )

            def on_failure(failure):
                if not options["quiet"]:
                    self.stdout.write(failure.as_text())
                if report is not None:
                    report.add(failure)

            try:
                outcome = validate(
                    options["file"],
                    on_failure,
                    max_bytes=max_bytes(options),
                    workers=options["workers"],
                )
            except SEN2FileError as error:
                if report is not None:
                    report.close(None, problem=f"The file cannot be checked: {error}")
                self.stderr.write(f"The file cannot be checked: {error}")
                raise SystemExit(EXIT_UNUSABLE) from None
            if report is not None:
                report.close(outcome)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{outcome.persons:,} people checked in {seconds:.1f} s: {outcome.errors:,} errors, "
            f"{outcome.warnings:,} warnings."
        )
        by_code = rules.by_code()
        for code, count in sorted(outcome.by_rule.items()):
            rule = by_code[code]
            self.stdout.write(f"  {code} {rule.severity:7} {count:>8,}  {rule.title}")
        if outcome.errors:
            self.stdout.write("The return has errors: correct them before it is submitted.")
            raise SystemExit(EXIT_ERRORS)
        self.stdout.write(
            "No errors: the return can be submitted."
            + (" Look at the warnings first." if outcome.warnings else "")
        )

"""Bring in a council's staff from a spreadsheet when it starts up (issue 18)."""

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from everychild.areas.models import Area
from everychild.staff.services import IMPORT_COLUMNS, import_staff


class Command(BaseCommand):
    help = (
        "Invite staff from a CSV with the columns email, name, organisation (its name, URN or "
        "UKPRN) and roles (separated by ;). All or nothing: if any row is wrong, every error is "
        "listed by row, nothing is written and the exit status is 2. Running it again with the "
        "same file changes nothing. Each new person is e-mailed an invitation."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--area", help="Only organisations of this area (its LA code)")
        parser.add_argument("--json", action="store_true", help="Print a JSON summary")

    def handle(self, *args, **options):
        area = None
        if options["area"]:
            area = Area.objects.filter(la_code=options["area"]).first()
            if area is None:
                raise CommandError(f"There is no area with the LA code {options['area']}.")
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                headers = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
                missing = [column for column in IMPORT_COLUMNS if column not in headers]
                if missing:
                    self._fail(options, f"The file has no column {', '.join(missing)}.")
                rows = [
                    {column: (row.get(headers[column]) or "") for column in IMPORT_COLUMNS}
                    for row in reader
                ]
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            self._fail(options, f"Cannot read {options['file']}: {error}")
        report = import_staff(rows, area=area)
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            for error in report["errors"]:
                self.stderr.write(f"Row {error['row']}, {error['field']}: {error['message']}")
            if report["errors"]:
                self.stderr.write("Nothing was imported: correct the rows above and run it again.")
            else:
                self.stdout.write(
                    f"Invited {report['invited']}; {report['unchanged']} already had their roles."
                )
        if report["errors"]:
            raise SystemExit(2)

    def _fail(self, options, message):
        if options["json"]:
            self.stdout.write(json.dumps({"errors": [{"row": None, "message": message}]}))
        self.stderr.write(message)
        raise SystemExit(2)

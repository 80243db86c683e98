"""Load or update schools, academies, colleges and early years settings from DfE's register of
establishments ("Get Information about Schools").

    python manage.py import_establishments FILE.csv [--links LINKS.csv] [--la 839] [--json]

Safe to run again (found by URN). All or nothing: a file that cannot be read or lacks a column
is refused naming it (exit 2); any row that fails a check is reported and nothing is written
(exit 1)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from everychild.access.audit import AuditEvent, record_many
from everychild.access.models import AuditAction
from everychild.accounts.establishments import FileRefused, import_establishments

EXIT_ROWS_REFUSED = 1
EXIT_UNUSABLE = 2


def load_and_audit(*, establishments: Path, links: Path | None, la: str | None):
    """The import and its audit entries, in one transaction."""
    with transaction.atomic():
        result = import_establishments(
            establishments=establishments.read_bytes(),
            links=links.read_bytes() if links else None,
            la=la,
        )
        record_many(
            AuditEvent(
                action=AuditAction.CREATE if change.what == "created" else AuditAction.UPDATE,
                record_type=change.organisation._meta.label,
                record_id=str(change.organisation.pk),
                reason="DfE register of establishments",
                detail={
                    "urn": change.organisation.urn,
                    change.what: change.fields,
                    "file": establishments.name,
                },
            )  # fmt: skip
            for change in result.changes
        )
    return result


class Command(BaseCommand):
    help = "Load or update establishments from DfE's register (GIAS CSV); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("file", help="GIAS establishments CSV (edubasealldataYYYYMMDD.csv)")
        parser.add_argument(
            "--links", help="GIAS links CSV, to link academies to the schools they replaced"
        )
        parser.add_argument("--la", help="only this local authority's establishments (e.g. 839)")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args, **options):
        la = options["la"]
        if la is not None and not (len(la) == 3 and la.isdigit()):
            self.stderr.write(f'--la "{la}" is not a 3-digit LA number, like 839.')
            raise SystemExit(EXIT_UNUSABLE)
        paths = [Path(options["file"])] + ([Path(options["links"])] if options["links"] else [])
        for path in paths:
            if not path.is_file():
                self.stderr.write(f"Nothing was loaded: there is no file {path}.")
                raise SystemExit(EXIT_UNUSABLE)
        try:
            result = load_and_audit(
                establishments=paths[0], links=paths[1] if len(paths) > 1 else None, la=la
            )
        except FileRefused as refused:
            self.stderr.write(str(refused))
            raise SystemExit(EXIT_UNUSABLE) from None
        if options["json"]:
            self.stdout.write(json.dumps(
                {**result.counts(), "problems": [str(p) for p in result.problems],
                 "notes": result.notes}, indent=2,
            ))  # fmt: skip
        else:
            for problem in result.problems:
                self.stdout.write(str(problem))
            for note in result.notes:
                self.stdout.write(note)
        if result.problems:
            if not options["json"]:
                self.stdout.write(
                    f"Nothing was loaded: {len(result.problems)} row(s) failed the checks above."
                    " Correct the file and run it again."
                )
            raise SystemExit(EXIT_ROWS_REFUSED)
        if not options["json"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Establishments: {result.created} created, {result.updated} updated, "
                    f"{result.closed} closed, {result.unchanged} unchanged; "
                    f"{result.linked} linked to the school they replaced; "
                    f"{result.not_settings} passed over (not education settings)."
                )
            )

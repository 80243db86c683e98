from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from everychild.children.models import Child
from everychild.dataprotection import subject_access


class Command(BaseCommand):
    help = (
        "Write everything held about a child (JSON and an accessible PDF) for a subject access "
        "request. The export is recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("child_id", type=int)
        parser.add_argument("--out", required=True, help="Folder to write the two files to")

    def handle(self, *args, child_id, out, **options):
        child = Child.objects.filter(pk=child_id).first()
        if child is None:
            raise CommandError(f"There is no child {child_id}.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        export = subject_access.build(child, actor=None)
        (folder / f"subject-access-{child.pk}.json").write_text(export.as_json(), "utf-8")
        (folder / f"subject-access-{child.pk}.pdf").write_bytes(export.as_pdf())
        self.stdout.write(
            f"Wrote {len(export.sections)} kinds of record and {len(export.audit)} audit "
            f"entries for child {child.pk} to {folder}"
        )

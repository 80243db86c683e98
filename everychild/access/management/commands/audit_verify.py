from django.core.management.base import BaseCommand

from everychild.access.audit import verify_chain
from everychild.access.checkpoint import verify_against_checkpoints


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and that it still holds every signed checkpoint: "
        "exit 0 if intact, 1 at the first broken link, truncation or re-hashing."
    )

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            self.stderr.write(
                f"Audit log broken at entry {result.broken_at_seq}: {result.problem}. "
                f"{result.checked} entries before it are intact."
            )
            raise SystemExit(1)
        anchored = verify_against_checkpoints()
        if not anchored.ok:
            self.stderr.write(
                f"Audit log does not match its signed checkpoints: {anchored.problem}."
            )
            raise SystemExit(1)
        self.stdout.write(f"Audit log intact: {result.checked} entries, every link checked.")
        if anchored.latest is not None:
            self.stdout.write(
                f"Matches {anchored.checkpoints} signed checkpoints, the latest at entry "
                f"{anchored.latest.seq} ({anchored.latest.at})."
            )
        else:
            self.stdout.write("No signed checkpoint yet: run manage.py audit_checkpoint.")

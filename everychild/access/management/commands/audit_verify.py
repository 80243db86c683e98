from django.core.management.base import BaseCommand

from everychild.access.audit import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain: exit 0 if intact, 1 at the first broken link."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"Audit log intact: {result.checked} entries, every link checked.")
            return
        self.stderr.write(
            f"Audit log broken at entry {result.broken_at_seq}: {result.problem}. "
            f"{result.checked} entries before it are intact."
        )
        raise SystemExit(1)

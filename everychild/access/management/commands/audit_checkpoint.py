from django.core.management.base import BaseCommand

from everychild.access.checkpoint import write_checkpoint


class Command(BaseCommand):
    help = "Sign the audit chain's head now and append it to the checkpoint file and the log."

    def handle(self, *args, **options):
        checkpoint = write_checkpoint()
        self.stdout.write(
            f"Audit checkpoint written: entry {checkpoint.seq}, hash {checkpoint.hash[:12]}…"
        )

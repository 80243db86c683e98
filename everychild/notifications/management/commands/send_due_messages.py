from django.core.management.base import BaseCommand

from everychild.notifications.services import send_due_messages


class Command(BaseCommand):
    help = (
        "Send the messages that are waiting and due (first tries and retries after a temporary "
        "failure). Safe to run as often as you like: run it every few minutes from cron."
    )

    def handle(self, *args, **options):
        outcomes = send_due_messages()
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(summary)

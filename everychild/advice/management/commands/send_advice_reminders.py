"""manage.py send_advice_reminders: the daily sweep (cron or the worker runs it). Safe to run
as often as you like: a reminder or escalation is never sent twice."""

import datetime as dt

from django.core.management.base import BaseCommand

from everychild.advice.reminders import send_advice_reminders


class Command(BaseCommand):
    help = "Send advice reminders (2 weeks before due) and escalations (when overdue), once each."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="judge as on this day (YYYY-MM-DD)"
        )

    def handle(self, *args, today=None, **options):
        counts = send_advice_reminders(today=today)
        self.stdout.write(
            f"Sent {counts['reminders']} reminders and {counts['escalations']} escalations "
            f"({counts['already_sent']} already sent before)."
        )

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from everychild.access import tokens
from everychild.accounts.models import ApiTokenEnd, User


class Command(BaseCommand):
    help = (
        "Make a named API token for a user, usually a service account, and print it once: only "
        "its hash is kept. It ends after --days (90 unless given) or when revoked."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Service account", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=tokens.DEFAULT_LIFETIME_DAYS,
            help=f"How long it works (1 to {tokens.LONGEST_LIFETIME_DAYS} days).",
        )
        parser.add_argument(
            "--rotate", action="store_true", help="Revoke the user's other tokens first."
        )

    def handle(self, *args, email, name, days, rotate, **options):
        try:
            user = User.objects.get(email=email.strip().lower(), is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user has the e-mail address {email}.") from None
        if rotate:
            tokens.revoke_all(user, because=ApiTokenEnd.BY_COMMAND)
        try:
            token, key = tokens.issue(user=user, name=name, days=days, by_command=True)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write(f"{token.name}: works until {token.expires_at:%d %B %Y %H:%M} UTC.")
        self.stdout.write(key)

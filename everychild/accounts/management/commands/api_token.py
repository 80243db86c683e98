from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from everychild.accounts.models import User


class Command(BaseCommand):
    help = "Print an API token for a user (creating one if they have none)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--rotate", action="store_true", help="Replace any existing token.")

    def handle(self, *args, email, rotate, **options):
        try:
            user = User.objects.get(email=email.strip().lower(), is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user has the e-mail address {email}.") from None
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)

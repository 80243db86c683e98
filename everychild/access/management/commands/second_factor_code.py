from django.core.management.base import BaseCommand, CommandError

from everychild.access import enrolment
from everychild.access.policy import is_staff_member
from everychild.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a staff member a one-time code to set up two-factor sign-in: e-mailed to them, "
        "or with --show printed once here for you to give them. --reset first removes their "
        "authenticator app (a lost phone); they are told by e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--show", action="store_true", help="Print the code instead.")
        parser.add_argument("--reset", action="store_true", help="Remove their app first.")

    def handle(self, *args, email, show, reset, **options):
        user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the e-mail address {email}.")
        if not is_staff_member(user):
            raise CommandError(f"{email} is not a member of staff: families use no app.")
        if reset:
            enrolment.reset(user=user)
        code = enrolment.issue(user=user, show=show)
        if code:
            self.stderr.write("Give this code to them privately; it is not shown again.")
            self.stdout.write(code)
        else:
            self.stdout.write(f"An enrolment code is e-mailed to {user.email}.")

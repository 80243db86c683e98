"""Password rules beyond Django's own."""

import re

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

_EDGES = re.compile(r"^[\d\W_]+|[\d\W_]+$")


class CommonPasswordVariantValidator(CommonPasswordValidator):
    """Refuses a common password with digits or symbols added at either end ("iloveyou2024",
    "!!password1"): the first thing a password-guessing list tries after the words themselves
    (NCSC password guidance)."""

    def validate(self, password, user=None):
        core = _EDGES.sub("", password.lower().strip())
        if core and core != password.lower().strip() and core in self.passwords:
            raise ValidationError(
                "This password is a common password with numbers or symbols added. Choose one "
                "that is harder to guess, such as three random words.",
                code="password_too_common",
            )

    def get_help_text(self):
        return "Your password cannot be a common password with numbers or symbols added."

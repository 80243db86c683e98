"""Invitations to staff, and links an administrator sends to set a new password."""

from django.conf import settings
from django.db import models


class StaffInvitation(models.Model):
    """A single-use, short-lived link e-mailed to a member of staff: to join an organisation
    in the roles named, or (a password reset) to choose a new password. Only a keyed hash of
    the link's token is kept; the token is made as the message is sent (decision 0181)."""

    class Purpose(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        PASSWORD_RESET = "password_reset", "Password reset"

    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_invitations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    roles = models.JSONField(default=list, blank=True)
    # The link may set the account's password: only for an account this invitation made (or an
    # administrator's password reset) and only while it has no usable password. Otherwise the
    # person signs in to their own account to accept (issue 17: a link never takes one over).
    sets_password = models.BooleanField(default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} for {self.user}"

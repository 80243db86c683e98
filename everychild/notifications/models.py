"""Every message the service sends, recorded before it is sent (ARCHITECTURE.md: notifications).

A message is created once per idempotency key, so a reminder sweep or a retried task that runs
twice finds the existing row instead of sending again. Bodies hold no child's name or personal
details (see `templates.ALLOWED_FIELDS`), so keeping them is safe and lets an administrator
see exactly what went out."""

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Text message"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to send"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    RETRYING = "retrying", "Failed, will try again"
    FAILED = "failed", "Failed, will not try again"
    # The provider may or may not have taken it (the process stopped mid-send): never resent
    # automatically, because sending twice is worse than asking an administrator to look.
    UNCERTAIN = "uncertain", "Not known whether sent"


class Message(models.Model):
    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="Idempotency key: one message per key, ever.",
    )
    template = models.CharField(max_length=80)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    to = models.CharField(max_length=254, help_text="E-mail address or phone number")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When sending last began")
    last_error = models.CharField(max_length=500, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Whom and what it is about, for subject access and retention; never shown in the body.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages_received",
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.template} to {self.to} ({self.get_status_display()})"

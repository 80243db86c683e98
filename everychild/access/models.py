"""The audit log.

The audit log is append-only: the application refuses to change or delete an entry, and each
entry carries the hash of the one before it, so `manage.py audit_verify` finds any row that
was altered or removed behind the application's back. On PostgreSQL a trigger also refuses
UPDATE and DELETE (see migration 0002 and docs/decisions/0003-audit-log.md)."""

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Removed"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    BREAK_GLASS = "break_glass", "Exceptional access (break-glass)"
    REFUSED = "refused", "Access refused"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only: entries cannot be removed.")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True, help_text="Position in the hash chain, from 1.")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the entry still says who it was if an account is renamed.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=12, choices=AuditAction.choices)
    # Plain integers, not foreign keys: the log must outlive and never cascade from the record.
    child_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=60, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["actor", "at"]), models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.action} child={self.child_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only: entries cannot be removed.")

    def canonical(self) -> str:
        """The text the hash covers: every field but the hash itself."""
        return json.dumps(
            [
                self.seq,
                _iso_utc(self.at),
                self.actor_id,
                self.actor_label,
                self.action,
                self.child_id,
                self.record_type,
                str(self.record_id),
                self.ip_address,
                self.reason,
                self.detail,
                self.prev_hash,
            ],
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


def _iso_utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash, locked while an entry is appended so that
    concurrent writers form one chain."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain head at {self.seq}"

"""Signed checkpoints of the audit chain's head, kept where the database cannot reach.

The hash chain alone proves that no entry was changed *in place*; someone who can write to the
database could still delete the newest entries, or rewrite one and recompute every hash after
it, and leave a chain that checks. A checkpoint closes that: at intervals (a scheduled job) and
on demand (`manage.py audit_checkpoint`) the head's sequence number and hash are signed with
an HMAC key that comes from the environment, never the database, and appended to a file the
application only ever appends to, and written to the log stream (kept by the platform). A
chain that no longer reaches a signed checkpoint, or reaches it with a different hash, has been
truncated or re-hashed (UK GDPR art. 5(1)(f) and 5(2): integrity, and being able to show it)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from everychild.access.models import AuditChainHead, AuditEntry

logger = logging.getLogger("everychild.audit.checkpoint")

DEV_KEY_NAME = "audit-checkpoint.key"


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    signature: str

    def message(self) -> bytes:
        return f"everychild-audit-checkpoint|{self.seq}|{self.hash}|{self.at}".encode()

    def line(self) -> str:
        return json.dumps(
            {"seq": self.seq, "hash": self.hash, "at": self.at, "signature": self.signature},
            sort_keys=True,
        )


def _key() -> bytes:
    """The signing key: from the environment in production (refused if missing); elsewhere a
    key generated once in the data folder, readable by the service's user only."""
    key = getattr(settings, "AUDIT_CHECKPOINT_KEY", "")
    if key:
        return key.encode()
    if settings.PRODUCTION:
        raise ImproperlyConfigured("EVERYCHILD_AUDIT_CHECKPOINT_KEY must be set in production.")
    path = Path(settings.DATA_DIR) / DEV_KEY_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _sign(seq: int, head_hash: str, at: str) -> Checkpoint:
    unsigned = Checkpoint(seq, head_hash, at, "")
    signature = hmac.new(_key(), unsigned.message(), hashlib.sha256).hexdigest()
    return Checkpoint(seq, head_hash, at, signature)


def _file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def write_checkpoint() -> Checkpoint:
    """Sign the chain head as it stands and append it to the checkpoint file and the log."""
    head = AuditChainHead.objects.filter(pk=1).first()
    seq, head_hash = (head.seq, head.hash) if head else (0, "0" * 64)
    checkpoint = _sign(seq, head_hash, timezone.now().isoformat())
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each write lands at the end, whatever else has the file open.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(checkpoint.line() + "\n")
    logger.info("audit checkpoint %s", checkpoint.line())
    return checkpoint


def scheduled_checkpoint() -> str:
    """The scheduled job: a checkpoint every run (every 15 minutes from cron)."""
    checkpoint = write_checkpoint()
    return f"checkpoint at entry {checkpoint.seq}"


def read_checkpoints() -> tuple[list[Checkpoint], list[int]]:
    """Every checkpoint in the file whose signature holds, and the line numbers of any whose
    signature does not (forged, or signed with another key)."""
    path = _file()
    if not path.exists():
        return [], []
    good, bad = [], []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        if not text.strip():
            continue
        try:
            fields = json.loads(text)
            claimed = Checkpoint(
                int(fields["seq"]), str(fields["hash"]), str(fields["at"]), str(fields["signature"])
            )
        except (ValueError, KeyError, TypeError):
            bad.append(number)
            continue
        expected = _sign(claimed.seq, claimed.hash, claimed.at).signature
        if hmac.compare_digest(expected, claimed.signature):
            good.append(claimed)
        else:
            bad.append(number)
    return good, bad


@dataclass
class CheckpointResult:
    ok: bool
    checkpoints: int
    latest: Checkpoint | None = None
    problem: str = ""


def verify_against_checkpoints() -> CheckpointResult:
    """Does the chain still hold what every signed checkpoint vouched for? Reports the
    earliest checkpoint it no longer matches: fewer entries than signed is truncation; the
    entry at a checkpoint with another hash is a rewrite with the later hashes recomputed."""
    checkpoints, bad = read_checkpoints()
    if bad:
        return CheckpointResult(
            False,
            len(checkpoints),
            problem=f"checkpoint line {bad[0]} is not signed with the checkpoint key "
            "(forged or altered)",
        )
    if not checkpoints:
        return CheckpointResult(True, 0)
    hashes = dict(
        AuditEntry.objects.filter(seq__in={c.seq for c in checkpoints}).values_list("seq", "hash")
    )
    newest = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for checkpoint in sorted(checkpoints, key=lambda c: (c.seq, c.at)):
        if checkpoint.seq == 0:
            continue
        if newest < checkpoint.seq:
            return CheckpointResult(
                False,
                len(checkpoints),
                checkpoint,
                f"truncated: the checkpoint signed at {checkpoint.at} vouches for "
                f"{checkpoint.seq} entries but the log ends at entry {newest} "
                "(the newest entries were deleted)",
            )
        if hashes.get(checkpoint.seq) != checkpoint.hash:
            return CheckpointResult(
                False,
                len(checkpoints),
                checkpoint,
                f"re-hashed: entry {checkpoint.seq} does not have the hash signed at "
                f"{checkpoint.at} (an entry at or before it was rewritten and the hashes "
                "after it recomputed)",
            )
    latest = max(checkpoints, key=lambda c: (c.seq, c.at))
    return CheckpointResult(True, len(checkpoints), latest)

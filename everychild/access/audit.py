"""Writing to and checking the audit log. Every read and write of a child's data calls
`record` (or `record_many` for bulk work) inside the same transaction as the work itself."""

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from everychild.access.models import AuditAction, AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def client_address(request) -> str | None:
    """The caller's address. Behind a trusted proxy, TrustedProxyMiddleware has already put
    the real client's address in REMOTE_ADDR (EVERYCHILD_TRUSTED_PROXIES)."""
    if request is None:
        return None
    return _canonical_address(request.META.get("REMOTE_ADDR") or "")


def _canonical_address(text: str) -> str | None:
    """The address as the database will store it (so the entry's hash still matches when it
    is read back), or None if it is not an IP address at all."""
    text = text.strip()
    try:
        if ":" in text:
            return clean_ipv6_address(text)
        return str(ipaddress.IPv4Address(text))
    except (ValueError, ValidationError):
        return None


@dataclass
class AuditEvent:
    """One thing to record; used by `record_many` for bulk work such as the demo seed."""

    action: str
    actor: object | None = None
    child_id: int | None = None
    record_type: str = ""
    record_id: str = ""
    ip_address: str | None = None
    reason: str = ""
    detail: dict = field(default_factory=dict)


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _label(actor) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "email", "") or str(actor)


def record(
    *,
    action: str,
    actor=None,
    child=None,
    record=None,
    request=None,
    reason: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry. `child` is a Child or its id; `record` any model instance."""
    [entry] = record_many(
        [
            AuditEvent(
                action=action,
                actor=actor if actor is not None and actor.is_authenticated else None,
                child_id=getattr(child, "pk", child),
                record_type=record._meta.label if record is not None else "",
                record_id=str(record.pk) if record is not None else "",
                ip_address=client_address(request),
                reason=reason,
                detail=detail or {},
            )
        ]
    )
    return entry


# AuditAction.values builds a new list on every call: once per entry on a list page of 100.
_ACTIONS = frozenset(AuditAction.values)


def record_many(events: Iterable[AuditEvent], *, at: dt.datetime | None = None) -> list[AuditEntry]:
    """Append entries as one link of the chain each, under one lock of the chain head. Nothing
    to append takes no lock (an empty list page would otherwise queue behind every writer)."""
    events = list(events)
    if not events:
        return []
    with transaction.atomic():
        head = _locked_head()
        now = at or timezone.now()
        entries = []
        seq, prev = head.seq, head.hash
        for event in events:
            if event.action not in _ACTIONS:
                raise ValueError(f"Unknown audit action {event.action!r}")
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=now,
                actor=event.actor,
                actor_label=_label(event.actor),
                action=event.action,
                child_id=event.child_id,
                record_type=event.record_type,
                record_id=event.record_id,
                ip_address=event.ip_address,
                reason=event.reason,
                detail=event.detail,
                prev_hash=prev,
            )
            entry.hash = entry.compute_hash()
            prev = entry.hash
            entries.append(entry)
        if entries:
            AuditEntry.objects.bulk_create(entries, batch_size=2000)
            AuditChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)
        return entries


def record_shown(
    actor,
    shown: Iterable[tuple[int | None, str, str]],
    *,
    action: str = AuditAction.VIEW,
    request=None,
    reason: str = "",
    detail: dict | None = None,
) -> list[AuditEntry]:
    """One entry per record shown in a list (whose record, seen by whom, from where): `shown`
    gives each record's (child id, record type such as "plans.EHCPlan", record id or "")."""
    address = client_address(request)
    return record_many(
        AuditEvent(
            action=action,
            actor=actor if actor is not None and actor.is_authenticated else None,
            child_id=child_id,
            record_type=record_type,
            record_id=record_id,
            ip_address=address,
            reason=reason,
            detail=dict(detail or {}),
        )
        for child_id, record_type, record_id in shown
    )


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_at_seq: int | None = None
    problem: str = ""


def verify_chain(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in order and report the first entry whose link is broken."""
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0
    qs = AuditEntry.objects.order_by("seq")
    last_seq = 0
    while True:
        batch = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return VerifyResult(
                    False, checked, expected_seq, f"entry {expected_seq} is missing"
                )
            if entry.prev_hash != prev:
                return VerifyResult(
                    False, checked, entry.seq, "its link to the entry before does not match"
                )
            if entry.compute_hash() != entry.hash:
                return VerifyResult(
                    False, checked, entry.seq, "its contents do not match its hash (altered)"
                )
            prev = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq != checked:
        return VerifyResult(
            False,
            checked,
            checked + 1,
            f"the chain head says {head.seq} entries but {checked} were found (entries removed)",
        )
    return VerifyResult(True, checked)

"""A subject access export for a child (UK GDPR Art. 15; Data Protection Act 2018 s.45):
everything EveryChild holds about them, from every module, and who has seen their record.

As JSON (complete, for the council's records team) and as a readable, accessible PDF (for the
family). Every export is itself written to the audit log."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction, AuditEntry
from everychild.children.models import Child

from .graph import child_record_models, records_of

# Never exported: secrets and internal plumbing with no meaning to the person.
NOT_EXPORTED = {"password", "stored_name", "hash", "prev_hash", "pdf"}


@dataclass
class Section:
    label: str  # e.g. "casework.CaseEvent"
    title: str  # e.g. "Case events"
    rows: list[list[tuple[str, str, object]]] = field(default_factory=list)  # (name, label, value)


@dataclass
class SubjectAccessExport:
    child: Child
    generated_at: dt.datetime
    generated_by: str
    details: list[tuple[str, str, object]]
    sections: list[Section]
    audit: list[dict]

    def as_json(self) -> str:
        return json.dumps(
            {
                "generated_at": self.generated_at.isoformat(),
                "generated_by": self.generated_by,
                "child": {name: value for name, _, value in self.details},
                "records": {
                    s.label: [{name: value for name, _, value in row} for row in s.rows]
                    for s in self.sections
                },
                "audit": self.audit,
            },
            indent=2,
            ensure_ascii=False,
        )

    def as_html(self) -> str:
        return render_to_string("dataprotection/subject_access.html", {"export": self})

    def as_pdf(self) -> bytes:
        from weasyprint import HTML  # Pango is loaded only when a PDF is made

        return HTML(string=self.as_html()).write_pdf(pdf_variant="pdf/ua-1")


def _value(instance: models.Model, f: models.Field):
    value = getattr(instance, f.attname)
    if value is None:
        return None
    if f.is_relation:
        related = getattr(instance, f.name)
        return str(related) if related is not None else None
    if f.choices:
        return getattr(instance, f"get_{f.name}_display")()
    if isinstance(f, models.FileField):
        return value.name if hasattr(value, "name") else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(instance: models.Model) -> list[tuple[str, str, object]]:
    out = []
    for f in instance._meta.concrete_fields:
        if f.name in NOT_EXPORTED:
            continue
        out.append((f.name, str(f.verbose_name).capitalize(), _value(instance, f)))
    return out


def build(child: Child, *, actor, request=None) -> SubjectAccessExport:
    """Gather everything held about `child`, and record that it was exported."""
    sections = []
    for records in child_record_models():
        rows = [_row(obj) for obj in records_of(child, records)]
        if rows:
            meta = records.model._meta
            sections.append(
                Section(records.label, str(meta.verbose_name_plural).capitalize(), rows)
            )
    seen = [
        {
            "at": entry.at.isoformat(),
            "when": timezone.localtime(entry.at).strftime("%-d %b %Y %H:%M"),
            "who": entry.actor_label,
            "action": entry.get_action_display(),
            "record": entry.record_type,
            "reason": entry.reason,
        }
        for entry in AuditEntry.objects.filter(child_id=child.pk).order_by("seq")
    ]
    export = SubjectAccessExport(
        child=child,
        generated_at=timezone.now(),
        generated_by=getattr(actor, "email", "") or "system",
        details=_row(child),
        sections=sections,
        audit=seen,
    )
    audit.record(
        action=AuditAction.EXPORT,
        actor=actor,
        child=child,
        record=child,
        request=request,
        reason="Subject access request",
        detail={"sections": len(sections), "audit_entries": len(seen)},
    )
    return export

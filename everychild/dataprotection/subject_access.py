"""A subject access export for a child (UK GDPR Art. 15; Data Protection Act 2018 s.45):
everything EveryChild holds about them, from every module, and who has seen their record.

As JSON (complete, for the council's records team) and as a readable, accessible PDF (for the
family). Every export is itself written to the audit log.

The JSON stays machine-readable (codes, ISO dates, the JSON fields as they are held). The
family's copy says the same things in plain English: dates as "30 March 1998", moments as
"7 December 2026, 4:08pm" in UK time, Yes and No, codes by their labels, "Not recorded" for
nothing held, and the JSON fields (a plan's sections, its quality check) as lists within lists
under readable headings. Nothing held about the person is left out of it."""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from everychild.access import audit
from everychild.access.models import AuditAction, AuditEntry
from everychild.casework.models import EventKind
from everychild.casework.uploads import CONTENT_TYPES, KIND_LABELS
from everychild.children import codes
from everychild.children.models import Child
from everychild.core.prose import date_and_time, long_date
from everychild.plans.models import SettingCode

from .graph import child_record_models, records_of

# Never exported: secrets and internal plumbing with no meaning to the person.
NOT_EXPORTED = {"password", "stored_name", "hash", "prev_hash", "pdf"}

# A file is held as its place in the private upload storage ("cases/12/3f9c..."): the server's
# business, meaning nothing to the person and not to be handed out (it is kept outside the web
# root for a reason). Both readings name the file as the person knows it instead, from the
# fields kept beside it: (model, file field) -> the fields holding its name, its type and when
# it was added. None: not held, so the record's own name, the type its name's ending says, no
# date. A test checks every file a child's record can hold is listed here.
FILE_DETAILS: dict[tuple[str, str], tuple[str | None, str | None, str | None]] = {
    ("advice.AdviceWork", "document"): ("document_name", "document_type", "submitted_on"),
    ("casework.CaseDocument", "file"): ("original_name", "content_type", "uploaded_at"),
    ("families.ViewsAttachment", "file"): ("original_name", "content_type", "uploaded_at"),
    ("plans.PlanPDF", "file"): (None, None, "rendered_at"),
}


@dataclass
class Section:
    label: str  # e.g. "casework.CaseEvent"
    title: str  # e.g. "Case events"
    rows: list[list[tuple[str, str, object]]] = field(default_factory=list)  # (name, label, value)
    # The same rows for the family: (label, the value in words, as HTML ready to show).
    shown: list[list[tuple[str, SafeString]]] = field(default_factory=list)


@dataclass
class SubjectAccessExport:
    child: Child
    generated_at: dt.datetime
    generated_by: str
    details: list[tuple[str, str, object]]
    sections: list[Section]
    audit: list[dict]
    shown_details: list[tuple[str, SafeString]] = field(default_factory=list)

    @property
    def made_at(self) -> str:
        return date_and_time(timezone.localtime(self.generated_at))

    @property
    def audit_shown(self) -> list[dict]:
        """Who saw the record, each time and record in words as in the rest of the family's
        copy ("Child", not "children.Child"); the JSON's are left as they were."""
        return [
            {
                **entry,
                "when": _moment(dt.datetime.fromisoformat(entry["at"])),
                "record": _record_name(entry["record"]),
            }
            for entry in self.audit
        ]

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
        return _file_held(instance, f)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _file_held(instance: models.Model, f: models.FileField) -> dict | None:
    """A file held, as its name, type and when it was added (ISO), never its storage path;
    None when no file is held (cleared when the record was made anonymous, or never given)."""
    stored = getattr(instance, f.attname)
    path = getattr(stored, "name", stored) or ""
    if not path:
        return None
    name_field, type_field, date_field = FILE_DETAILS.get(
        (instance._meta.label, f.name), (None, None, None)
    )
    added = getattr(instance, date_field) if date_field else None
    return {
        "name": (getattr(instance, name_field) if name_field else "") or str(instance),
        "type": (getattr(instance, type_field) if type_field else "")
        or mimetypes.guess_type(path)[0]
        or "",
        "added": added.isoformat() if added else None,
    }


def _row(instance: models.Model) -> list[tuple[str, str, object]]:
    out = []
    for f in instance._meta.concrete_fields:
        if f.name in NOT_EXPORTED:
            continue
        out.append((f.name, str(f.verbose_name).capitalize(), _value(instance, f)))
    return out


# --- The family's copy ------------------------------------------------------------------------

NOT_RECORDED = "Not recorded"

# Internal bookkeeping left out of the family's copy only: each row's own id, the counters that
# move on with each change (optimistic locking), and the ids of other rows inside JSON fields
# ("setting_id" in a plan's section I, whose setting is named beside it). They say nothing
# about the person, and every piece of personal data is still in the family's copy: every
# other field and key held is shown. The JSON keeps these too.
BOOKKEEPING = {"version", "lock_version", "review_version"}

# Codes held without choices on their field (finance.Placement.setting_code) or inside a JSON
# field (a plan's sections), shown by their labels: the key or field name -> its code list.
CODE_LISTS: dict[str, type[models.TextChoices]] = {
    "primary_need": codes.NeedType,
    "secondary_need": codes.NeedType,
    "need_type": codes.NeedType,
    "setting_code": SettingCode,
    "sex": codes.Sex,
    "ethnicity": codes.Ethnicity,
    "upn_unknown_reason": codes.UPNUnknownReason,
}

# Model fields holding codes from a list that is not their field's choices (other modules may
# write kinds of their own, shown as held): (model, field) -> its code list.
FIELD_CODE_LISTS: dict[tuple[str, str], type[models.TextChoices]] = {
    ("casework.CaseEvent", "kind"): EventKind,
}

# Words written as acronyms in labels: a field called "nhs_number", or "ehc plans" made
# "Ehc plans" by str.capitalize(), reads "NHS number", "EHC plans".
ACRONYMS = {
    word.lower(): word
    for word in (
        "EHC", "EHCP", "UPN", "ULN", "NHS", "SEN", "SEN2", "SENCO", "URN", "UKPRN",
        "ID", "LA", "EP", "ICB", "GP", "PDF", "URL",
    )
}  # fmt: skip
ACRONYMS["sha256"] = "SHA-256"
_SECTION_LETTER = re.compile(r"[A-K]\d?")  # a plan's sections: "A" to "K", "H1", "H2"
_ROW_ID_KEY = re.compile(r".+_id")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def humanise(name: str) -> str:
    """A field's name or verbose name, or a key in a JSON field, as a label: "nhs_number" ->
    "NHS number", "ehc plans" -> "EHC plans", "reason the UPN is unknown" -> "Reason the UPN
    is unknown" (acronyms kept, only the first letter raised)."""
    words = [
        ACRONYMS.get(word.lower(), word) if word.islower() or word.isdigit() else word
        for word in str(name).replace("_", " ").split()
    ]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def _key_label(key) -> str:
    key = str(key)
    if _SECTION_LETTER.fullmatch(key):
        return f"Section {key}"
    # An item's own reference in a plan ("b1", a need), by which its outcomes name it.
    return "Reference" if key == "id" else humanise(key)


def _row_id(key, value) -> bool:
    return bool(_ROW_ID_KEY.fullmatch(str(key))) and (
        value is None or (isinstance(value, int) and not isinstance(value, bool))
    )


def _record_name(label: str) -> str:
    """ "children.Child" as "Child"; anything not a model's label as it is."""
    try:
        return humanise(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def _moment(value: dt.datetime) -> str:
    return date_and_time(timezone.localtime(value) if timezone.is_aware(value) else value)


def in_words(value, key: str = ""):
    """A value held, for the family: a string, or for a dict or list a list of (label or None,
    the item in words), to be set out as a list within the list."""
    if value is None or value == "" or value == [] or value == {}:
        return NOT_RECORDED
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return _moment(value)
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, dict):
        lines = [(_key_label(k), in_words(v, k)) for k, v in value.items() if not _row_id(k, v)]
        return lines or NOT_RECORDED
    if isinstance(value, list | tuple):
        return [(None, in_words(item, key)) for item in value]
    if isinstance(value, str):
        code_list = CODE_LISTS.get(str(key))
        if code_list is not None and value in code_list.values:
            return str(code_list(value).label)
        try:
            if _ISO_DATE.fullmatch(value):
                return long_date(dt.date.fromisoformat(value))
            if _ISO_MOMENT.fullmatch(value):
                return _moment(dt.datetime.fromisoformat(value))
        except ValueError:
            pass  # looks like a date but is not one: shown as held
        return value
    return str(value)


def as_html(words) -> SafeString:
    """A value in words as HTML: text escaped, lists as nested lists."""
    if isinstance(words, list):
        return format_html(
            '<ul class="held">{}</ul>',
            format_html_join("", "<li>{}</li>", ((_item(label, item),) for label, item in words)),
        )
    return conditional_escape(words)


def _item(label, words) -> SafeString:
    if label is None:
        return as_html(words)
    if isinstance(words, list):
        return format_html("<strong>{}</strong>{}", label, as_html(words))
    return format_html("<strong>{}:</strong> {}", label, words)


# A file's type in words ("a PDF"), as the upload pages say it; a type the service does not
# take itself is shown as held.
_TYPE_WORDS = {content_type: KIND_LABELS[kind] for kind, content_type in CONTENT_TYPES.items()}


def _file_in_words(held: dict) -> str:
    """ "report.pdf (a PDF, added 4 March 2026, 3:08pm)"."""
    about = [_TYPE_WORDS.get(held["type"], held["type"])]
    if held["added"]:
        about.append("added " + in_words(held["added"]))
    about = [part for part in about if part]
    return f"{held['name']} ({', '.join(about)})" if about else held["name"]


def _shown_value(instance: models.Model, f: models.Field):
    value = getattr(instance, f.attname)
    if value is None or value == "":
        return NOT_RECORDED
    if isinstance(f, models.FileField):
        held = _file_held(instance, f)
        return _file_in_words(held) if held else NOT_RECORDED
    if f.is_relation or f.choices or isinstance(value, bytes | memoryview):
        # The JSON's own reading (a related record's name, a choice's label, no bytes), with
        # nothing held said in words.
        return _value(instance, f) or NOT_RECORDED
    code_list = FIELD_CODE_LISTS.get((instance._meta.label, f.name))
    if code_list is not None and value in code_list.values:
        return str(code_list(value).label)
    return in_words(value, f.name)


def _shown_row(instance: models.Model) -> list[tuple[str, SafeString]]:
    out = []
    for f in instance._meta.concrete_fields:
        if f.name in NOT_EXPORTED or (f.primary_key and isinstance(f, models.AutoField)):
            continue
        if f.name in BOOKKEEPING and not f.is_relation:
            continue
        out.append((humanise(f.verbose_name), as_html(_shown_value(instance, f))))
    return out


def build(child: Child, *, actor, request=None) -> SubjectAccessExport:
    """Gather everything held about `child`, and record that it was exported."""
    sections = []
    for records in child_record_models():
        held = list(records_of(child, records))
        if held:
            meta = records.model._meta
            sections.append(
                Section(
                    records.label,
                    humanise(meta.verbose_name_plural),
                    [_row(obj) for obj in held],
                    [_shown_row(obj) for obj in held],
                )
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
        shown_details=_shown_row(child),
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

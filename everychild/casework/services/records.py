"""The case's records: notes, documents and letters."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from everychild.access.models import AuditAction
from everychild.casework import chronology, letters, uploads
from everychild.casework.models import (
    AdviceRequest,
    AssessmentRequest,
    CaseDocument,
    CaseNote,
    Consultation,
    Decision,
    EventKind,
    Letter,
)
from everychild.casework.services.steps import (
    MAX_NOTE_LENGTH,
    _bump,
    _locked,
    _may_edit,
    _record,
    logger,
)
from everychild.core.dates import today
from everychild.core.digits import ascii_digits
from everychild.core.wording import date as _check_date
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text

# --- Notes, documents and letters ----------------------------------------------------------


def add_note(*, actor, case: AssessmentRequest, text: str, request=None) -> CaseNote:
    _may_edit(actor, case)
    text = _text("text", text, "the note", max_length=MAX_NOTE_LENGTH)
    with transaction.atomic():
        note = CaseNote.objects.create(assessment_request=case, author=actor, text=text)
        _record(
            case,
            EventKind.NOTE_ADDED,
            today(),
            actor=actor,
            summary=f"Note added by {actor.full_name}",
            record=note,
            request=request,
            action=AuditAction.CREATE,
        )
    return note


def _store(case: AssessmentRequest, document: CaseDocument, content: bytes) -> None:
    document.stored_name = uuid.uuid4().hex
    document.file.save(document.stored_name, ContentFile(content), save=False)


def upload_document(
    *, actor, case: AssessmentRequest, upload, title: str = "", request=None
) -> CaseDocument:
    """Add a document: PDF, DOCX, JPEG or PNG up to 10 MB, checked by content, stored under
    MEDIA_ROOT/cases/<case>/<random name> (never served directly)."""
    _may_edit(actor, case)
    checked = uploads.check_upload(upload)
    title = _text("title", title or checked.original_name, "a title", max_length=200)
    upload.seek(0)
    content = upload.read()
    document = CaseDocument(
        assessment_request=case,
        kind=CaseDocument.Kind.UPLOAD,
        title=title,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    _store(case, document, content)
    try:
        with transaction.atomic():
            document.save()
            _record(
                case,
                EventKind.DOCUMENT_ADDED,
                today(),
                actor=actor,
                summary=f"Document added: {title}",
                data={"document": document.pk},
                record=document,
                request=request,
                action=AuditAction.CREATE,
            )
    except Exception:
        document.file.delete(save=False)  # no file left behind without its record
        raise
    return document


_LETTER_NEEDS = {
    Letter.Kind.DECISION_TO_ASSESS: (
        lambda c: c.decision == Decision.ASSESS,
        "A decision to assess letter needs a decision to assess.",
    ),
    Letter.Kind.DECISION_NOT_TO_ASSESS: (
        lambda c: c.decision == Decision.NOT_ASSESS,
        "A decision not to assess letter needs a decision not to assess.",
    ),
    Letter.Kind.DECISION_NOT_TO_ISSUE: (
        lambda c: c.decision_not_to_issue_on is not None,
        "A decision not to issue letter needs a decision not to issue a plan.",
    ),
    Letter.Kind.ADVICE_REQUEST: (
        lambda c: c.decision == Decision.ASSESS,
        "A request for advice needs a decision to assess.",
    ),
    Letter.Kind.SCHOOL_CONSULTATION: (
        lambda c: c.decision == Decision.ASSESS,
        "A consultation letter needs a decision to assess.",
    ),
    Letter.Kind.DRAFT_PLAN_NOTICE: (
        lambda c: c.draft_plan_served_on is not None,
        "A draft plan notice needs the draft plan to have been sent to the family.",
    ),
    Letter.Kind.FINAL_PLAN_NOTICE: (
        lambda c: c.final_plan_issued_on is not None,
        "A final plan notice needs the final plan to have been issued.",
    ),
}


def _letter_subject(case: AssessmentRequest, kind: str, subject: str) -> tuple[str, dict]:
    """What a letter is about, checked against the case: an advice request or a consultation
    of this case (one letter each), or nothing (one letter of the kind per case)."""
    if kind == Letter.Kind.ADVICE_REQUEST:
        prefix, model, key = "advice:", AdviceRequest, "advice_request"
    elif kind == Letter.Kind.SCHOOL_CONSULTATION:
        prefix, model, key = "consultation:", Consultation, "consultation"
    else:
        return "", {}
    pk = subject.removeprefix(prefix)
    record = (
        model.objects.filter(pk=pk, assessment_request=case).first() if ascii_digits(pk) else None
    )
    if record is None:
        _refuse("kind", "Choose which request or consultation the letter is for.", "unknown_code")
    organisation = record.organisation if key == "advice_request" else record.setting
    return f"{prefix}{record.pk}", {key: record, "organisation": organisation}


def existing_letter(case: AssessmentRequest, kind: str, subject: str = "") -> Letter | None:
    return Letter.objects.filter(assessment_request=case, kind=kind, subject=subject).first()


def generate_letter(
    *,
    actor,
    case: AssessmentRequest,
    kind: str,
    subject: str = "",
    context: dict | None = None,
    request=None,
) -> Letter:
    """Make a letter from its template, with the engine's dates, as HTML and PDF. It is dated
    today; record it as sent when it goes. One letter per case, kind and subject: a second
    press (or a double click) gives back the first letter, unchanged. Plans' letters come
    through plans.services (which checks them and passes their `context`)."""
    _may_edit(actor, case)
    if kind not in Letter.Kind.values:
        _refuse("kind", "Choose which letter to create.", "unknown_code")
    if kind in letters.PLAN_KINDS:
        if context is None:
            _refuse("kind", "Make this letter from the plan's page.", "wrong_letter")
        extra = dict(context)
    else:
        allowed, message = _LETTER_NEEDS[Letter.Kind(kind)]
        if not allowed(case):
            _refuse("kind", message, "wrong_letter")
        subject, extra = _letter_subject(case, kind, subject)
    found = existing_letter(case, kind, subject)
    if found is not None:
        return found
    dated_on = today()
    html = letters.render_letter_html(case, kind, dated_on, extra)
    title = f"{Letter.Kind(kind).label} letter, {case.reference}, {_long(dated_on)}"
    try:
        pdf = letters.render_pdf(html, title=title)
    except Exception:
        # The renderer (WeasyPrint and its native libraries) failing is the service's fault,
        # not the caseworker's: say so plainly, change nothing, and leave the detail in the log.
        logger.exception("Letter PDF could not be rendered for case %s", case.pk)
        _refuse(
            "kind",
            "The letter could not be made into a PDF just now, so it was not created and the "
            "case is unchanged. Try again in a few minutes; if it keeps happening, tell the "
            "service desk.",
            "pdf_failed",
        )
    suffix = f"-{subject.replace(':', '-')}" if subject else ""
    document = CaseDocument(
        assessment_request=case,
        kind=CaseDocument.Kind.LETTER,
        title=title,
        original_name=f"{kind.replace('_', '-')}-{case.pk}{suffix}-{dated_on.isoformat()}.pdf",
        content_type=uploads.CONTENT_TYPES["pdf"],
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        uploaded_by=actor,
    )
    _store(case, document, pdf)
    try:
        with transaction.atomic():
            document.save()
            letter = Letter.objects.create(
                assessment_request=case,
                kind=kind,
                subject=subject,
                dated_on=dated_on,
                html=html,
                document=document,
                created_by=actor,
            )
            _record(
                case,
                EventKind.LETTER_CREATED,
                dated_on,
                actor=actor,
                summary=chronology.letter_created(kind),
                data={"letter": letter.pk, "kind": kind},
                record=letter,
                request=request,
                action=AuditAction.CREATE,
            )
    except IntegrityError:
        # Two presses at once: the other made it first (the unique constraint); show theirs.
        document.file.delete(save=False)
        found = existing_letter(case, kind, subject)
        if found is None:
            raise
        return found
    except Exception:
        document.file.delete(save=False)
        raise
    return letter


def record_letter_sent(
    *, actor, letter: Letter, version: int | None, sent_on: dt.date, request=None
) -> Letter:
    """Record that the letter went to the family. A refusal letter's date starts their
    2 months to contact a mediation adviser and to appeal."""
    _may_edit(actor, letter.assessment_request)
    with transaction.atomic():
        case = _locked(letter.assessment_request, version)
        letter = Letter.objects.select_for_update().get(pk=letter.pk, assessment_request=case)
        if letter.sent_on is not None:
            _refuse(
                "sent_on",
                f"This letter was already recorded as sent on {_long(letter.sent_on)}.",
                "already_sent",
            )
        letter.sent_on = _check_date(
            "sent_on",
            sent_on,
            "the date the letter was sent",
            not_before=((letter.dated_on, "the date on the letter"),),
        )
        letter.sent_by = actor
        letter.save(update_fields=["sent_on", "sent_by"])
        _bump(case)
        _record(
            case,
            EventKind.LETTER_SENT,
            letter.sent_on,
            actor=actor,
            summary=chronology.letter_sent(letter.kind),
            data={"letter": letter.pk, "kind": letter.kind},
            record=letter,
            request=request,
        )
    return letter

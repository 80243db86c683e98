"""A request for an EHC needs assessment made by a school or setting in the service (CFA 2014
s.36(1), reg 3, 4; Code of Practice 9.8-9.14), by its SENCO, for a pupil of the setting.

It is the one request of casework (`_new_request`, source "school or setting"), so it has the
same reference, clock, chronology and audit as a request the council records; what only a
school sends (the family's agreement and views, the evidence of the graduated approach and its
documents) is kept beside it (SchoolRequest, GraduatedApproachStep, CaseDocument). Decision
0193 says how the child is matched to the area's record."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import requesting_setting_ids
from everychild.accounts.models import Organisation
from everychild.casework import uploads
from everychild.casework.models import (
    AssessmentRequest,
    CaseDocument,
    EventKind,
    GraduatedApproachStep,
    RequestSource,
    SchoolRequest,
)
from everychild.casework.services.records import _store
from everychild.casework.services.request import _new_request
from everychild.casework.services.steps import _record
from everychild.children import codes, matching
from everychild.children import services as children_services
from everychild.children.models import Child
from everychild.core.dates import today
from everychild.core.wording import date as _check_date
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text

# A match strong enough to join the school's request to a record already known: an identifier,
# or the name, date of birth and postcode together (children/matching.py, decision 0141).
_STRONG = {matching.SAME_UPN, matching.SAME_NHS, matching.SAME_PERSON}


def may_request_for(actor, setting: Organisation) -> bool:
    return setting.pk in requesting_setting_ids(actor) and setting.area_id is not None


def _pupil(*, actor, setting, child: Child | None, details: dict | None, request) -> Child:
    """The area's record of the child: a pupil of the setting the SENCO chose, the one record
    the details strongly match, or a new record (the council's list of likely duplicates
    offers any weaker match to a caseworker)."""
    if child is not None:
        if child.current_setting_id != setting.pk or child.merged_into_id is not None:
            _refuse("child", "Choose a pupil of your setting.", "not_a_pupil")
        return child
    details = details or {}
    upn = (details.get("upn") or "").strip().upper()
    candidate = Child(
        area_id=setting.area_id,
        first_name=_text(
            "first_name", details.get("first_name"), "their first name", max_length=100
        ),
        last_name=_text("last_name", details.get("last_name"), "their last name", max_length=100),
        date_of_birth=details.get("date_of_birth"),
        sex=codes.Sex.UNKNOWN,
        postcode=(details.get("postcode") or "").strip().upper()[:8],
        upn=upn,
        upn_unknown_reason="" if upn else codes.UPNUnknownReason.UN5,
        current_setting=setting,
    )
    if candidate.date_of_birth is None:
        _refuse("date_of_birth", "Enter their date of birth.", "required")
    try:
        candidate.full_clean(exclude=["current_setting"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        _refuse(field if field in details else "first_name", " ".join(messages))
    among = Child.objects.filter(area_id=setting.area_id)
    strong = [
        likeness.child
        for likeness in matching.likely_duplicates(candidate, among)
        if _STRONG & set(likeness.reasons)
    ]
    if len(strong) == 1:
        return strong[0]
    candidate.save()
    audit.record(
        action=AuditAction.CREATE, actor=actor, child=candidate, record=candidate, request=request
    )
    # The child's first period at the setting (their history of settings: decision 0240).
    children_services.record_setting_change(child=candidate, actor=actor, request=request)
    return candidate


def record_school_request(
    *,
    actor,
    setting: Organisation,
    child: Child | None = None,
    child_details: dict | None = None,
    reason: str,
    consent_given_by: str,
    consent_given_on: dt.date,
    family_views: str,
    child_views: str = "",
    evidence: list[dict],
    documents: tuple = (),
    received_on: dt.date | None = None,
    request=None,
) -> AssessmentRequest:
    """The school's request, received today (day 0 of the 20 weeks, reg 4). Needs the family's
    recorded agreement (Code 9.8), their views, and at least one row of the graduated approach
    (Code 9.14: the evidence the council considers). Refused whole if any part is wrong.
    `received_on` is for a request sent on an earlier day and recorded now (the demonstration's
    history); the school's page never gives it."""
    if not may_request_for(actor, setting):
        raise PermissionDenied("Only the SENCO of a setting can make a request for its pupils.")
    reason = _text("reason", reason, "why the setting is asking for an assessment")
    consent_given_by = _text(
        "consent_given_by", consent_given_by, "who in the family agreed", max_length=200
    )
    consent_given_on = _check_date(
        "consent_given_on", consent_given_on, "the date the family agreed"
    )
    received_on = (
        today()
        if received_on is None
        else _check_date("received_on", received_on, "the date the request was received")
    )
    family_views = _text("family_views", family_views, "the family's views")
    child_views = _text("child_views", child_views, "the child's views", required=False)
    rows = [_evidence_row(n, row) for n, row in enumerate(evidence, start=1) if any(row.values())]
    if not rows:
        _refuse(
            "evidence_1_what",
            "Enter at least one step of the graduated approach: what was assessed, planned, "
            "done or reviewed.",
            "required",
        )
    checked = [uploads.check_upload(upload) for upload in documents]
    who = f"{actor.full_name} (SENCO, {setting.name})"
    with transaction.atomic():
        pupil = _pupil(
            actor=actor, setting=setting, child=child, details=child_details, request=request
        )
        case = _new_request(
            actor=actor,
            area=setting.area,
            child=pupil,
            source=RequestSource.SETTING,
            received_on=received_on,
            requested_by=who[:200],
            reason=reason,
            request=request,
        )
        school_request = SchoolRequest.objects.create(
            assessment_request=case,
            setting=setting,
            made_by=actor,
            consent_given_by=consent_given_by,
            consent_given_on=consent_given_on,
            family_views=family_views,
            child_views=child_views,
        )
        GraduatedApproachStep.objects.bulk_create(
            GraduatedApproachStep(school_request=school_request, **row) for row in rows
        )
        for upload, check in zip(documents, checked, strict=True):
            _add_document(actor=actor, case=case, upload=upload, checked=check, request=request)
    return case


def _evidence_row(n: int, row: dict) -> dict:
    prefix = f"evidence_{n}_"
    kind = row.get("kind") or ""
    if kind not in GraduatedApproachStep.Kind.values:
        _refuse(f"{prefix}kind", f"Choose what step {n} was: assess, plan, do, review or advice.")
    started = _check_date(f"{prefix}started_on", row.get("started_on"), f"when step {n} began")
    ended = row.get("ended_on")
    if ended is not None:
        ended = _check_date(
            f"{prefix}ended_on",
            ended,
            f"when step {n} ended",
            not_before=((started, "the date it began"),),
        )
    return {
        "kind": kind,
        "started_on": started,
        "ended_on": ended,
        "what": _text(f"{prefix}what", row.get("what"), f"what was done in step {n}"),
        "outcome": _text(
            f"{prefix}outcome", row.get("outcome"), f"the outcome of step {n}", required=False
        ),
    }


def _add_document(*, actor, case, upload, checked, request) -> CaseDocument:
    upload.seek(0)
    document = CaseDocument(
        assessment_request=case,
        kind=CaseDocument.Kind.UPLOAD,
        title=checked.original_name,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    _store(case, document, upload.read())
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # no file left behind without its record
        raise
    _record(
        case,
        EventKind.DOCUMENT_ADDED,
        today(),
        actor=actor,
        summary=f"Document added by the setting: {document.title}",
        data={"document": document.pk},
        record=document,
        request=request,
        action=AuditAction.CREATE,
    )
    return document

"""The agency side of advice, as services: allocation (within each professional's capacity),
appointments (a missed one is a reg 8(2)(c) exception, recorded through casework), the
structured advice, submission (through casework, so the case's chronology and clock move),
the waiting list's settings, forecast scenarios and the reminder sweep.

Each service takes keyword-only arguments, refuses with a ValidationError naming the field
(or PermissionDenied), and writes inside one transaction with its audit entry."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import (
    Action,
    Capability,
    advice_manager_organisation_ids,
    advice_organisation_ids,
    may,
    members_with,
    roles_with,
)
from everychild.accounts.models import User
from everychild.advice import capacity as capacity_rules
from everychild.advice.models import (
    AdviceItem,
    AdviceWork,
    Appointment,
    Capacity,
    Leave,
    PlanSection,
    PriorityRule,
    Scenario,
)
from everychild.casework import services as casework_services
from everychild.casework import uploads
from everychild.casework.models import AdviceRequest, CaseException
from everychild.core.dates import today
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.notifications.services import notify

MAX_PER_WEEK = Decimal("50")
# Which plan sections each kind of item may be mapped to (reg 12(1)).
SECTIONS_FOR_KIND = {
    AdviceItem.Kind.NEED: {PlanSection.B, PlanSection.C, PlanSection.D},
    AdviceItem.Kind.OUTCOME: {PlanSection.E},
    AdviceItem.Kind.PROVISION: {PlanSection.F, PlanSection.G, PlanSection.H1, PlanSection.H2},
}


def _audit(actor, advice: AdviceRequest, record, request, step: str, action=AuditAction.UPDATE):
    audit.record(
        action=action,
        actor=actor,
        child=advice.assessment_request.child_id,
        record=record,
        request=request,
        detail={"step": step, "advice_request": advice.pk},
    )


def work_for(advice: AdviceRequest) -> AdviceWork:
    work, _ = AdviceWork.objects.get_or_create(advice_request=advice)
    return work


def _locked(advice: AdviceRequest) -> tuple[AdviceRequest, AdviceWork]:
    advice = (
        AdviceRequest.objects.select_for_update()
        .select_related("assessment_request", "organisation")
        .get(pk=advice.pk)
    )
    work = work_for(advice)
    work = AdviceWork.objects.select_for_update().get(pk=work.pk)
    return advice, work


def _require_open(advice: AdviceRequest) -> None:
    if advice.provided_on is not None:
        _refuse("__all__", "This advice has been submitted: it can no longer be changed.", "closed")
    if advice.cancelled_on is not None:
        _refuse("__all__", "The council cancelled this request for advice.", "cancelled")


def is_manager(user, organisation_id: int) -> bool:
    return organisation_id in advice_manager_organisation_ids(user)


def has_managers(organisation_id: int) -> bool:
    return members_with(Capability.MANAGE_ADVICE, organisation_id=organisation_id).exists()


def may_work_on(user, advice: AdviceRequest) -> bool:
    """The professional it is allocated to, or a manager of the agency, while it is open; for
    a school or setting, any of its SENCOs: a setting has no one who allocates its work, and
    its educational advice is the setting's (reg 6(1)(b); decision 0194)."""
    if not may(user, Action.GIVE_ADVICE, advice):
        return False
    return (
        advice.assigned_to_id == user.pk
        or is_manager(user, advice.organisation_id)
        or advice.to_school_or_setting
    )


def _may_work(actor, advice: AdviceRequest) -> None:
    if not may_work_on(actor, advice):
        raise PermissionDenied("Only the professional this request is allocated to can do this.")


def professionals(organisation_id: int):
    """The agency's staff who give advice."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=roles_with(Capability.GIVE_ADVICE),
        )
        .distinct()
        .order_by("full_name")
    )


# --- Allocation -------------------------------------------------------------------------------


def allocate(
    *,
    actor,
    advice: AdviceRequest,
    professional,
    priority_rules=(),
    on: dt.date | None = None,
    request=None,
) -> AdviceWork:
    """A manager gives the request to a professional (and marks the service's priority rules
    that apply). Where the agency has no manager role, a professional may take it themselves.
    A professional is given no more new requests in a week than their capacity that week."""
    on = on or today()
    if advice.organisation_id not in advice_organisation_ids(actor):
        raise PermissionDenied("This request was not sent to your organisation.")
    manager = is_manager(actor, advice.organisation_id)
    if not manager and (has_managers(advice.organisation_id) or professional != actor):
        raise PermissionDenied("Only a manager of the service allocates requests.")
    with transaction.atomic():
        advice, work = _locked(advice)
        _require_open(advice)
        if professional is None:
            _refuse("professional", "Choose who will give the advice.", "required")
        if not professionals(advice.organisation_id).filter(pk=professional.pk).exists():
            _refuse(
                "professional",
                "Choose someone in your service who gives advice.",
                "not_in_service",
            )
        if advice.assigned_to_id != professional.pk:
            available = capacity_rules.available_this_week(advice.organisation_id, professional, on)
            if available is not None:
                taken = capacity_rules.allocated_in_week(advice.organisation_id, professional, on)
                if taken + 1 > available:
                    _refuse(
                        "professional",
                        f"{professional.full_name} has capacity for {available:g} new "
                        f"assessments in the week of {_long(capacity_rules.week_start(on))} "
                        f"(leave taken into account) and already has {taken}: choose someone "
                        "else or change their capacity.",
                        "over_capacity",
                    )
        rules = list(priority_rules)
        for rule in rules:
            if rule.organisation_id != advice.organisation_id:
                _refuse("priority_rules", "Choose your own service's priority rules.")
        AdviceRequest.objects.filter(pk=advice.pk).update(assigned_to=professional)
        advice.assigned_to = professional
        work.allocated_on = on
        work.allocated_by = actor
        work.version += 1
        work.save(update_fields=["allocated_on", "allocated_by", "version"])
        work.priority_rules.set(rules)
        _audit(actor, advice, advice, request, "advice_allocated")
    return work


# --- Appointments -----------------------------------------------------------------------------


def record_appointment(
    *,
    actor,
    advice: AdviceRequest,
    on: dt.date,
    outcome: str,
    notes: str = "",
    evidence: str = "",
    request=None,
) -> Appointment:
    """An appointment with the child and family. A missed one is a reg 8(2)(c) exception to
    the 6 weeks, recorded on the case with the evidence (what was offered, how the family was
    contacted), through the casework service so the case's clock shows it."""
    _may_work(actor, advice)
    if outcome not in Appointment.Outcome.values:
        _refuse("outcome", "Choose what happened at the appointment.", "required")
    if not isinstance(on, dt.date):
        _refuse("on", "Enter the date of the appointment as a real date, like 27/3/2025.")
    if outcome != Appointment.Outcome.PLANNED and on > today():
        _refuse("on", "An appointment that has not happened yet can only be planned.", "future")
    if outcome == Appointment.Outcome.PLANNED and on < today():
        _refuse("on", "A planned appointment must be today or later.", "past")
    if on < advice.received_by_body_on:
        _refuse(
            "on",
            "The appointment must be on or after the day your service received the request "
            f"({_long(advice.received_by_body_on)}).",
            "out_of_order",
        )
    notes = _text("notes", notes, "notes", required=False)
    if outcome == Appointment.Outcome.MISSED:
        evidence = _text(
            "evidence", evidence, "the evidence: how the appointment was offered and confirmed"
        )
    with transaction.atomic():
        advice, work = _locked(advice)
        _require_open(advice)
        exception = None
        if outcome == Appointment.Outcome.MISSED:
            exception = casework_services.record_exception(
                actor=actor,
                case=advice.assessment_request,
                version=None,
                regulation=CaseException.Regulation.ADVICE_MISSED_APPOINTMENT,
                starts_on=on,
                reason=f"Missed appointment on {_long(on)}. {evidence}",
                advice=advice,
                request=request,
            )
        appointment = Appointment.objects.create(
            advice_request=advice,
            on=on,
            outcome=outcome,
            notes=notes,
            exception=exception,
            recorded_by=actor,
        )
        _audit(actor, advice, appointment, request, "appointment_recorded", AuditAction.CREATE)
    return appointment


# --- The advice -------------------------------------------------------------------------------


def add_item(
    *,
    actor,
    advice: AdviceRequest,
    kind: str,
    section: str,
    text: str,
    amount: str = "",
    frequency: str = "",
    delivered_by: str = "",
    request=None,
) -> AdviceItem:
    """A need, desired outcome or recommended provision, mapped to the plan section it
    belongs in. Provision must be specific and quantified (Code of Practice 9.69)."""
    _may_work(actor, advice)
    if kind not in AdviceItem.Kind.values:
        _refuse("kind", "Choose whether this is a need, an outcome or provision.", "required")
    if section not in PlanSection.values:
        _refuse("section", "Choose the plan section it belongs in.", "required")
    if section not in SECTIONS_FOR_KIND[kind]:
        allowed = ", ".join(sorted(SECTIONS_FOR_KIND[kind]))
        _refuse(
            "section",
            f"{AdviceItem.Kind(kind).label} belongs in section {allowed} of the plan, "
            f"not {section}.",
            "wrong_section",
        )
    text = _text("text", text, "the advice")
    amount = _text("amount", amount, "how much", required=False, max_length=200)
    frequency = _text("frequency", frequency, "how often", required=False, max_length=200)
    delivered_by = _text("delivered_by", delivered_by, "who", required=False, max_length=200)
    if kind == AdviceItem.Kind.PROVISION:
        for field, value, what in (
            ("amount", amount, "how much provision (for example 30 minutes)"),
            ("frequency", frequency, "how often (for example twice a week)"),
            ("delivered_by", delivered_by, "who delivers it (for example a speech therapist)"),
        ):
            if not value:
                _refuse(field, f"Provision must be specific and quantified: enter {what}.")
    with transaction.atomic():
        advice, work = _locked(advice)
        _require_open(advice)
        item = AdviceItem.objects.create(
            work=work,
            kind=kind,
            section=section,
            text=text,
            amount=amount,
            frequency=frequency,
            delivered_by=delivered_by,
        )
        _audit(actor, advice, item, request, "advice_item_added", AuditAction.CREATE)
    return item


def remove_item(*, actor, item: AdviceItem, request=None) -> None:
    advice = item.work.advice_request
    _may_work(actor, advice)
    with transaction.atomic():
        advice, work = _locked(advice)
        _require_open(advice)
        _audit(actor, advice, item, request, "advice_item_removed", AuditAction.DELETE)
        item.delete()


def attach_document(*, actor, advice: AdviceRequest, upload, request=None) -> AdviceWork:
    """The advice as a document (PDF, Word, JPEG or PNG, checked by its content)."""
    _may_work(actor, advice)
    checked = uploads.check_upload(upload)
    upload.seek(0)
    content = upload.read()
    with transaction.atomic():
        advice, work = _locked(advice)
        _require_open(advice)
        extension = "." + checked.original_name.rsplit(".", 1)[-1].lower()
        work.document.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)
        work.document_name = checked.original_name
        work.document_type = checked.content_type
        work.document_sha256 = checked.sha256
        work.version += 1
        work.save()
        _audit(actor, advice, work, request, "advice_document_attached")
    return work


def submit(*, actor, advice: AdviceRequest, summary: str = "", request=None) -> AdviceWork:
    """Give the advice to the council. It is recorded as provided on the case (casework's
    service: the chronology and the clock move), the caseworker is told, and the agency's
    access to the child ends (it may still read back its own advice)."""
    _may_work(actor, advice)
    summary = _text("summary", summary, "a summary", required=False)
    with transaction.atomic():
        advice, work = _locked(advice)
        _require_open(advice)
        kinds = set(work.items.values_list("kind", flat=True))
        if not work.document and not (
            AdviceItem.Kind.NEED in kinds and AdviceItem.Kind.PROVISION in kinds
        ):
            _refuse(
                "summary",
                "Add at least one need and one recommended provision, or upload the advice as a "
                "document, before submitting.",
                "incomplete",
            )
        casework_services.record_advice_provided(
            actor=actor, advice=advice, version=None, provided_on=today(), request=request
        )
        work.summary = summary
        work.submitted_on = today()
        work.submitted_by = actor
        work.version += 1
        work.save(update_fields=["summary", "submitted_on", "submitted_by", "version"])
        _audit(actor, advice, work, request, "advice_submitted")
        case = advice.assessment_request
        if case.caseworker_id and case.caseworker.email:
            notify(
                template="advice_submitted",
                to=case.caseworker.email,
                personalisation={
                    "reference": case.reference,
                    "organisation": advice.organisation.name,
                    "link": absolute(reverse("advice:received", args=[advice.pk])),
                },
                key=f"advice-submitted:{advice.pk}",
                user=case.caseworker,
            )
    return work


def absolute(path: str) -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + path


# --- The waiting list's settings ----------------------------------------------------------------


def _may_manage(actor, organisation) -> None:
    if not is_manager(actor, organisation.pk):
        raise PermissionDenied("Only a manager of the service can change this.")


def _decimal(field: str, value, what: str, *, minimum=Decimal("0"), maximum=MAX_PER_WEEK):
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        _refuse(field, f"Enter {what} as a number, like 2 or 2.5.", "not_a_number")
    if not number.is_finite():
        _refuse(field, f"Enter {what} as a number, like 2 or 2.5.", "not_a_number")
    if number < minimum:
        _refuse(field, f"{what[0].upper()}{what[1:]} cannot be negative.", "negative")
    if number > maximum:
        _refuse(field, f"{what[0].upper()}{what[1:]} must be {maximum} or fewer.", "too_large")
    return number.quantize(Decimal("0.1"))


def set_capacity(
    *, actor, organisation, professional, per_week, starts_on: dt.date, request=None
) -> Capacity:
    """A professional's available assessments a week from a date (the previous figure ends
    the day before)."""
    _may_manage(actor, organisation)
    if not professionals(organisation.pk).filter(pk=getattr(professional, "pk", None)).exists():
        _refuse("professional", "Choose someone in your service who gives advice.", "required")
    per_week = _decimal("per_week", per_week, "available assessments a week")
    if not isinstance(starts_on, dt.date):
        _refuse("starts_on", "Enter the date it starts as a real date, like 27/3/2025.")
    with transaction.atomic():
        Capacity.objects.filter(
            organisation=organisation, professional=professional, starts_on__gte=starts_on
        ).delete()
        Capacity.objects.filter(
            organisation=organisation, professional=professional, ends_on__isnull=True
        ).update(ends_on=starts_on - dt.timedelta(days=1))
        item = Capacity.objects.create(
            organisation=organisation,
            professional=professional,
            per_week=per_week,
            starts_on=starts_on,
            set_by=actor,
        )
        audit.record(
            action=AuditAction.CREATE, actor=actor, record=item, request=request, detail={}
        )
    return item


def add_leave(*, actor, organisation, professional, starts_on, ends_on, request=None) -> Leave:
    _may_manage(actor, organisation)
    if not professionals(organisation.pk).filter(pk=getattr(professional, "pk", None)).exists():
        _refuse("professional", "Choose someone in your service who gives advice.", "required")
    if not isinstance(starts_on, dt.date):
        _refuse("starts_on", "Enter the first day of leave as a real date, like 27/3/2025.")
    if not isinstance(ends_on, dt.date):
        _refuse("ends_on", "Enter the last day of leave as a real date, like 27/3/2025.")
    if ends_on < starts_on:
        _refuse(
            "ends_on",
            f"The last day of leave must be on or after the first ({_long(starts_on)}).",
            "end_before_start",
        )
    with transaction.atomic():
        item = Leave.objects.create(
            organisation=organisation,
            professional=professional,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=actor,
        )
        audit.record(
            action=AuditAction.CREATE, actor=actor, record=item, request=request, detail={}
        )
    return item


def add_priority_rule(
    *, actor, organisation, name: str, description: str, rank: int, request=None
) -> PriorityRule:
    _may_manage(actor, organisation)
    name = _text("name", name, "the rule's name", max_length=100)
    description = _text("description", description, "what the rule means")
    if not isinstance(rank, int) or rank < 1 or rank > 99:
        _refuse("rank", "Enter the rule's rank as a whole number from 1 (highest) to 99.")
    if PriorityRule.objects.filter(organisation=organisation, name__iexact=name).exists():
        _refuse("name", f"Your service already has a rule called “{name}”.", "duplicate")
    with transaction.atomic():
        rule = PriorityRule.objects.create(
            organisation=organisation, name=name, description=description, rank=rank
        )
        audit.record(
            action=AuditAction.CREATE, actor=actor, record=rule, request=request, detail={}
        )
    return rule


def save_scenario(
    *,
    actor,
    organisation,
    name: str,
    extra_per_week,
    starts_on,
    ends_on=None,
    request=None,
) -> Scenario:
    """A "what if" for the forecast: extra assessments a week from a date (until a date)."""
    _may_manage(actor, organisation)
    name = _text("name", name, "a name for the scenario", max_length=100)
    extra = _decimal("extra_per_week", extra_per_week, "extra assessments a week", maximum=500)
    if not isinstance(starts_on, dt.date):
        _refuse("starts_on", "Enter the date it starts as a real date, like 27/3/2025.")
    if ends_on is not None:
        if not isinstance(ends_on, dt.date):
            _refuse("ends_on", "Enter the date it ends as a real date, like 27/3/2025.")
        if ends_on < starts_on:
            _refuse(
                "ends_on",
                f"The end must be on or after the start ({_long(starts_on)}).",
                "end_before_start",
            )
    if Scenario.objects.filter(organisation=organisation, name__iexact=name).exists():
        _refuse("name", f"There is already a scenario called “{name}”.", "duplicate")
    with transaction.atomic():
        scenario = Scenario.objects.create(
            organisation=organisation,
            name=name,
            extra_per_week=extra,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        audit.record(
            action=AuditAction.CREATE, actor=actor, record=scenario, request=request, detail={}
        )
    return scenario


def delete_scenario(*, actor, scenario: Scenario, request=None) -> None:
    _may_manage(actor, scenario.organisation)
    with transaction.atomic():
        audit.record(
            action=AuditAction.DELETE, actor=actor, record=scenario, request=request, detail={}
        )
        scenario.delete()

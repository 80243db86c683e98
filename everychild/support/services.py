"""Writes to SEN support records: each checks who may write, refuses bad input with a message
naming the field (nothing written), locks the plan against a stale save, and audits the change
in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Action, Capability, la_area_ids, may
from everychild.casework import services as casework_services
from everychild.children.codes import NeedType
from everychild.children.policy import family_children
from everychild.core import wording
from everychild.core.dates import today
from everychild.core.locking import bump, locked
from everychild.core.wording import refuse
from everychild.support.models import (
    TERMLY_WEEKS,
    BroadArea,
    Consultation,
    ConsultationKind,
    OutcomeResult,
    ProvisionOffer,
    RequestFromSupport,
    SupportContribution,
    SupportCycle,
    SupportPlan,
    SupportSettings,
)
from everychild.support.policy import (
    CONSULTED_KINDS,
    answerable_consultations,
    writable_setting_ids,
)
from everychild.support.thread import ITEM_LISTS, add_item, empty_thread, normalised, remove_item

WHAT = "support plan"


def _audit(actor, plan: SupportPlan, step: str, action=AuditAction.UPDATE, request=None):
    audit.record(
        action=action,
        actor=actor,
        child=plan.child_id,
        record=plan,
        request=request,
        detail={"step": step},
    )


def review_every_weeks(area_id: int) -> int:
    found = SupportSettings.objects.filter(area_id=area_id).values_list(
        "review_every_weeks", flat=True
    )
    return found[0] if found else TERMLY_WEEKS


def _need(field: str, value: str, *, required: bool) -> str:
    if not value:
        if required:
            refuse(field, "Choose the primary area of need.", "required")
        return ""
    if value not in NeedType.values:
        refuse(field, "Choose one of the types of need listed.")
    return value


def start_plan(
    *,
    actor,
    child,
    started_on: dt.date,
    primary_need: str,
    secondary_need: str = "",
    child_views: str = "",
    family_views: str = "",
    outside_involvement: str = "",
    request=None,
) -> SupportPlan:
    """A SENCO records that a pupil of their setting is on SEN support and starts their plan
    (Code 6.44: the decision is made with the parents, who are told of it, 6.43)."""
    if child.current_setting_id is None or child.current_setting_id not in writable_setting_ids(
        actor
    ):
        raise PermissionDenied("Only the SENCO of the child's own setting can start a plan.")
    started = wording.date("started_on", started_on, "the date SEN support started")
    primary = _need("primary_need", primary_need, required=True)
    secondary = _need("secondary_need", secondary_need, required=False)
    if secondary and secondary == primary:
        refuse("secondary_need", "The secondary need must differ from the primary need.")
    views = wording.text("child_views", child_views, "the child's views", required=False)
    family = wording.text("family_views", family_views, "the family's views", required=False)
    outside = wording.text(
        "outside_involvement", outside_involvement, "who else is involved", required=False
    )
    with transaction.atomic():
        if SupportPlan.objects.filter(child=child, ended_on__isnull=True).exists():
            refuse("__all__", "This child already has an open support plan: change that one.")
        plan = SupportPlan.objects.create(
            child=child,
            area_id=child.area_id,
            started_by_setting_id=child.current_setting_id,
            started_on=started,
            primary_need=primary,
            secondary_need=secondary,
            child_views=views,
            family_views=family,
            outside_involvement=outside,
            thread=empty_thread(),
            created_by=actor,
        )
        _audit(actor, plan, "support_plan_started", AuditAction.CREATE, request)
    return plan


def _locked_plan(actor, plan: SupportPlan, version) -> SupportPlan:
    if not may(actor, Action.EDIT_SUPPORT_PLAN, plan):
        raise PermissionDenied("Only the SENCO of the child's setting can change this plan.")
    return locked(SupportPlan.objects.select_related("child"), plan.pk, version, WHAT)


def update_views(
    *,
    actor,
    plan: SupportPlan,
    version,
    child_views: str,
    family_views: str,
    outside_involvement: str,
    request=None,
) -> SupportPlan:
    views = wording.text("child_views", child_views, "the child's views", required=False)
    family = wording.text("family_views", family_views, "the family's views", required=False)
    outside = wording.text(
        "outside_involvement", outside_involvement, "who else is involved", required=False
    )
    with transaction.atomic():
        plan = _locked_plan(actor, plan, version)
        plan.child_views, plan.family_views, plan.outside_involvement = views, family, outside
        bump(plan)
        plan.save()
        _audit(actor, plan, "support_plan_views", request=request)
    return plan


def add_to_thread(
    *, actor, plan: SupportPlan, version, kind: str, fields: dict, request=None
) -> SupportPlan:
    """Add a need, an outcome or a line of provision (the EHC plan's B, E and F shapes)."""
    if kind not in ITEM_LISTS:
        refuse("kind", "Choose a need, an outcome or provision.")
    offer = None
    if kind == "provision" and fields.get("offer_id"):
        offer = ProvisionOffer.objects.filter(
            pk=fields["offer_id"], area_id=plan.area_id, withdrawn_on__isnull=True
        ).first()
        if offer is None:
            refuse("offer_id", "Choose provision from the area's list, or write it here.")
    with transaction.atomic():
        plan = _locked_plan(actor, plan, version)
        if offer is not None and not (fields.get("what") or "").strip():
            fields = {**fields, "what": f"{offer.title}: {offer.description}"}
        plan.thread = add_item(normalised(plan.thread), kind, fields, today=today())
        bump(plan)
        plan.save()
        _audit(actor, plan, f"support_plan_{kind}", request=request)
    return plan


def remove_from_thread(
    *, actor, plan: SupportPlan, version, kind: str, item_id: str, request=None
) -> SupportPlan:
    with transaction.atomic():
        plan = _locked_plan(actor, plan, version)
        plan.thread = remove_item(normalised(plan.thread), kind, item_id)
        bump(plan)
        plan.save()
        _audit(actor, plan, f"support_plan_removed_{kind}", request=request)
    return plan


def start_cycle(
    *,
    actor,
    plan: SupportPlan,
    version,
    started_on: dt.date,
    assessed: str,
    planned: str,
    review_due: dt.date | None = None,
    request=None,
) -> SupportCycle:
    """Open the next assess-plan-do-review cycle. Its review is due on the date given, or
    the area's interval after it starts (at least termly: Code 6.65)."""
    with transaction.atomic():
        plan = _locked_plan(actor, plan, version)
        previous = plan.cycles.order_by("-number").first()
        if previous is not None and previous.reviewed_on is None:
            refuse(
                "__all__",
                f"Review cycle {previous.number} before starting the next one.",
                "open_cycle",
            )
        start = wording.date(
            "started_on",
            started_on,
            "the date the cycle started",
            not_before=[
                (plan.started_on, "the date SEN support started"),
                (previous.reviewed_on if previous else None, "the last review"),
            ],
        )
        what_assessed = wording.text("assessed", assessed, "what was assessed")
        what_planned = wording.text("planned", planned, "what was planned")
        due = review_due or start + dt.timedelta(weeks=review_every_weeks(plan.area_id))
        if not isinstance(due, dt.date) or due <= start:
            refuse("review_due", "The review must be due after the cycle starts.")
        cycle = SupportCycle.objects.create(
            plan=plan,
            number=(previous.number + 1) if previous else 1,
            started_on=start,
            assessed=what_assessed,
            planned=what_planned,
            review_due=due,
            created_by=actor,
        )
        bump(plan)
        plan.save()
        _audit(actor, plan, f"support_cycle_{cycle.number}_started", request=request)
    return cycle


def review_cycle(
    *,
    actor,
    cycle: SupportCycle,
    version,
    reviewed_on: dt.date,
    done: str,
    results: dict[str, str],
    summary: str,
    request=None,
) -> SupportCycle:
    """Record a cycle's review: what was done and the result against each outcome (Code
    6.52-6.54), with the child and parents."""
    with transaction.atomic():
        plan = _locked_plan(actor, cycle.plan, version)
        cycle = SupportCycle.objects.select_for_update().get(pk=cycle.pk)
        if cycle.reviewed_on is not None:
            refuse("__all__", "This cycle has been reviewed already.", "reviewed")
        when = wording.date(
            "reviewed_on",
            reviewed_on,
            "the date of the review",
            not_before=[(cycle.started_on, "the date the cycle started")],
        )
        what_done = wording.text("done", done, "what was done")
        outcomes = {o["id"] for o in normalised(plan.thread)["outcomes"]}
        recorded = {}
        for outcome_id in outcomes:
            result = (results or {}).get(outcome_id, "")
            if result not in OutcomeResult.values:
                refuse(f"result_{outcome_id}", "Choose how far each outcome was met.", "required")
            recorded[outcome_id] = {"result": result}
        cycle.reviewed_on = when
        cycle.done = what_done
        cycle.review_results = recorded
        cycle.review_summary = wording.text(
            "summary", summary, "what the review agreed", required=False
        )
        cycle.reviewed_by = actor
        cycle.save()
        bump(plan)
        plan.save()
        _audit(actor, plan, f"support_cycle_{cycle.number}_reviewed", request=request)
    return cycle


def end_plan(*, actor, plan: SupportPlan, version, ended_on, reason: str, request=None):
    """SEN support ends (needs met, or an EHC plan now makes the provision)."""
    with transaction.atomic():
        plan = _locked_plan(actor, plan, version)
        plan.ended_on = wording.date(
            "ended_on",
            ended_on,
            "the date SEN support ended",
            not_before=[(plan.started_on, "the date SEN support started")],
        )
        plan.end_reason = wording.text("reason", reason, "why SEN support ended")
        bump(plan)
        plan.save()
        _audit(actor, plan, "support_plan_ended", request=request)
    return plan


def contribute(
    *, actor, plan: SupportPlan, child_words: str, family_words: str, request=None
) -> SupportContribution:
    """A parent's, or the young person's own, views on the plan, sent from the family portal
    to the setting. Only someone who sees the child in the portal may send them."""
    if not family_children(actor).filter(pk=plan.child_id).exists():
        raise PermissionDenied("Only the child's family can send views on this plan.")
    own = plan.child.own_account_id == actor.pk
    child = wording.text(
        "child_words",
        child_words,
        "what you say" if own else "what your child says",
        required=False,
    )
    family = wording.text(
        "family_words", family_words, "what you would like the school to know", required=False
    )
    if not child and not family:
        refuse("__all__", "Write something to send.", "required")
    with transaction.atomic():
        contribution = SupportContribution.objects.create(
            plan=plan,
            cycle=plan.cycles.filter(reviewed_on__isnull=True).first(),
            sent_by=actor,
            by_young_person=own,
            child_words=child,
            family_words=family,
        )
        _audit(actor, plan, "support_plan_family_views", AuditAction.CREATE, request)
    return contribution


def ask_for_consultation(
    *, actor, plan: SupportPlan, version, organisation, kind: str, question: str, request=None
) -> Consultation:
    """The SENCO asks one of the area's services for advice before any statutory request."""
    if kind not in ConsultationKind.values:
        refuse("kind", "Choose what kind of advice you are asking for.", "required")
    if (
        organisation is None
        or organisation.area_id != plan.area_id
        or organisation.kind not in CONSULTED_KINDS
        or not organisation.is_active
    ):
        refuse("organisation", "Choose one of the area's services listed.", "required")
    asked = wording.text("question", question, "what you would like advice on")
    with transaction.atomic():
        plan = _locked_plan(actor, plan, version)
        consultation = Consultation.objects.create(
            plan=plan,
            organisation=organisation,
            kind=kind,
            question=asked,
            asked_by=actor,
            asked_on=today(),
        )
        bump(plan)
        plan.save()
        _audit(actor, plan, "support_consultation_asked", request=request)
    return consultation


def answer_consultation(*, actor, consultation: Consultation, answer: str, request=None):
    """The service answers: the answer joins the graduated-approach record."""
    text = wording.text("answer", answer, "your advice")
    with transaction.atomic():
        consultation = (
            answerable_consultations(actor).select_for_update().filter(pk=consultation.pk).first()
        )
        if consultation is None:
            raise PermissionDenied("Only the service asked can answer this.")
        if consultation.answered_on is not None:
            refuse("__all__", "This has been answered already.", "answered")
        consultation.answer = text
        consultation.answered_on = today()
        consultation.answered_by = actor
        consultation.save()
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            child=consultation.plan.child_id,
            record=consultation,
            request=request,
            detail={"step": "support_consultation_answered"},
        )
    return consultation


# --- The area's ordinarily available provision ------------------------------------------


# The longest review interval an area may set: the Code expects reviews at least termly
# (6.65), and a term is up to 16 weeks in some calendars.
LONGEST_REVIEW_WEEKS = 16


def change_settings(
    *, actor, area, review_every_weeks, past_settings_read_history: bool, request=None
) -> SupportSettings:
    """The area's choices for SEN support, kept by its SEND team managers: how long a cycle
    runs to its review, and whether a setting the child has left may read back the support
    plans of its time (decision 0240). Audited; refused whole if wrong."""
    _may_keep_catalogue(actor, area.pk)
    if not isinstance(review_every_weeks, int) or not (
        1 <= review_every_weeks <= LONGEST_REVIEW_WEEKS
    ):
        refuse(
            "review_every_weeks",
            f"Enter a number of weeks from 1 to {LONGEST_REVIEW_WEEKS}: the Code expects "
            "reviews at least termly.",
            "invalid",
        )
    with transaction.atomic():
        found, _ = SupportSettings.objects.select_for_update().get_or_create(area=area)
        before = {
            "review_every_weeks": found.review_every_weeks,
            "past_settings_read_history": found.past_settings_read_history,
        }
        found.review_every_weeks = review_every_weeks
        found.past_settings_read_history = bool(past_settings_read_history)
        found.save()
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=found,
            request=request,
            detail={
                "before": before,
                "after": {
                    "review_every_weeks": found.review_every_weeks,
                    "past_settings_read_history": found.past_settings_read_history,
                },
            },
        )
    return found


def _may_keep_catalogue(actor, area_id: int) -> None:
    if area_id not in la_area_ids(actor, Capability.MANAGE_TEAM):
        raise PermissionDenied("The council's SEND team managers keep the area's list.")


def add_offer(*, actor, area, broad_area: str, title: str, description: str) -> ProvisionOffer:
    _may_keep_catalogue(actor, area.pk)
    if broad_area not in BroadArea.values:
        refuse("broad_area", "Choose the broad area of need.", "required")
    with transaction.atomic():
        offer = ProvisionOffer.objects.create(
            area=area,
            broad_area=broad_area,
            title=wording.text("title", title, "the title", max_length=200),
            description=wording.text("description", description, "what is provided"),
            added_by=actor,
            added_on=today(),
        )
        audit.record(action=AuditAction.CREATE, actor=actor, record=offer)
    return offer


def withdraw_offer(*, actor, offer: ProvisionOffer) -> ProvisionOffer:
    _may_keep_catalogue(actor, offer.area_id)
    with transaction.atomic():
        ProvisionOffer.objects.filter(pk=offer.pk).update(withdrawn_on=today())
        audit.record(action=AuditAction.DELETE, actor=actor, record=offer)
    offer.refresh_from_db()
    return offer


def request_from_plan(*, actor, plan: SupportPlan, setting, request=None, **fields):
    """The SENCO's request for an EHC needs assessment made from the child's support plan
    (decision 0221): casework's one school request (its checks, clock, chronology and audit),
    for the plan's child, with a record of the plan it came from, in one transaction. `fields`
    are record_school_request's (reason, consent, views, evidence, documents, and received_on
    for a request sent earlier)."""
    if not may(actor, Action.EDIT_SUPPORT_PLAN, plan) or plan.child.current_setting_id != (
        setting.pk
    ):
        raise PermissionDenied("Only the SENCO of the child's setting can request from the plan.")
    with transaction.atomic():
        case = casework_services.record_school_request(
            actor=actor, setting=setting, child=plan.child, request=request, **fields
        )
        RequestFromSupport.objects.create(
            plan=plan, assessment_request=case, made_on=case.received_on
        )
        _audit(actor, plan, "request_for_assessment_made", request=request)
    return case

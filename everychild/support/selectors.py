"""Reads of SEN support records. Every child-level read is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.accounts.models import Organisation
from everychild.children.policy import family_children, visible_children
from everychild.core.digits import ascii_digits
from everychild.support import prefill, transfer
from everychild.support.models import (
    BroadArea,
    Consultation,
    OutcomeResult,
    ProvisionOffer,
    RequestFromSupport,
    SupportCycle,
    SupportPlan,
    SupportSettings,
)
from everychild.support.policy import (
    CONSULTED_KINDS,
    answerable_consultations,
    read_until,
    visible_consultations,
    visible_support_plans,
    writable_setting_ids,
)
from everychild.support.thread import as_of, normalised

# A review within this many days shows as "due soon" on the SENCO's list.
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class PlanRow:
    plan: SupportPlan
    cycle_number: int | None
    review_due: dt.date | None
    status: str  # "overdue", "due_soon", "planned", "no_cycle"
    days: int | None  # days overdue, or to go


def _with_open_cycle(qs: QuerySet) -> QuerySet:
    open_cycle = SupportCycle.objects.filter(plan=OuterRef("pk"), reviewed_on__isnull=True)
    return qs.annotate(
        open_cycle_number=Subquery(open_cycle.values("number")[:1]),
        open_review_due=Subquery(open_cycle.values("review_due")[:1]),
    )


def support_plan_rows(user, *, today: dt.date, request=None) -> list[PlanRow]:
    """The open support plans this user sees, overdue reviews first, then by review date.
    One query for the plans (the open cycle by subquery), one audit entry per plan shown."""
    # A SENCO's working list is of their own pupils, not of children who have left them.
    qs = _with_open_cycle(
        visible_support_plans(user, past_settings=False)
        .filter(ended_on__isnull=True)
        .select_related("child", "child__current_setting")
    )
    rows = []
    for plan in qs:
        due = plan.open_review_due
        if due is None:
            status, days = "no_cycle", None
        elif due < today:
            status, days = "overdue", (today - due).days
        elif (due - today).days <= DUE_SOON_DAYS:
            status, days = "due_soon", (due - today).days
        else:
            status, days = "planned", (due - today).days
        rows.append(PlanRow(plan, plan.open_cycle_number, due, status, days))
    order = {"overdue": 0, "no_cycle": 1, "due_soon": 2, "planned": 3}
    rows.sort(key=lambda r: (order[r.status], r.review_due or dt.date.max, r.plan.child.full_name))
    audit.record_shown(
        user,
        [(r.plan.child_id, "support.SupportPlan", str(r.plan.pk)) for r in rows],
        request=request,
    )
    return rows


def pupils_without_open_plan(user) -> QuerySet:
    """The pupils of the user's settings (as their SENCO) with no open support plan: whom a
    plan can be started for."""
    return (
        visible_children(user)
        .filter(current_setting_id__in=writable_setting_ids(user))
        .exclude(pk__in=SupportPlan.objects.filter(ended_on__isnull=True).values("child_id"))
        .order_by("last_name", "first_name")
    )


def family_support_plans(user) -> QuerySet:
    """The support plans a parent or young person sees in the family portal: their own child's
    (or their own), by the family rules only, even if they also hold a staff role."""
    return (
        SupportPlan.objects.filter(child__in=family_children(user).values("pk"))
        .select_related("child", "child__current_setting", "started_by_setting")
        .order_by("-started_on", "-pk")
    )


def family_support_plan(
    user, plan_id: int, *, request=None, page: str = "family_support_plan"
) -> SupportPlan:
    """One of the family's support plans (SupportPlan.DoesNotExist otherwise), audited."""
    plan = family_support_plans(user).get(pk=plan_id)
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=plan.child_id,
        record=plan,
        request=request,
        detail={"page": page},
    )
    return plan


def contributions_to(plan: SupportPlan) -> list:
    """The family's views on the plan; for a past setting, those sent while the child was
    with them."""
    found = plan.contributions.select_related("sent_by")
    if _until(plan):
        found = found.filter(sent_at__date__lte=_until(plan))
    return list(found)


def requests_made_from(plan: SupportPlan) -> list:
    """Requests for assessment made from the plan; for a past setting, those made by then."""
    found = plan.requests_made.select_related("assessment_request")
    if _until(plan):
        found = found.filter(made_on__lte=_until(plan))
    return list(found)


def plan_for_viewing(user, plan_id: int, *, request=None) -> SupportPlan:
    """The plan, if the user may see it (SupportPlan.DoesNotExist otherwise), audited. A plan
    seen only as a setting the child has left carries `read_until`, the last day of the child's
    time there (None otherwise); the audit entry says so (decision 0240)."""
    plan = (
        visible_support_plans(user)
        .select_related("child", "child__current_setting", "started_by_setting", "created_by")
        .get(pk=plan_id)
    )
    as_of_leaving(plan, read_until(user, [plan]).get(plan.pk))
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=plan.child_id,
        record=plan,
        request=request,
        detail={"as_past_setting_until": plan.read_until.isoformat()} if plan.read_until else None,
    )
    return plan


def as_of_leaving(plan: SupportPlan, until: dt.date | None) -> SupportPlan:
    """Mark `plan` as read by a setting the child left on `until` (None: read in full), and
    keep of its live parts only what that setting may read: the needs, outcomes and provision
    added by then. The views and who is involved are kept as one text each, rewritten as the
    child's time goes on, so they are not shown: they may be the new setting's words."""
    plan.read_until = until
    if until is not None:
        plan.thread = as_of(plan.thread, until)
        plan.child_views = plan.family_views = plan.outside_involvement = ""
    return plan


def _until(plan: SupportPlan) -> dt.date | None:
    return getattr(plan, "read_until", None)


def cycles_of(plan: SupportPlan) -> list[SupportCycle]:
    """The plan's cycles; for a past setting, those begun while the child was with them."""
    cycles = plan.cycles.select_related("created_by", "reviewed_by").order_by("number")
    return cycles_as_of(list(cycles), _until(plan))


def cycles_as_of(cycles: list[SupportCycle], until: dt.date | None) -> list[SupportCycle]:
    """The cycles as they stood on `until` (all of them, as they are, when None): those begun
    by then, without a review held after it."""
    if until is None:
        return cycles
    shown = [cycle for cycle in cycles if cycle.started_on <= until]
    for cycle in shown:
        # A review held after the child left is the new setting's, not the old one's to read.
        if cycle.reviewed_on and cycle.reviewed_on > until:
            cycle.done, cycle.review_summary, cycle.review_results = "", "", {}
            cycle.reviewed_on = cycle.reviewed_by = None
    return shown


def history_of(child, user) -> QuerySet:
    """Every support plan of a child the user may see, newest first (the plan moves with the
    child: a new setting's SENCO sees the earlier ones)."""
    return visible_support_plans(user).filter(child=child).order_by("-started_on")


def offers(area_id: int) -> dict[str, list[ProvisionOffer]]:
    """The area's ordinarily available provision in force, by broad area of need."""
    found: dict[str, list[ProvisionOffer]] = {key: [] for key in BroadArea.values}
    for offer in ProvisionOffer.objects.filter(area_id=area_id, withdrawn_on__isnull=True):
        found[offer.broad_area].append(offer)
    return found


def offer_choices(area_id: int) -> list[tuple[str, str]]:
    labels = dict(BroadArea.choices)
    return [
        (str(offer.pk), f"{labels[offer.broad_area]}: {offer.title}")
        for offer in ProvisionOffer.objects.filter(area_id=area_id, withdrawn_on__isnull=True)
    ]


def consultations_of(plan: SupportPlan) -> list:
    """The advice asked for on the plan; for a past setting, what was asked while the child
    was with them, and an answer only if it came by then."""
    found = list(plan.consultations.select_related("organisation", "answered_by", "asked_by"))
    until = _until(plan)
    if until is None:
        return found
    found = [c for c in found if c.asked_on <= until]
    for consultation in found:
        if consultation.answered_on and consultation.answered_on > until:
            consultation.answer, consultation.answered_on = "", None
    return found


def consultation_queue(user) -> list:
    """The consultations addressed to the user's services: open first, oldest first."""
    found = answerable_consultations(user).select_related(
        "plan__child", "plan__child__current_setting", "organisation"
    )
    return sorted(found, key=lambda c: (c.answered_on is not None, c.asked_on, c.pk))


def consultation_for_viewing(user, consultation_id: int, *, request=None) -> Consultation:
    """One consultation the user sees (Consultation.DoesNotExist otherwise), audited."""
    consultation = (
        visible_consultations(user)
        .select_related("plan__child", "plan__child__current_setting", "organisation", "asked_by")
        .get(pk=consultation_id)
    )
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=consultation.plan.child_id,
        record=consultation,
        request=request,
    )
    return consultation


def services_to_consult(area_id: int) -> list:
    return list(
        Organisation.objects.filter(
            area_id=area_id, kind__in=CONSULTED_KINDS, is_active=True
        ).order_by("name")
    )


def plan_as_file(user, plan: SupportPlan, *, request=None) -> dict:
    """The plan as the file another setting imports (support.transfer), audited as an export."""
    audit.record(
        action=AuditAction.EXPORT,
        actor=user,
        child=plan.child_id,
        record=plan,
        request=request,
        detail={"format": transfer.FORMAT},
    )
    return transfer.export_document(plan)


# --- a request for assessment made from the plan (decision 0221) ------------------------------


def plans_to_request_from(user, setting) -> QuerySet:
    """The open support plans of the setting's pupils, which a request can start from."""
    return (
        visible_support_plans(user)
        .filter(ended_on__isnull=True, child__current_setting=setting)
        .filter(child__current_setting_id__in=writable_setting_ids(user))
        .select_related("child")
        .order_by("child__last_name", "child__first_name")
    )


def request_draft(user, plan_id, setting, *, request=None) -> tuple[SupportPlan, dict]:
    """The plan (one of the setting's pupils', open) and the request it pre-fills
    (SupportPlan.DoesNotExist otherwise), the read audited."""
    if not ascii_digits(plan_id):
        raise SupportPlan.DoesNotExist
    plan = plans_to_request_from(user, setting).get(pk=plan_id)
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=plan.child_id,
        record=plan,
        request=request,
        detail={"page": "request_from_support_plan"},
    )
    return plan, prefill.request_draft(plan, cycles_of(plan), consultations_of(plan))


@dataclass(frozen=True)
class CaseEvidence:
    """The support history beside a request on the case page: the plan it came from (or the
    child's plans), each with its cycles, outcomes and consultations."""

    plan: SupportPlan
    made_from: bool  # the request was made from this plan
    cycles: list  # (cycle, [(outcome text, result, note)])
    outcomes: list  # the plan's outcomes (thread items)
    consultations: list


def _results(cycle, outcomes: dict) -> list[tuple[str, str, str]]:
    labels = dict(OutcomeResult.choices)
    return [
        (
            outcomes.get(key, key),
            labels.get((found or {}).get("result", ""), ""),
            (found or {}).get("note", ""),
        )
        for key, found in (cycle.review_results or {}).items()
    ]


def evidence_for_case(user, case, *, request=None) -> dict | None:
    """For the caseworker's case page (registered with casework.case_panels): the support
    plans of the case's child the user may read, the one the request was made from first;
    None when there are none. Each plan shown is audited."""
    link = RequestFromSupport.objects.filter(assessment_request=case).first()
    plans = list(
        visible_support_plans(user, past_settings=False)
        .filter(child_id=case.child_id)
        .select_related("started_by_setting")
        .order_by("-started_on", "-pk")
    )
    if not plans:
        return None
    made_from = link.plan_id if link else None
    plans.sort(key=lambda p: p.pk != made_from)
    shown = []
    for plan in plans:
        outcomes = normalised(plan.thread)["outcomes"]
        texts = {o["id"]: o.get("text", "") for o in outcomes}
        shown.append(
            CaseEvidence(
                plan=plan,
                made_from=plan.pk == made_from,
                cycles=[(cycle, _results(cycle, texts)) for cycle in cycles_of(plan)],
                outcomes=outcomes,
                consultations=consultations_of(plan),
            )
        )
    audit.record_shown(
        user,
        [(plan.child_id, "support.SupportPlan", str(plan.pk)) for plan in plans],
        request=request,
        detail={"page": "case_support_evidence", "case": case.pk},
    )
    return {"support_evidence": shown}


def support_settings(area_id: int) -> SupportSettings:
    """The area's SEN support settings, or the defaults if it has chosen none (unsaved)."""
    return SupportSettings.objects.filter(area_id=area_id).first() or SupportSettings(
        area_id=area_id
    )

"""Disagreements: mediation, appeals to the Tribunal and its orders (Part 2, reg 43-44)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.access.models import AuditAction
from everychild.core import locking
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.plans.models import (
    Disagreement,
    EHCPlan,
    MediationAgreement,
    TribunalOrder,
    TribunalRecommendation,
)
from everychild.plans.services.steps import (
    _audit,
    _date,
    _may_write_plans,
    _opened_at,
)

# --- Disagreements -----------------------------------------------------------------------------

DISAGREEMENT_DATES = (
    ("mediation_adviser_contacted_on", "the date the family contacted the mediation adviser"),
    ("mediation_certificate_on", "the date of the mediation certificate"),
    ("mediation_wanted_la_told_on", "the date the LA was told the family wants mediation"),
    ("mediation_held_on", "the date of the mediation"),
    ("appeal_registered_on", "the date the appeal was registered"),
    ("conceded_on", "the date the LA told the Tribunal it would not oppose"),
    ("outcome_on", "the date of the outcome"),
)


def record_disagreement(
    *, actor, plan: EHCPlan, decision_disputed: str, decision_letter_on: dt.date, request=None
) -> Disagreement:
    _may_write_plans(actor, plan.area_id)
    what = _text(
        "decision_disputed", decision_disputed, "the decision disagreed with", max_length=200
    )
    letter = _date("decision_letter_on", decision_letter_on, "the date of the decision letter")
    with transaction.atomic():
        item = Disagreement.objects.create(
            area_id=plan.area_id,
            child_id=plan.child_id,
            plan=plan,
            decision_disputed=what,
            decision_letter_on=letter,
        )
        _audit(actor, plan.child_id, item, AuditAction.CREATE, request, step="disagreement")
    return item


def update_disagreement(
    *,
    actor,
    disagreement: Disagreement,
    outcome: str = "",
    notes: str = "",
    version: int | None = None,
    request=None,
    **dates,
) -> Disagreement:
    """Mediation, the appeal, a concession (reg 45) and the outcome, as they happen; refused
    if the disagreement changed since `version` was read."""
    _may_write_plans(actor, disagreement.area_id)
    unknown = set(dates) - {name for name, _ in DISAGREEMENT_DATES}
    if unknown:
        raise TypeError(f"unknown dates {sorted(unknown)}")
    if outcome and outcome not in Disagreement.Outcome.values:
        _refuse("outcome", "Choose the outcome from the list.", "unknown_code")
    with transaction.atomic():
        item = locking.locked(Disagreement.objects, disagreement.pk, version, "disagreement")
        for name, what in DISAGREEMENT_DATES:
            value = dates.get(name)
            if value:
                setattr(
                    item,
                    name,
                    _date(
                        name,
                        value,
                        what,
                        not_before=((item.decision_letter_on, "the decision letter"),),
                    ),
                )
        if outcome:
            if not item.outcome_on:
                _refuse("outcome_on", "Enter the date of the outcome.", "required")
            item.outcome = outcome
        if outcome == Disagreement.Outcome.CONCEDED and not item.conceded_on:
            _refuse("conceded_on", "Enter the date the LA told the Tribunal.", "required")
        if notes:
            item.notes = _text("notes", notes, "notes")
        locking.bump(item)
        item.save()
        _audit(actor, item.child_id, item, request=request, step="disagreement_updated")
    return item


def record_tribunal_order(
    *, actor, disagreement: Disagreement, kind: str, ordered_on: dt.date, request=None
) -> TribunalOrder:
    """An order of the Tribunal, or what the LA conceded (reg 45: counted from its notice)."""
    _may_write_plans(actor, disagreement.area_id)
    if kind not in TribunalOrder.Kind.values:
        _refuse("kind", "Choose what the Tribunal ordered.", "unknown_code")
    day = _date(
        "ordered_on",
        ordered_on,
        "the date of the order",
        not_before=((disagreement.decision_letter_on, "the decision letter"),),
    )
    with transaction.atomic():
        order = TribunalOrder.objects.create(disagreement=disagreement, kind=kind, ordered_on=day)
        _audit(actor, disagreement.child_id, order, AuditAction.CREATE, request, step="order")
    return order


def record_order_complied(
    *, actor, order: TribunalOrder, complied_on: dt.date, request=None
) -> TribunalOrder:
    _may_write_plans(actor, order.disagreement.area_id)
    with transaction.atomic():
        order = (
            TribunalOrder.objects.select_for_update()
            .select_related("disagreement")
            .get(pk=order.pk)
        )
        order.complied_on = _date(
            "complied_on",
            complied_on,
            "the date the order was met",
            not_before=((order.ordered_on, "the order"),),
        )
        order.save(update_fields=["complied_on"])
        _audit(actor, order.disagreement.child_id, order, request=request, step="order_complied")
    return order


# --- Mediation agreements (reg 42) -------------------------------------------------------------

AGREEMENT_STEPS = (
    ("notified_on", "the date the family was told of the decision to assess"),
    ("decision_not_to_issue_on", "the date of the decision not to issue a plan"),
    ("draft_plan_issued_on", "the date the draft plan was issued"),
    ("final_plan_issued_on", "the date the final plan was issued"),
    ("amended_plan_issued_on", "the date the amended plan was issued"),
    ("done_on", "the date the agreed action was done"),
)
# Which steps each kind of agreement has (the reg 44(2) steps of the matching order kind).
_STEPS_OF = {
    MediationAgreement.Kind.ASSESS: {
        "notified_on",
        "decision_not_to_issue_on",
        "final_plan_issued_on",
    },
    MediationAgreement.Kind.MAKE_PLAN: {"draft_plan_issued_on", "final_plan_issued_on"},
    MediationAgreement.Kind.AMEND_PLAN: {"amended_plan_issued_on"},
    MediationAgreement.Kind.NAME_SCHOOL: {"amended_plan_issued_on"},
    MediationAgreement.Kind.OTHER: {"done_on"},
}


def record_mediation_agreement(
    *,
    actor,
    disagreement: Disagreement,
    kind: str,
    agreed_on: dt.date,
    what: str,
    version: int | None = None,
    request=None,
    **steps,
) -> MediationAgreement:
    """What was agreed at mediation, and each step as it is done (reg 42: "as if" the Tribunal
    had ordered it, on the periods of reg 44, for a matter that could have been appealed;
    within 2 weeks for other agreed action). `version`: the agreement's version when the page
    was opened, 0 if none was recorded."""
    _may_write_plans(actor, disagreement.area_id)
    unknown = set(steps) - {name for name, _ in AGREEMENT_STEPS}
    if unknown:
        raise TypeError(f"unknown steps {sorted(unknown)}")
    if kind not in MediationAgreement.Kind.values:
        _refuse("kind", "Choose what was agreed.", "unknown_code")
    said = _text("what", what, "what was agreed")
    with transaction.atomic():
        item = locking.locked(Disagreement.objects, disagreement.pk, None, "disagreement")
        if not item.mediation_held_on or not item.mediation_wanted_la_told_on:
            _refuse(
                "agreed_on",
                "Record when the local authority was told the family wants mediation and when "
                "it was held first.",
                "no_mediation",
            )
        day = _date(
            "agreed_on",
            agreed_on,
            "the date of the agreement",
            not_before=((item.mediation_held_on, "the mediation"),),
        )
        checked = {}
        for name, label in AGREEMENT_STEPS:
            value = steps.get(name)
            if value and name not in _STEPS_OF[kind]:
                _refuse(name, "That step is not part of this kind of agreement.", "not_a_step")
            checked[name] = (
                _date(name, value, label, not_before=((day, "the agreement"),)) if value else None
            )
        agreement = MediationAgreement.objects.select_for_update().filter(disagreement=item).first()
        created = agreement is None
        if created:
            agreement = MediationAgreement(disagreement=item)
        _opened_at(agreement, created, version, "mediation agreement")
        agreement.kind, agreement.agreed_on, agreement.what = kind, day, said
        for name, value in checked.items():
            setattr(agreement, name, value)
        agreement.save()
        _audit(
            actor,
            item.child_id,
            agreement,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            request,
            step="mediation_agreement",
        )
    return agreement


# --- The Tribunal's recommendations (2017 Regulations) -----------------------------------------

# The SEND (First-tier Tribunal Recommendations Power) Regulations 2017 apply to appeals on
# decisions made from 3 April 2018.
RECOMMENDATIONS_FROM = dt.date(2018, 4, 3)


def record_recommendation(
    *,
    actor,
    disagreement: Disagreement,
    body: str,
    body_name: str,
    recommendation: str,
    made_on: dt.date,
    request=None,
) -> TribunalRecommendation:
    """A recommendation the Tribunal made to a health or social care body: the body must
    answer within 5 weeks of the decision, saying what it will do and why."""
    _may_write_plans(actor, disagreement.area_id)
    if body not in TribunalRecommendation.Body.values:
        _refuse("body", "Choose who the recommendation is to.", "unknown_code")
    name = _text("body_name", body_name, "the body's name", max_length=200)
    said = _text("recommendation", recommendation, "what the Tribunal recommended")
    if disagreement.decision_letter_on < RECOMMENDATIONS_FROM:
        _refuse(
            "made_on",
            "The Tribunal can recommend only in appeals on decisions made from 3 April 2018.",
            "before_2018",
        )
    day = _date(
        "made_on",
        made_on,
        "the date of the Tribunal's decision",
        not_before=((disagreement.decision_letter_on, "the decision letter"),),
    )
    with transaction.atomic():
        item = TribunalRecommendation.objects.create(
            disagreement=disagreement,
            body=body,
            body_name=name,
            recommendation=said,
            made_on=day,
        )
        _audit(actor, disagreement.child_id, item, AuditAction.CREATE, request, step="recommended")
    return item


def record_recommendation_answer(
    *,
    actor,
    recommendation: TribunalRecommendation,
    answered_on: dt.date,
    answer: str,
    version: int | None = None,
    request=None,
) -> TribunalRecommendation:
    """The body's answer: what it will do about the recommendation and why (due within 5
    weeks of the Tribunal's decision)."""
    _may_write_plans(actor, recommendation.disagreement.area_id)
    said = _text("answer", answer, "what the body answered")
    with transaction.atomic():
        item = locking.locked(
            TribunalRecommendation.objects.select_related("disagreement"),
            recommendation.pk,
            version,
            "recommendation",
        )
        item.answered_on = _date(
            "answered_on",
            answered_on,
            "the date the body answered",
            not_before=((item.made_on, "the Tribunal's decision"),),
        )
        item.answer = said
        locking.bump(item)
        item.save(update_fields=["answered_on", "answer", "version"])
        _audit(
            actor, item.disagreement.child_id, item, request=request, step="recommendation_answer"
        )
    return item

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
    TribunalOrder,
)
from everychild.plans.services.steps import (
    _audit,
    _date,
    _may_write_plans,
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

"""Phase transfers (reg 2, 18(1)), post-16 moves at other times (reg 18(2)), plans transferred
in from another council (reg 15, 16) and ceasing a plan (s.45, reg 29-31)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.access.models import AuditAction
from everychild.accounts.models import Organisation
from everychild.core import locking
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.plans.models import (
    CeaseReason,
    EHCPlan,
    PhaseTransfer,
    PlanCessation,
    PlanTransferIn,
    Post16Move,
)
from everychild.plans.services.steps import (
    _audit,
    _date,
    _may_write_plans,
    _opened_at,
)
from everychild.statutory.facts import PHASE_TRANSFERS

# --- Phase transfers, ceasing --------------------------------------------------------------------


def record_phase_transfer(
    *,
    actor,
    plan: EHCPlan,
    year: int,
    kind: str = "",
    transfer: str = "",
    preferred_setting: str = "",
    consulted_on: dt.date | None = None,
    named_setting: Organisation | None = None,
    named_on: dt.date | None = None,
    version: int | None = None,
    request=None,
) -> PhaseTransfer:
    """Where a move between phases stands: the family's preference, the consultation, the
    setting named (reg 18(1): the amended plan "before 15 February" or "before 31 March",
    so by 14 February or 30 March). `version` is the record's version when the page was
    opened, 0 if there was none yet: a save overtaken by someone else's is refused.

    `transfer` names which of the six transfers of reg 2(1) it is; `kind`, the reg 18(1) date
    it is judged by, follows from it (only secondary school to post-16 is "before 31st
    March"), and must agree with it when both are given."""
    _may_write_plans(actor, plan.area_id)
    if transfer:
        if transfer not in PhaseTransfer.Transfer.values:
            _refuse("transfer", "Choose the move from the list.", "unknown_code")
        limb = PHASE_TRANSFERS[transfer].limb
        if kind and kind != limb:
            _refuse("transfer", "That move is judged by the other date of reg 18(1).", "mismatch")
        kind = limb
    if kind not in PhaseTransfer.Kind.values:
        _refuse("kind", "Choose the kind of move.", "unknown_code")
    if named_setting is not None and not named_on:
        _refuse("named_on", "Enter the date the setting was named.", "required")
    with transaction.atomic():
        item, created = PhaseTransfer.objects.select_for_update().get_or_create(
            plan=plan, year=year, defaults={"kind": kind}
        )
        _opened_at(item, created, version, "phase transfer")
        item.kind = kind
        if transfer:
            item.transfer = transfer
        item.preferred_setting = _text(
            "preferred_setting",
            preferred_setting,
            "the preferred setting",
            required=False,
            max_length=200,
        )
        if consulted_on:
            item.consulted_on = _date("consulted_on", consulted_on, "the consultation date")
        if named_setting is not None:
            if not named_setting.is_setting:
                _refuse("named_setting", "Choose a school, college or setting.")
            item.named_setting = named_setting
            item.named_on = _date("named_on", named_on, "the date the setting was named")
        item.save()
        _audit(actor, plan.child_id, item, request=request, step="phase_transfer")
    return item


TRANSFER_IN_DATES = (
    ("old_authority_aware_on", "the date the old council learned of the move"),
    ("plan_transferred_on", "the date the plan was transferred"),
    ("family_notified_on", "the date the family was told"),
    ("health_body_aware_on", "the date the old health body learned of the move"),
    ("health_body_notified_on", "the date the new health body was told"),
)


def record_transfer_in(
    *,
    actor,
    plan: EHCPlan,
    from_authority: str,
    moved_on: dt.date,
    new_health_body: str = "",
    version: int | None = None,
    request=None,
    **dates,
) -> PlanTransferIn:
    """A plan transferred from another council when the child moved into the area, as its
    steps happen (reg 15): the old council transfers it "on the day of the move" (or within 15
    working days of learning of it); this council tells the family within 6 weeks whether it
    will assess and when it will review; the review is due by the later of the s.44(1) date
    and 3 months from the transfer. reg 16: the health commissioning body told within 15
    working days. `version` is the record's version when the page was opened (0: none yet)."""
    _may_write_plans(actor, plan.area_id)
    unknown = set(dates) - {name for name, _ in TRANSFER_IN_DATES}
    if unknown:
        raise TypeError(f"unknown dates {sorted(unknown)}")
    source = _text(
        "from_authority", from_authority, "the council the plan came from", max_length=200
    )
    health = _text(
        "new_health_body",
        new_health_body,
        "the new health commissioning body",
        required=False,
        max_length=200,
    )
    moved = _date("moved_on", moved_on, "the date the child moved into the area")
    checked = {}
    for name, what in TRANSFER_IN_DATES:
        value = dates.get(name)
        checked[name] = _date(name, value, what) if value else None
    transferred = checked["plan_transferred_on"]
    if checked["family_notified_on"] and not transferred:
        _refuse("plan_transferred_on", "Enter the date the plan was transferred.", "required")
    if transferred and checked["family_notified_on"]:
        _date(
            "family_notified_on",
            checked["family_notified_on"],
            "the date the family was told",
            not_before=((transferred, "the transfer"),),
        )
    if checked["health_body_notified_on"] and not checked["health_body_aware_on"]:
        _refuse(
            "health_body_aware_on",
            "Enter the date the old health body learned of the move.",
            "required",
        )
    if checked["health_body_notified_on"]:
        _date(
            "health_body_notified_on",
            checked["health_body_notified_on"],
            "the date the new health body was told",
            not_before=((checked["health_body_aware_on"], "the old body learning of it"),),
        )
    with transaction.atomic():
        item, created = PlanTransferIn.objects.select_for_update().get_or_create(
            plan=plan, defaults={"from_authority": source, "moved_on": moved}
        )
        _opened_at(item, created, version, "transfer")
        item.from_authority, item.moved_on, item.new_health_body = source, moved, health
        for name, value in checked.items():
            setattr(item, name, value)
        item.save()
        _audit(
            actor,
            plan.child_id,
            item,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            request,
            step="transfer_in",
        )
    return item


def record_post16_move(
    *,
    actor,
    plan: EHCPlan,
    move_on: dt.date,
    moving_to: str,
    version: int | None = None,
    move: Post16Move | None = None,
    request=None,
) -> Post16Move:
    """A young person's move between post-16 institutions at another time than a phase
    transfer, planned: the plan must be reviewed and amended "at least 5 months before" it
    (reg 18(2)). A new move, or a change to `move` read at `version`."""
    _may_write_plans(actor, plan.area_id)
    where = _text("moving_to", moving_to, "where the young person is moving to", max_length=200)
    day = _date(
        "move_on",
        move_on,
        "the date of the move",
        future_allowed=True,
        not_before=((plan.issued_on, "the plan's issue"),),
    )
    with transaction.atomic():
        if move is None:
            if Post16Move.objects.filter(plan=plan, move_on=day).exists():
                _refuse("move_on", "A move on that date is already recorded.", "duplicate")
            item = Post16Move(plan=plan)
            action = AuditAction.CREATE
        else:
            item = locking.locked(Post16Move.objects.filter(plan=plan), move.pk, version, "move")
            locking.bump(item)
            action = AuditAction.UPDATE
        item.move_on, item.moving_to = day, where
        item.save()
        _audit(actor, plan.child_id, item, action, request, step="post16_move")
    return item


def cease_plan(
    *,
    actor,
    plan: EHCPlan,
    reason: str,
    decided_on: dt.date,
    notice_sent_on: dt.date,
    ceases_on: dt.date,
    explanation: str,
    transferred_to: str = "",
    request=None,
) -> PlanCessation:
    """Cease to maintain the plan (CFA 2014 s.45; regs 29-31) for an SEN2 reason 1-9, with
    notice to the family of their right to appeal. Reason 5: the LA the child moved to."""
    _may_write_plans(actor, plan.area_id)
    if reason not in CeaseReason.values:
        _refuse("reason", "Choose the reason the plan ceases (SEN2 reasons 1 to 9).", "required")
    why = _text("explanation", explanation, "the explanation given to the family")
    moved_to = _text(
        "transferred_to",
        transferred_to,
        "the local authority the child moved to",
        required=reason == CeaseReason.TRANSFERRED,
        max_length=200,
    )
    decided = _date(
        "decided_on",
        decided_on,
        "the date of the decision",
        not_before=((plan.issued_on, "the plan's issue"),),
    )
    notice = _date(
        "notice_sent_on",
        notice_sent_on,
        "the date notice was sent",
        not_before=((decided, "the decision"),),
    )
    ends = _date(
        "ceases_on",
        ceases_on,
        "the date the plan ceases",
        future_allowed=True,
        not_before=((notice, "the notice"),),
    )
    with transaction.atomic():
        locked = EHCPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.ceased_on is not None:
            _refuse("reason", f"This plan already ceased on {_long(locked.ceased_on)}.")
        cessation = PlanCessation.objects.create(
            plan=locked,
            reason=reason,
            decided_on=decided,
            notice_sent_on=notice,
            ceases_on=ends,
            transferred_to=moved_to,
            explanation=why,
            decided_by=actor,
        )
        locked.ceased_on, locked.cease_reason = ends, reason
        locked.save(update_fields=["ceased_on", "cease_reason"])
        _audit(actor, locked.child_id, cessation, AuditAction.CREATE, request, step="ceased")
    return cessation

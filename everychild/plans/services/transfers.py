"""Phase transfers (reg 18) and ceasing a plan (s.45, reg 29-31)."""

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
)
from everychild.plans.services.steps import (
    _audit,
    _date,
    _may_write_plans,
)

# --- Phase transfers, ceasing --------------------------------------------------------------------


def record_phase_transfer(
    *,
    actor,
    plan: EHCPlan,
    year: int,
    kind: str,
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
    opened, 0 if there was none yet: a save overtaken by someone else's is refused."""
    _may_write_plans(actor, plan.area_id)
    if kind not in PhaseTransfer.Kind.values:
        _refuse("kind", "Choose the kind of move.", "unknown_code")
    if named_setting is not None and not named_on:
        _refuse("named_on", "Enter the date the setting was named.", "required")
    with transaction.atomic():
        item, created = PhaseTransfer.objects.select_for_update().get_or_create(
            plan=plan, year=year, defaults={"kind": kind}
        )
        if version is not None and (0 if created else item.version) != int(version):
            raise locking.stale("phase transfer")
        if not created:
            locking.bump(item)
        item.kind = kind
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

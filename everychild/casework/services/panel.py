"""The panel's meetings, and the area's settings naming who records each decision
(decision 0192)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.areas.models import Area, DecisionOwner, ReviewConvener
from everychild.casework import policy
from everychild.casework.models import PanelMeeting
from everychild.core.wording import date as _check_date
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text


def hold_panel_meeting(
    *, actor, area: Area, held_on: dt.date, members: str, notes: str = "", request=None
) -> PanelMeeting:
    """Open a meeting of the area's panel: its date, the members present and any notes. The
    decisions recorded from its agenda point to it."""
    if not policy.may_sit_on_panel(actor, area.pk):
        raise PermissionDenied("Only the area's panel members can hold a panel meeting.")
    held_on = _check_date("held_on", held_on, "the date of the meeting")
    members = _text("members", members, "the members present")
    notes = _text("notes", notes, "the notes of the meeting", required=False)
    with transaction.atomic():
        meeting = PanelMeeting.objects.create(
            area=area, held_on=held_on, members=members, notes=notes, created_by=actor
        )
        audit.record(
            action=AuditAction.CREATE,
            actor=actor,
            record=meeting,
            request=request,
            detail={"step": "panel_meeting", "area": area.pk},
        )
    return meeting


def change_decision_owners(
    *,
    actor,
    area: Area,
    assess_decided_by: str,
    issue_decided_by: str,
    final_plan_issued_by: str,
    reviews_convened_by: str = ReviewConvener.SCHOOL,
    request=None,
) -> Area:
    """The area's team managers name who records each of the three decisions, and who
    convenes the annual reviews of children at school or college (reg 20)."""
    if not policy.may_manage_cases(actor, area.pk):
        raise PermissionDenied("Only the area's team managers can change who decides.")
    chosen = {
        "assess_decided_by": assess_decided_by,
        "issue_decided_by": issue_decided_by,
        "final_plan_issued_by": final_plan_issued_by,
    }
    for field, value in chosen.items():
        if value not in DecisionOwner.values:
            _refuse(field, "Choose who records this decision.", "unknown_code")
    if reviews_convened_by not in ReviewConvener.values:
        _refuse("reviews_convened_by", "Choose who convenes the annual reviews.", "unknown_code")
    chosen["reviews_convened_by"] = reviews_convened_by
    with transaction.atomic():
        before = {field: getattr(area, field) for field in chosen}
        for field, value in chosen.items():
            setattr(area, field, value)
        area.save(update_fields=list(chosen))
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            record=area,
            request=request,
            detail={"step": "decision_owners", "before": before, "after": chosen},
        )
    return area

"""Reads for the fees agreed for individual placements (independent schools, specialist
post-16, alternative provision). Unlike the rest of finance these name children, so they are
for the council's SEND team managers, who agree the placements, not for finance officers; each
child shown is audited. Finance sees only the totals (selectors.placements_summary)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.areas.models import Area
from everychild.finance.models import INDIVIDUALLY_PRICED, CostComponent, Placement, PlacementFee
from everychild.finance.selectors import fees_in_force
from everychild.plans.policy import visible_plans


def priced_placements(user, area: Area, on: dt.date, *, request=None) -> list[dict]:
    """Open placements usually paid at an individually agreed price, with the fee in force for
    each, for the area's team managers who record them. Each child shown is audited."""
    placements = list(
        Placement.objects.filter(
            area=area,
            placement_type__in=INDIVIDUALLY_PRICED,
            plan__in=visible_plans(user),
            starts_on__lte=on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(plan__ceased_on__isnull=True) | Q(plan__ceased_on__gt=on))
        .select_related("plan__child", "setting")
        # Only what the list shows: ~720 placements, each with its plan, child and setting.
        .only(
            "placement_type",
            "starts_on",
            "setting__name",
            "plan__child__first_name",
            "plan__child__preferred_name",
            "plan__child__last_name",
        )
        .order_by("placement_type", "setting__name", "plan__child__last_name", "pk")
    )
    agreed = fees_in_force([p.pk for p in placements], on)
    address = audit.client_address(request)
    audit.record_many(
        audit.AuditEvent(
            action=AuditAction.VIEW,
            actor=user,
            child_id=p.plan.child_id,
            record_type="finance.Placement",
            record_id=str(p.pk),
            ip_address=address,
            detail={"list": "agreed fees"},
        )
        for p in placements
    )
    return [
        {
            "placement": p,
            "fees": {c: agreed.get((p.pk, c)) for c in CostComponent.values},
            "any_fee": any((p.pk, c) in agreed for c in CostComponent.values),
        }
        for p in placements
    ]


def priced_placement(user, area: Area, placement_id: int, *, request=None) -> Placement | None:
    """One placement the user may record fees for, audited as a view of the child's record."""
    placement = (
        Placement.objects.filter(area=area, plan__in=visible_plans(user), pk=placement_id)
        .select_related("plan__child", "setting")
        .first()
    )
    if placement is not None:
        audit.record(
            action=AuditAction.VIEW,
            actor=user,
            child=placement.plan.child_id,
            record=placement,
            request=request,
        )
    return placement


def fee_history(placement: Placement) -> list[PlacementFee]:
    return list(placement.fees.select_related("recorded_by").order_by("-effective_from", "-pk"))

"""Reads for the fees agreed for individual placements (independent schools, specialist
post-16, alternative provision). Unlike the rest of finance these name children, so they are
for the council's SEND team managers, who agree the placements, not for finance officers; each
child shown is audited. Finance sees only the totals (selectors.placements_summary)."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Page, Paginator
from django.db.models import Q

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.areas.models import Area
from everychild.finance.models import INDIVIDUALLY_PRICED, CostComponent, Placement, PlacementFee
from everychild.finance.selectors import fees_in_force
from everychild.plans.policy import visible_plans

#: Rows on a page of the list (as the caseload and the advice queue, decision 0261): at scale 5
#: an area has ~3,600 such placements, and auditing and drawing every one took ~3 s.
PAGE_SIZE = 100
#: The list's order: by kind of placement, setting and child (the id last, so that every page
#: follows on from the one before).
_ORDER = ("placement_type", "setting__name", "plan__child__last_name", "pk")


def _open_priced(user, area: Area, on: dt.date):
    """Open placements on `on` usually paid at an individually agreed price, of plans the user
    may see."""
    return (
        Placement.objects.filter(
            area=area,
            placement_type__in=INDIVIDUALLY_PRICED,
            plan__in=visible_plans(user),
            starts_on__lte=on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(plan__ceased_on__isnull=True) | Q(plan__ceased_on__gt=on))
    )


def priced_placements(
    user, area: Area, on: dt.date, *, page=None, per_page: int | None = None, request=None
) -> tuple[Page, int]:
    """One page of the open placements usually paid at an individually agreed price, with the
    fee in force for each, for the area's team managers who record them; and how many of all
    of them (not only the page's) have no agreed fee. Only the page's children are read in
    full and audited (decision 0280)."""
    placements = _open_priced(user, area, on)
    ids = list(placements.order_by(*_ORDER).values_list("pk", flat=True))
    shown = Paginator(ids, per_page or PAGE_SIZE).get_page(page)
    page_ids = list(shown.object_list)
    by_id = (
        Placement.objects.filter(pk__in=page_ids)
        .select_related("plan__child", "setting")
        # Only what the list shows.
        .only(
            "placement_type",
            "starts_on",
            "setting__name",
            "plan__child__first_name",
            "plan__child__preferred_name",
            "plan__child__last_name",
        )
        .in_bulk()
    )
    rows = [by_id[pk] for pk in page_ids]
    agreed = fees_in_force(page_ids, on)
    with_fee = (
        PlacementFee.objects.filter(placement__in=placements, effective_from__lte=on)
        .values("placement_id")
        .distinct()
        .count()
    )
    audit.record_shown(
        user,
        ((p.plan.child_id, "finance.Placement", str(p.pk)) for p in rows),
        request=request,
        detail={"list": "agreed fees"},
    )
    shown.object_list = [
        {
            "placement": p,
            "fees": {c: agreed.get((p.pk, c)) for c in CostComponent.values},
            "any_fee": any((p.pk, c) in agreed for c in CostComponent.values),
        }
        for p in rows
    ]
    return shown, len(ids) - with_fee


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

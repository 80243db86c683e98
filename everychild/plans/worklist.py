"""Plans' part of the caseworker's task list (casework.worklist): review meetings held whose
decision (keep, amend or cease) the local authority has not yet made: within 4 weeks of the
meeting (SEND Regulations 2014 reg 20(10)); and reviews the council convenes whose invitations
are still to go (reg 20(3), 21). The dates are the engine's (plans.clock).

Registered from PlansConfig.ready(); one query however many cases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from everychild.accounts.models import OrganisationKind
from everychild.areas.models import ReviewConvener
from everychild.casework.worklist import Scope, Task, child_name
from everychild.plans.clock import review_milestones
from everychild.plans.models import AnnualReview, EHCPlan
from everychild.plans.selectors import SENCO_DUE_WITHIN_DAYS, review_due_rows

KINDS = {"review": "Review to decide", "convene": "Review to convene"}


def _plan_task(plan: EHCPlan, kind: str, **values) -> Task:
    """A task on a plan's case (plan loaded with its child and its case's caseworker)."""
    case, child = plan.assessment_request, plan.child
    return Task(
        kind=kind,
        case_id=case.pk,
        child=child_name(child.first_name, child.last_name, child.preferred_name),
        child_id=child.pk,
        caseworker_id=case.caseworker_id,
        caseworker=case.caseworker.full_name if case.caseworker else "",
        reference=case.reference,
        **values,
    )


def reviews_to_decide(scope: Scope) -> Iterable[Task]:
    if scope.panel_only:
        return []
    reviews = (
        AnnualReview.objects.filter(
            plan__assessment_request__in=scope.cases.order_by().values("pk"),
            plan__ceased_on__isnull=True,
            meeting_on__isnull=False,
            decision="",
        )
        .select_related(
            "plan__area",
            "plan__child",
            "plan__assessment_request__caseworker",
            "amended_version",
        )
        .order_by("meeting_on", "pk")
    )
    tasks = []
    for review in reviews:
        milestone = next(
            (m for m in review_milestones(review, today=scope.today) if m.key == "review_decision"),
            None,
        )
        tasks.append(
            _plan_task(
                review.plan,
                "review",
                legal_date=milestone.due if milestone else None,
                what="Decide whether to keep, amend or cease the plan after its review meeting",
                link=reverse("plans:review", args=[review.pk]),
                since=review.meeting_on,
                regulation="20(10)",
            )
        )
    return tasks


#: A review is put on the convener's list this many days before it is due: the invitations go
#: at least 2 weeks before the meeting (reg 20(3)), so it is planned a term ahead, as the
#: SENCO's list does (selectors.SENCO_DUE_WITHIN_DAYS).
CONVENE_WITHIN_DAYS = SENCO_DUE_WITHIN_DAYS


def reviews_to_convene(scope: Scope) -> Iterable[Task]:
    """Reviews the council convenes (the area's choice for children at school or college,
    reg 20; always for a child at neither, reg 21) that are due within CONVENE_WITHIN_DAYS and
    whose invitations have not gone: the case's caseworker invites. Set-wise: three queries."""
    if scope.panel_only:
        return []
    # reg 21: a child at neither a school nor a college (at home, or in an early years
    # setting) is always the council's to convene.
    council = (
        Q(area__reviews_convened_by=ReviewConvener.COUNCIL)
        | Q(child__current_setting__isnull=True)
        | Q(child__current_setting__kind=OrganisationKind.EARLY_YEARS)
    )
    plans = EHCPlan.objects.filter(
        council, assessment_request__in=scope.cases.order_by().values("pk")
    )
    rows = review_due_rows(
        plans, on=scope.today, until=scope.today + dt.timedelta(CONVENE_WITHIN_DAYS)
    )
    if not rows:
        return []
    ids = [row.plan_id for row in rows]
    invited = set(
        AnnualReview.objects.filter(
            plan_id__in=ids, decision="", meeting_on__isnull=True, invitations_sent_on__isnull=False
        ).values_list("plan_id", flat=True)
    )
    details = {
        plan.pk: plan
        for plan in EHCPlan.objects.filter(pk__in=ids).select_related(
            "child", "assessment_request__caseworker"
        )
    }
    tasks = []
    for row in rows:
        if row.plan_id in invited:
            continue
        tasks.append(
            _plan_task(
                details[row.plan_id],
                "convene",
                legal_date=row.due,
                # The invitations go at least 2 weeks before a meeting held by the due date.
                act_by=row.due - dt.timedelta(days=14),
                what="Invite the family and professionals to the annual review meeting",
                link=reverse("plans:review-invite", args=[row.plan_id]),
                regulation="20(3)",
            )
        )
    return tasks

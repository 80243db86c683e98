"""Plans' part of the caseworker's task list (casework.worklist): review meetings held whose
decision (keep, amend or cease) the local authority has not yet made: within 4 weeks of the
meeting (SEND Regulations 2014 reg 20(10)). The date is the engine's (plans.clock).

Registered from PlansConfig.ready(); one query however many cases."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from everychild.casework.worklist import Scope, Task, child_name
from everychild.plans.clock import review_milestones
from everychild.plans.models import AnnualReview

KINDS = {"review": "Review to decide"}


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
        case = review.plan.assessment_request
        child = review.plan.child
        tasks.append(
            Task(
                kind="review",
                case_id=case.pk,
                child=child_name(child.first_name, child.last_name, child.preferred_name),
                child_id=child.pk,
                caseworker_id=case.caseworker_id,
                caseworker=case.caseworker.full_name if case.caseworker else "",
                reference=case.reference,
                legal_date=milestone.due if milestone else None,
                what="Decide whether to keep, amend or cease the plan after its review meeting",
                link=reverse("plans:review", args=[review.pk]),
                since=review.meeting_on,
                regulation="20(10)",
            )
        )
    return tasks

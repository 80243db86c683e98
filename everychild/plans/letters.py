"""The letters about a plan after it is made: the review invitation (reg 20(3)), the review
decision (reg 20(10)-(11)), the proposed amendments (reg 22(2)), the decision not to amend
(reg 22(4)), the notice to cease (reg 31) and compliance with a Tribunal order (reg 44(2)).

Which letters a plan's records call for, what each is about (its subject) and the dates each
names, all from the statutory engine (statutory.reviews, statutory.deadlines). The letter
itself is made, kept and shown by casework (casework.services.generate_letter), on the case
the plan came from, so the family sees it with the others (decision 0191)."""

from __future__ import annotations

from dataclasses import dataclass

from everychild.casework.models import Letter
from everychild.plans.models import AnnualReview, EHCPlan, TribunalOrder
from everychild.plans.selectors import order_steps
from everychild.statutory import reviews as review_rules

Kind = Letter.Kind


@dataclass(frozen=True, slots=True)
class PlanLetter:
    kind: str
    subject: str
    label: str
    context: dict


def _review_context(review: AnnualReview, day_one: bool) -> dict:
    context: dict = {"review": review}
    # The meeting held, or until then the date it was called for (the invitations' date).
    meeting = review.meeting_on or review.meeting_planned_on
    if meeting:
        context["review_dates"] = review_rules.review_dates(meeting, count_start_as_day_one=day_one)
    if review.amendments_sent_on:
        context["amendment_dates"] = review_rules.amendment_dates(
            review.amendments_sent_on, count_start_as_day_one=day_one
        )
    return context


def plan_letters(plan: EHCPlan) -> list[PlanLetter]:
    """Every letter the plan's records call for now, made or not."""
    day_one = plan.area.count_start_as_day_one
    found: list[PlanLetter] = []
    for review in plan.reviews.select_related("amended_version").order_by("due_on", "pk"):
        context = _review_context(review, day_one)
        meeting = review.meeting_on or review.meeting_planned_on
        on = f" ({meeting:%-d %B %Y})" if meeting else ""
        subject = f"review:{review.pk}"
        if meeting:
            found.append(
                PlanLetter(Kind.REVIEW_INVITATION, subject, f"Review invitation{on}", context)
            )
        if review.decision:
            found.append(PlanLetter(Kind.REVIEW_DECISION, subject, f"Review decision{on}", context))
        if review.amendments_sent_on:
            found.append(
                PlanLetter(Kind.PROPOSED_AMENDMENTS, subject, f"Proposed amendments{on}", context)
            )
        if review.decision_not_to_amend_on:
            found.append(
                PlanLetter(
                    Kind.DECISION_NOT_TO_AMEND, subject, f"Decision not to amend{on}", context
                )
            )
    cessation = getattr(plan, "cessation", None) if hasattr(plan, "cessation") else None
    if cessation is not None:
        found.append(
            PlanLetter(
                Kind.NOTICE_TO_CEASE,
                f"plan:{plan.pk}",
                "Notice to cease the plan",
                {"cessation": cessation},
            )
        )
    orders = TribunalOrder.objects.filter(disagreement__plan=plan).select_related("disagreement")
    for order in orders:
        found.append(
            PlanLetter(
                Kind.TRIBUNAL_ORDER,
                f"order:{order.pk}",
                f"Tribunal order: {order.get_kind_display().lower()}",
                {"order": order, "order_steps": order_steps(order)},
            )
        )
    return found

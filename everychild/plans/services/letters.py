"""Making a plan's letters: checked here against the plan's records, made and kept by
casework on the plan's case (decision 0191)."""

from __future__ import annotations

from everychild.casework.models import Letter
from everychild.casework.services import generate_letter
from everychild.core.wording import refuse as _refuse
from everychild.plans import letters as plan_letters
from everychild.plans.models import EHCPlan
from everychild.plans.services.steps import _may_write_plans


def make_plan_letter(*, actor, plan: EHCPlan, kind: str, subject: str, request=None) -> Letter:
    """Make one of the plan's letters (review, amendments, ceasing, a Tribunal order) with
    its dates from the engine; a second press gives back the first letter."""
    _may_write_plans(actor, plan.area_id)
    if plan.assessment_request_id is None:
        _refuse(
            "kind",
            "This plan has no assessment case in the service (it came from another council or "
            "an import), so its letters cannot be made here yet: write them outside the "
            "service and add them as documents.",
            "no_case",
        )
    wanted = next(
        (p for p in plan_letters.plan_letters(plan) if p.kind == kind and p.subject == subject),
        None,
    )
    if wanted is None:
        _refuse("kind", "The plan's records do not call for that letter.", "wrong_letter")
    context = {"plan": plan, **wanted.context}
    return generate_letter(
        actor=actor,
        case=plan.assessment_request,
        kind=kind,
        subject=subject,
        context=context,
        request=request,
    )

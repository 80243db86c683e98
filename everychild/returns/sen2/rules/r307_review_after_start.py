"""SEN2-307: a plan's annual review comes after the plan started (CFA 2014 s.44(1): within 12
months of the plan being made, then of each review)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


def plan_start(active_plans):
    assessment = active_plans.parent.first(spec.ASSESSMENT)
    plan = assessment.first(spec.NAMED_PLAN) if assessment is not None else None
    return plan.dates.get(spec.START_DATE) if plan is not None else None


@rule(
    code="SEN2-307",
    module=spec.ACTIVE_PLANS,
    fields=(spec.REVIEW_MEETING, spec.START_DATE),
    message="The annual review meeting is dated before the plan started.",
)
def review_after_start(node, ctx):
    meeting = node.dates.get(spec.REVIEW_MEETING)
    if meeting is None:
        return None
    started = plan_start(node)
    if started and meeting < started:
        return Finding(
            spec.REVIEW_MEETING, f"meeting {meeting.isoformat()}, started {started.isoformat()}"
        )
    return None

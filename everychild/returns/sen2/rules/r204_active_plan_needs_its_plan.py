"""SEN2-204: an active plan belongs to a plan that was issued: the same request has the
NamedPlan, with its start date."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-204",
    module=spec.REQUESTS,
    fields=(spec.ACTIVE_PLANS, spec.NAMED_PLAN),
    message="There is an active plan but no issued plan (NamedPlan) for this request: add the "
    "plan with the date it was issued.",
)
def active_plan_needs_its_plan(node, ctx):
    active = node.first(spec.ACTIVE_PLANS)
    if active is None:
        return None
    assessment = node.first(spec.ASSESSMENT)
    if assessment is None or assessment.first(spec.NAMED_PLAN) is None:
        return Finding(node=active, detail="no NamedPlan in this request")
    return None

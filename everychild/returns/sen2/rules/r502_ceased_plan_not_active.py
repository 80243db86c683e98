"""SEN2-502: a plan that ceased on or before the reference date is not active on it."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-502",
    module=spec.REQUESTS,
    fields=(spec.CEASE_DATE, spec.ACTIVE_PLANS),
    message="The plan ceased on or before the reference date but is also listed as active: "
    "remove the active plan, or the cease date.",
)
def ceased_plan_not_active(node, ctx):
    active = node.first(spec.ACTIVE_PLANS)
    assessment = node.first(spec.ASSESSMENT)
    if active is None or assessment is None:
        return None
    plan = assessment.first(spec.NAMED_PLAN)
    ceased = plan.dates.get(spec.CEASE_DATE) if plan is not None else None
    if ceased is not None and ceased <= ctx.reference_date:
        return Finding(node=active, detail=f"ceased {ceased.isoformat()}")
    return None

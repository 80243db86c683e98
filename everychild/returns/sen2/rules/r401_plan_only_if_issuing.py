"""SEN2-401: there is a plan only where the local authority decided to issue one (Y), or for a
historical request (H)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-401",
    module=spec.ASSESSMENT,
    fields=(spec.ASSESSMENT_OUTCOME, spec.NAMED_PLAN),
    message="There is a plan, but the decision was not to issue one (or not yet made): correct "
    "the decision or remove the plan.",
)
def plan_only_if_issuing(node, ctx):
    plan = node.first(spec.NAMED_PLAN)
    outcome = node.fields.get(spec.ASSESSMENT_OUTCOME)
    if plan is not None and outcome and outcome not in ("Y", "H"):
        return Finding(node=plan, detail=f"AssessmentOutcome is {outcome}")
    return None

"""SEN2-202: there is an assessment only where the local authority decided to assess (Y), or for
a historical request (H)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-202",
    module=spec.REQUESTS,
    fields=(spec.REQUEST_OUTCOME, spec.ASSESSMENT),
    message="There is an assessment, but the decision whether to assess was not to assess, or "
    "has not been made: correct the decision or remove the assessment.",
)
def assessment_only_if_assessing(node, ctx):
    assessment = node.first(spec.ASSESSMENT)
    outcome = node.fields.get(spec.REQUEST_OUTCOME)
    if assessment is not None and outcome and outcome not in ("Y", "H"):
        return Finding(node=assessment, detail=f"RequestOutcome is {outcome}")
    return None

"""SEN2-203: a decision to assess (Y) starts an assessment, so the request has an Assessment
(with outcome A while it goes on)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule


@rule(
    code="SEN2-203",
    module=spec.REQUESTS,
    fields=(spec.REQUEST_OUTCOME, spec.ASSESSMENT),
    message="The local authority decided to assess, but there is no assessment: add it (outcome "
    "A while the assessment goes on).",
)
def assessment_expected(node, ctx):
    if node.fields.get(spec.REQUEST_OUTCOME) == "Y" and not node.children.get(spec.ASSESSMENT):
        return spec.ASSESSMENT
    return None

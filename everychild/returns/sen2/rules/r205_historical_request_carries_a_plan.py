"""SEN2-205: a historical request (H) is there only to carry a plan made before the records
began, so it has that plan."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule


@rule(
    code="SEN2-205",
    module=spec.REQUESTS,
    fields=(spec.REQUEST_OUTCOME, spec.NAMED_PLAN),
    message="A historical request (outcome H) has no plan: it is only needed to carry a plan "
    "made before the records began. Add the plan or remove the request.",
)
def historical_request_carries_a_plan(node, ctx):
    if node.fields.get(spec.REQUEST_OUTCOME) != "H":
        return None
    assessment = node.first(spec.ASSESSMENT)
    if assessment is None or assessment.first(spec.NAMED_PLAN) is None:
        return spec.REQUEST_OUTCOME
    return None

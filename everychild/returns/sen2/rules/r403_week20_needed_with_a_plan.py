"""SEN2-403: every plan issued from a request says whether the 20-week exceptions (reg 13(3),
applying reg 10(4)) applied: the DfE publishes timeliness with and without them."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule


@rule(
    code="SEN2-403",
    module=spec.ASSESSMENT,
    fields=(spec.WEEK20, spec.NAMED_PLAN),
    message="A plan was issued but Week20 (whether the 20-week exceptions applied) is missing: "
    "give 1 if an exception under reg 10(4) applied, otherwise 0.",
)
def week20_needed_with_a_plan(node, ctx):
    if (
        node.children.get(spec.NAMED_PLAN)
        and not node.fields.get(spec.WEEK20)
        and node.fields.get(spec.ASSESSMENT_OUTCOME) != "H"
    ):
        return spec.WEEK20
    return None

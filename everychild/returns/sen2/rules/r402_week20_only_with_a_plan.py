"""SEN2-402: Week20 says whether the exceptions to the 20-week limit (reg 13(3), applying reg
10(4)) applied to a plan that was issued, so it is given only where there is a plan."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule


@rule(
    code="SEN2-402",
    module=spec.ASSESSMENT,
    fields=(spec.WEEK20, spec.NAMED_PLAN),
    message="Week20 (the 20-week exceptions) is given, but no plan was issued: remove it.",
)
def week20_only_with_a_plan(node, ctx):
    if node.fields.get(spec.WEEK20) and not node.children.get(spec.NAMED_PLAN):
        return spec.WEEK20
    return None

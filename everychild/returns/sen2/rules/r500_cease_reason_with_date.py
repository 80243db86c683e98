"""SEN2-500: a plan that ceased has both the date and the reason (regs 29-31); a plan that did
not has neither."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-500",
    module=spec.NAMED_PLAN,
    fields=(spec.CEASE_DATE, spec.CEASE_REASON),
    message="The date the plan ceased and the reason go together: give both, or neither.",
)
def cease_reason_with_date(node, ctx):
    ceased = bool(node.fields.get(spec.CEASE_DATE))
    reason = bool(node.fields.get(spec.CEASE_REASON))
    if ceased and not reason:
        return Finding(spec.CEASE_REASON, "a date but no reason")
    if reason and not ceased:
        return Finding(spec.CEASE_DATE, "a reason but no date")
    return None

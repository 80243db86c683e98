"""SEN2-501: organised arrangements and direct payments are ways of holding a personal budget
(reg 2, SEND (Personal Budgets) Regulations 2014), so they go with PB = 1."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule


@rule(
    code="SEN2-501",
    module=spec.NAMED_PLAN,
    fields=(spec.PB, spec.OA, spec.DP),
    message="Organised arrangements or direct payments are recorded, but no personal budget "
    "(PB): check the personal budget.",
    severity=WARNING,
)
def personal_budget(node, ctx):
    fields = node.fields
    if fields.get(spec.PB) != "1" and (fields.get(spec.OA) == "1" or fields.get(spec.DP) == "1"):
        return Finding(spec.PB, f"PB {fields.get(spec.PB) or 'missing'}")
    return None

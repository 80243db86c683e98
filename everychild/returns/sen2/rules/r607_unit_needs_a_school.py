"""SEN2-607: an SEN unit or resourced provision is part of a school, so it is marked only on a
setting with a URN."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule

MESSAGE = (
    "An SEN unit or resourced provision is marked, but the setting has no URN: these are part "
    "of a school. Give the school's URN or clear the indicator."
)


def unit_needs_a_school(node, ctx):
    fields = node.fields
    if fields.get(spec.URN):
        return None
    for indicator in (spec.SEN_UNIT, spec.RESOURCED_PROVISION):
        if fields.get(indicator) == "1":
            return Finding(indicator, f"{indicator} 1 with no URN")
    return None


rule(
    code="SEN2-607",
    module=spec.PLAN_DETAIL,
    fields=(spec.SEN_UNIT, spec.RESOURCED_PROVISION),
    message=MESSAGE,
    severity=WARNING,
    title="Unit of the setting named in the plan",
)(unit_needs_a_school)
rule(
    code="SEN2-607P",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.SEN_UNIT, spec.RESOURCED_PROVISION),
    message=MESSAGE,
    severity=WARNING,
    title="Unit of the placement",
)(unit_needs_a_school)

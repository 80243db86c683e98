"""SEN2-602: a URN (the DfE's unique reference number for a school) is 6 digits."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule

MESSAGE = "A URN is 6 digits, like 113456: check it against Get Information About Schools."


def urn_format(node, ctx):
    urn = node.fields.get(spec.URN)
    if urn and not (len(urn) == 6 and urn.isascii() and urn.isdigit()):
        return Finding(spec.URN, f"\u201c{urn}\u201d")
    return None


rule(
    code="SEN2-602",
    module=spec.PLAN_DETAIL,
    fields=(spec.URN,),
    message=MESSAGE,
    title="URN of the setting named in the plan",
)(urn_format)
rule(
    code="SEN2-602P",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.URN,),
    message=MESSAGE,
    title="URN of the placement",
)(urn_format)

"""SEN2-605: an active plan has its main placement (rank 1) among its placements."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-605",
    module=spec.ACTIVE_PLANS,
    fields=(spec.PLACEMENT_RANK,),
    message="None of the placements is ranked 1 (the main placement): rank the main one 1.",
)
def first_placement(node, ctx):
    placements = node.children.get(spec.PLACEMENT_DETAIL)
    if placements and not any(p.fields.get(spec.PLACEMENT_RANK) == "1" for p in placements):
        return Finding(node=placements[0], detail="no placement ranked 1")
    return None

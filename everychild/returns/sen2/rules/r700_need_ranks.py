"""SEN2-700: an active plan gives the primary need (rank 1) and at most one secondary need
(rank 2), and the two are different."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-700",
    module=spec.ACTIVE_PLANS,
    fields=(spec.SEN_TYPE, spec.SEN_TYPE_RANK),
    message="The needs are not ranked 1 (primary) and 2 (secondary), each once, with two "
    "different types of need.",
)
def need_ranks(node, ctx):
    needs = node.children.get(spec.SEN_NEED)
    if not needs:
        return None
    ranks = [n.fields.get(spec.SEN_TYPE_RANK) for n in needs]
    if ranks.count("1") != 1 or ranks.count("2") > 1:
        return Finding(node=needs[0], detail="ranks " + ", ".join(r or "none" for r in ranks))
    types = [n.fields.get(spec.SEN_TYPE) for n in needs]
    if len(types) == 2 and types[0] and types[0] == types[1]:
        return Finding(node=needs[1], detail=f"{types[0]} twice")
    return None

"""SEN2-106: a child or young person holds one EHC plan at a time."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-106",
    module=spec.PERSON,
    fields=(spec.ACTIVE_PLANS,),
    message="This person has more than one active plan: a child holds one EHC plan at a time. "
    "Cease the old plan or merge the records.",
)
def one_active_plan(node, ctx):
    active = [a for r in node.kids(spec.REQUESTS) for a in r.kids(spec.ACTIVE_PLANS)]
    if len(active) > 1:
        return Finding(node=active[1], detail=f"{len(active)} active plans")
    return None

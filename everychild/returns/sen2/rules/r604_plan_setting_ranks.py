"""SEN2-604: a plan names its first setting (rank 1) and at most one second (rank 2, a dual
placement), each rank once."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-604",
    module=spec.NAMED_PLAN,
    fields=(spec.PLACEMENT_RANK,),
    message="The settings named in the plan are not ranked 1 (and 2 for a second setting), each "
    "rank once.",
)
def plan_setting_ranks(node, ctx):
    details = node.children.get(spec.PLAN_DETAIL)
    if not details:
        return None
    ranks = [d.fields.get(spec.PLACEMENT_RANK) for d in details]
    if ranks.count("1") != 1 or ranks.count("2") > 1:
        return Finding(node=details[0], detail="ranks " + ", ".join(r or "none" for r in ranks))
    return None

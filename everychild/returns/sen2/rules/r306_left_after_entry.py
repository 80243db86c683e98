"""SEN2-306: a placement ends on or after the day it began."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-306",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.LEAVING_DATE, spec.ENTRY_DATE),
    message="The placement ends before it began.",
)
def left_after_entry(node, ctx):
    entered = node.dates.get(spec.ENTRY_DATE)
    left = node.dates.get(spec.LEAVING_DATE)
    if entered and left and left < entered:
        return Finding(spec.LEAVING_DATE, f"left {left.isoformat()}, entered {entered.isoformat()}")
    return None

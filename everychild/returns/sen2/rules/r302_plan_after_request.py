"""SEN2-302: a plan starts on or after the day its request was received (the 20 weeks of reg
13(2) are counted from that day)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-302",
    module=spec.NAMED_PLAN,
    fields=(spec.START_DATE, spec.RECEIVED_DATE),
    message="The plan starts before its request was received.",
)
def plan_after_request(node, ctx):
    started = node.dates.get(spec.START_DATE)
    received = node.parent.parent.dates.get(spec.RECEIVED_DATE)
    if started and received and started < received:
        return Finding(
            spec.START_DATE, f"started {started.isoformat()}, received {received.isoformat()}"
        )
    return None

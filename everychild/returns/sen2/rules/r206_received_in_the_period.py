"""SEN2-206: the return covers requests received up to the end of its collection period (the
calendar year before the return's year); later ones belong to next year's return."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-206",
    module=spec.REQUESTS,
    fields=(spec.RECEIVED_DATE,),
    message="This request was received after the end of the year the return covers: it belongs "
    "in next year's return.",
)
def received_in_the_period(node, ctx):
    received = node.dates.get(spec.RECEIVED_DATE)
    if received is not None and received > ctx.period_end:
        return Finding(
            spec.RECEIVED_DATE,
            f"received {received.isoformat()}; the return covers up to "
            f"{ctx.period_end.isoformat()}",
        )
    return None

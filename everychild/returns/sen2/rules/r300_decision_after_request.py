"""SEN2-300: the decision whether to assess comes on or after the day the request was received
(reg 4(1) counts the 6 weeks from that day)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-300",
    module=spec.REQUESTS,
    fields=(spec.RECEIVED_DATE, spec.REQUEST_OUTCOME_DATE),
    message="The decision whether to assess is dated before the request was received.",
)
def decision_after_request(node, ctx):
    received = node.dates.get(spec.RECEIVED_DATE)
    decided = node.dates.get(spec.REQUEST_OUTCOME_DATE)
    if received and decided and decided < received:
        return Finding(
            spec.REQUEST_OUTCOME_DATE,
            f"decided {decided.isoformat()}, received {received.isoformat()}",
        )
    return None

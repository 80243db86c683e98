"""SEN2-107: one request per date: a person's requests are told apart by the date received."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-107",
    module=spec.PERSON,
    fields=(spec.RECEIVED_DATE,),
    message="Two requests for this person were received on the same day: they are one request "
    "entered twice, or one date is wrong.",
)
def one_request_per_date(node, ctx):
    requests = node.children.get(spec.REQUESTS)
    if not requests or len(requests) == 1:
        return None
    seen = set()
    for request in requests:
        received = request.fields.get(spec.RECEIVED_DATE)
        if not received:
            continue
        if received in seen:
            return Finding(spec.RECEIVED_DATE, f"{received} twice", node=request)
        seen.add(received)
    return None

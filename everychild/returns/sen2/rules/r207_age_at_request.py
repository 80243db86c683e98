"""SEN2-207: EHC needs assessments are for children and young people up to 25 (CFA 2014
s.83(2)): nobody is 26 or older when their request is received."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, age_on, rule


@rule(
    code="SEN2-207",
    module=spec.REQUESTS,
    fields=(spec.RECEIVED_DATE, spec.BIRTH_DATE),
    message="The person was 26 or older when the request was received: EHC plans are for "
    "children and young people up to 25. Check the date of birth and the date received.",
)
def age_at_request(node, ctx):
    received = node.dates.get(spec.RECEIVED_DATE)
    born = node.parent.dates.get(spec.BIRTH_DATE)
    if received is None or born is None:
        return None
    age = age_on(born, received)
    if age >= 26:
        return Finding(spec.RECEIVED_DATE, f"aged {age} on {received.isoformat()}")
    return None

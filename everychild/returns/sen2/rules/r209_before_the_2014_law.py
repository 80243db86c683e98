"""SEN2-209: EHC needs assessments began with the Children and Families Act 2014 Part 3 on
1 September 2014; a request received earlier is probably a date entered wrongly."""

from datetime import date

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule

PART_3_IN_FORCE = date(2014, 9, 1)


@rule(
    code="SEN2-209",
    module=spec.REQUESTS,
    fields=(spec.RECEIVED_DATE,),
    message="The request is dated before 1 September 2014, when EHC needs assessments began: "
    "check the date.",
    severity=WARNING,
)
def before_the_2014_law(node, ctx):
    received = node.dates.get(spec.RECEIVED_DATE)
    if received is not None and received < PART_3_IN_FORCE:
        return Finding(spec.RECEIVED_DATE, f"received {received.isoformat()}")
    return None

"""SEN2-208: RYA marks a request made while the child was detained in relevant youth
accommodation (CFA 2014 ss.70-75), which holds children aged 10 to 17: look again at a request
marked RYA for anyone outside that age."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, age_on, rule


@rule(
    code="SEN2-208",
    module=spec.REQUESTS,
    fields=(spec.RYA, spec.BIRTH_DATE),
    message="The request is marked as made in relevant youth accommodation (youth custody), "
    "but the person was not aged 10 to 18 then: check the RYA flag.",
    severity=WARNING,
)
def relevant_youth_accommodation(node, ctx):
    if node.fields.get(spec.RYA) != "1":
        return None
    received = node.dates.get(spec.RECEIVED_DATE)
    born = node.parent.dates.get(spec.BIRTH_DATE)
    if received is None or born is None:
        return None
    age = age_on(born, received)
    if not 10 <= age <= 18:
        return Finding(spec.RYA, f"aged {age} when the request was received")
    return None

"""SEN2-103: a postcode looks like a UK postcode (a warning: some are written loosely)."""

import re

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule

# The shape of UK postcodes (outward code, a space, inward code), as the DfE's returns use.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


@rule(
    code="SEN2-103",
    module=spec.PERSON,
    fields=(spec.POSTCODE,),
    message="The postcode does not look like a UK postcode (for example BH1 1AA).",
    severity=WARNING,
)
def postcode_shape(node, ctx):
    postcode = node.fields.get(spec.POSTCODE)
    if postcode and not POSTCODE.match(postcode):
        return Finding(spec.POSTCODE, f"\u201c{postcode}\u201d")
    return None

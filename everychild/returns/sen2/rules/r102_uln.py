"""SEN2-102: a unique learner number is 10 digits."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-102",
    module=spec.PERSON,
    fields=(spec.ULN,),
    message="A unique learner number (ULN) is 10 digits.",
)
def uln_is_ten_digits(node, ctx):
    uln = node.fields.get(spec.ULN)
    if uln and not (len(uln) == 10 and uln.isascii() and uln.isdigit()):
        return Finding(spec.ULN, f"\u201c{uln}\u201d")
    return None

"""SEN2-603: a UKPRN (UK Register of Learning Providers number) is 8 digits starting with 1."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule

MESSAGE = "A UKPRN is 8 digits starting with 1, like 10012345: check it against the UKRLP."


def ukprn_format(node, ctx):
    ukprn = node.fields.get(spec.UKPRN)
    if ukprn and not (len(ukprn) == 8 and ukprn.isascii() and ukprn.isdigit() and ukprn[0] == "1"):
        return Finding(spec.UKPRN, f"\u201c{ukprn}\u201d")
    return None


rule(
    code="SEN2-603",
    module=spec.PLAN_DETAIL,
    fields=(spec.UKPRN,),
    message=MESSAGE,
    title="UKPRN of the setting named in the plan",
)(ukprn_format)
rule(
    code="SEN2-603P",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.UKPRN,),
    message=MESSAGE,
    title="UKPRN of the placement",
)(ukprn_format)

"""SEN2-801: a plan transferred in comes from another local authority (reg 15), so TransferLA is
not the authority making the return."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-801",
    module=spec.ACTIVE_PLANS,
    fields=(spec.TRANSFER_LA,),
    message="The plan is recorded as transferred in from this same local authority: give the "
    "number of the authority it came from.",
)
def transfer_from_another_la(node, ctx):
    transfer = node.fields.get(spec.TRANSFER_LA)
    if transfer and transfer == ctx.lea:
        return Finding(spec.TRANSFER_LA, f"TransferLA {transfer} is this authority")
    return None

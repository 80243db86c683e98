"""SEN2-101: every person has a UPN or the reason it is not known, never neither nor both."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-101",
    module=spec.PERSON,
    fields=(spec.UPN, spec.UPN_UNKNOWN),
    message="Give the UPN, or the reason it is not known (UPNunknown), but not both.",
)
def upn_or_reason(node, ctx):
    upn = node.fields.get(spec.UPN)
    reason = node.fields.get(spec.UPN_UNKNOWN)
    if not upn and not reason:
        return Finding(spec.UPN, "neither a UPN nor a reason it is not known")
    if upn and reason:
        return Finding(spec.UPN_UNKNOWN, f"UPN {upn} and reason {reason} are both given")
    return None

"""SEN2-104: one person, one record: a UPN is given to only one person in the file."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import unique_rule


@unique_rule(
    code="SEN2-104",
    fields=(spec.UPN,),
    message="Two people in the return have the same UPN: they are the same child (merge the "
    "records) or one UPN is wrong.",
)
def duplicate_upn(node, ctx):
    return node.fields.get(spec.UPN) or None

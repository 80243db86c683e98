"""SEN2-005: coded items hold one of their codes."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule

CODED = {
    element: tuple((i.name, i.codes) for i in module.items if i.codes)
    for element, module in spec.MODULES.items()
}


def _codes(codes: dict) -> str:
    listed = list(codes)
    return ", ".join(listed) if len(listed) <= 16 else ", ".join(listed[:16]) + ", ..."


@rule(
    code="SEN2-005",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="This item holds a code that is not in its list: choose one of the codes shown.",
)
def code_list(node, ctx):
    fields = node.fields
    found = None
    for name, codes in CODED[node.element]:
        value = fields.get(name)
        if value and value not in codes:
            found = found or []
            found.append(
                Finding(
                    field=name,
                    detail=f"<{name}> is \u201c{value}\u201d; its codes are {_codes(codes)}",
                )
            )
    return found

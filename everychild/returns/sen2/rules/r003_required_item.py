"""SEN2-003: the items the specification requires are present and not empty."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule

REQUIRED = {
    element: tuple((i.name, i.label, i.since) for i in module.items if i.required)
    for element, module in spec.MODULES.items()
}


@rule(
    code="SEN2-003",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="A required item is missing or empty: add it to the record.",
)
def required_item(node, ctx):
    fields = node.fields
    found = None
    for name, label, since in REQUIRED[node.element]:
        if not fields.get(name) and ctx.year >= since:
            found = found or []
            found.append(Finding(field=name, detail=f"{label} ({name}) is missing"))
    return found

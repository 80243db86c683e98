"""SEN2-008: whole numbers, local authority numbers and the file's date and time are written as
the specification says."""

import re

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule

_SHAPES = {
    "int": (re.compile(r"^\d{1,9}$"), "a whole number"),
    "la": (re.compile(r"^\d{3}$"), "a 3-digit local authority number, like 839"),
    "datetime": (
        re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"),
        "a date and time written YYYY-MM-DDThh:mm:ss",
    ),
}
SHAPED = {
    element: tuple((i.name, *_SHAPES[i.kind]) for i in module.items if i.kind in _SHAPES)
    for element, module in spec.MODULES.items()
}


@rule(
    code="SEN2-008",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="This number is not written the way the return needs it.",
)
def number_format(node, ctx):
    found = None
    for name, shape, words in SHAPED[node.element]:
        value = node.fields.get(name)
        if value and not shape.match(value):
            found = found or []
            found.append(
                Finding(field=name, detail=f"<{name}> is \u201c{value}\u201d; it should be {words}")
            )
    return found

"""SEN2-001: every element must be one the specification has, in the place it has it."""

from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule


@rule(
    code="SEN2-001",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="This element is not part of a SEN2 return in this place: check its spelling "
    "(capital letters count) and where it is, or remove it.",
)
def unknown_element(node, ctx):
    if node.odd:
        return [
            Finding(field=tag, detail=f"<{tag}> inside <{node.element}>", line=elem.sourceline)
            for kind, tag, elem in node.odd
            if kind == "unknown"
        ]
    return None

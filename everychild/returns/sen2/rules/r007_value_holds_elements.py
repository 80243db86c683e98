"""SEN2-007: an item holds a value, not other elements."""

from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule


@rule(
    code="SEN2-007",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="This item should hold a value, but it holds other elements.",
)
def value_holds_elements(node, ctx):
    if node.odd:
        return [
            Finding(field=tag, detail=f"<{tag}> holds elements", line=elem.sourceline)
            for kind, tag, elem in node.odd
            if kind == "nested"
        ]
    return None

"""SEN2-002: an item appears at most once in its module."""

from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule


@rule(
    code="SEN2-002",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="This item is given more than once; it may be given only once here. Keep the "
    "right one.",
)
def repeated_item(node, ctx):
    if node.odd:
        return [
            Finding(field=tag, detail=f"a second <{tag}>", line=elem.sourceline)
            for kind, tag, elem in node.odd
            if kind == "repeated"
        ]
    return None

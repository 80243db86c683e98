"""SEN2-006: each module holds the number of modules the specification allows (a person has at
least one request; a plan names one or two settings; an active plan has one or two needs)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule


@rule(
    code="SEN2-006",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="A part of the record is missing or given too many times (for example a person "
    "with no request, or a plan naming more than two settings).",
)
def module_count(node, ctx):
    found = None
    for child, least, most in spec.MODULES[node.element].children:
        count = len(node.children.get(child, ()))
        if count < least:
            found = found or []
            found.append(
                Finding(
                    field=child,
                    detail=f"<{node.element}> has {count} <{child}>; it needs at least {least}",
                )
            )
        elif most is not None and count > most:
            found = found or []
            found.append(
                Finding(
                    field=child,
                    node=node.children[child][most],
                    detail=f"<{node.element}> has {count} <{child}>; it may have at most {most}",
                )
            )
    return found

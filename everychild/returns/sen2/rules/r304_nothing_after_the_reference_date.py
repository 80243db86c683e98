"""SEN2-304: the return describes things up to its reference date; a later date is a mistake
(or belongs in next year's return)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule

# Dates that may lie ahead of the reference date: a phase transfer is planned in advance.
FUTURE_ALLOWED = frozenset({spec.PHASE_TRANSFER_DUE_DATE})
HEADER_MODULES = frozenset({spec.HEADER, spec.COLLECTION_DETAILS, spec.SOURCE})


@rule(
    code="SEN2-304",
    module=EVERY_MODULE,
    dates=True,
    fields=(),
    message="This date is after the return's reference date: the return only describes what "
    "happened up to then.",
)
def nothing_after_the_reference_date(node, ctx):
    reference = ctx.reference_date
    if node.latest is None or node.element in HEADER_MODULES or node.latest <= reference:
        return None
    found = None
    for name, value in node.dates.items():
        if value is not None and value > reference and name not in FUTURE_ALLOWED:
            found = found or []
            found.append(
                Finding(name, f"{value.isoformat()}, reference date {reference.isoformat()}")
            )
    return found

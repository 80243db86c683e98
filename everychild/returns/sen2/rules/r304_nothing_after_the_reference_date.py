"""SEN2-304: the return describes things up to its reference date; a later date is a mistake
(or belongs in next year's return). Checked once per person, on the latest date anywhere in
their record, and only then module by module."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule

# Dates that may lie ahead of the reference date: a phase transfer is planned in advance.
FUTURE_ALLOWED = frozenset({spec.PHASE_TRANSFER_DUE_DATE})


@rule(
    code="SEN2-304",
    module=spec.PERSON,
    fields=(),
    message="This date is after the return's reference date: the return only describes what "
    "happened up to then.",
)
def nothing_after_the_reference_date(person, ctx):
    reference = ctx.reference_date
    if person.all_latest is None or person.all_latest <= reference:
        return None
    found = []
    for module in person.flat or (person,):
        if module.latest is None or module.latest <= reference:
            continue
        for name, value in module.dates.items():
            if value is not None and value > reference and name not in FUTURE_ALLOWED:
                detail = f"{value.isoformat()}, reference date {reference.isoformat()}"
                found.append(Finding(name, detail, node=module))
    return found or None

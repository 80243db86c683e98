"""SEN2-011: the reference (census) date is in January of the return's year."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-011",
    module=spec.COLLECTION_DETAILS,
    fields=(spec.REFERENCE_DATE, spec.YEAR),
    message="The reference date must be in January of the return's year (the census date).",
)
def reference_date_in_january(node, ctx):
    reference = node.dates.get(spec.REFERENCE_DATE)
    year = node.get(spec.YEAR)
    if reference is None or not year.isdigit():
        return None
    if reference.month != 1 or reference.year != int(year):
        return Finding(spec.REFERENCE_DATE, f"{reference.isoformat()} for the {year} return")
    return None

"""SEN2-010: the return is for a year of the person-level collection (from 2023)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule

FIRST_PERSON_LEVEL_YEAR = 2023


@rule(
    code="SEN2-010",
    module=spec.COLLECTION_DETAILS,
    fields=(spec.YEAR,),
    message="The year of the return must be 2023 or later: the person-level SEN2 began in 2023.",
)
def year_of_the_return(node, ctx):
    text = node.get(spec.YEAR)
    if text.isdigit() and not FIRST_PERSON_LEVEL_YEAR <= int(text) <= 2100:
        return spec.YEAR
    return None

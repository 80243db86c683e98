"""SEN2-105: an EHC plan ends by the end of the academic year in which the young person turns
25 (CFA 2014 s.46), so nobody aged 26 or over on the reference date has an active plan."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, age_on, rule


@rule(
    code="SEN2-105",
    module=spec.PERSON,
    fields=(spec.BIRTH_DATE, spec.ACTIVE_PLANS),
    message="This person is 26 or older on the reference date but has an active plan: the plan "
    "should have ceased (CFA 2014 s.46), or the date of birth is wrong.",
)
def too_old_for_an_active_plan(node, ctx):
    born = node.dates.get(spec.BIRTH_DATE)
    if born is None:
        return None
    age = age_on(born, ctx.reference_date)
    if age < 26:
        return None
    for request in node.kids(spec.REQUESTS):
        if request.kids(spec.ACTIVE_PLANS):
            return Finding(spec.BIRTH_DATE, f"aged {age} on {ctx.reference_date.isoformat()}")
    return None

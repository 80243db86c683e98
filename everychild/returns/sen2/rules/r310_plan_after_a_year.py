"""SEN2-310: a plan issued more than 52 weeks after its request is possible (the DfE counts them)
but rare enough to check the dates. Only plans issued in the year the return covers."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule

WEEKS_52 = 364


@rule(
    code="SEN2-310",
    module=spec.NAMED_PLAN,
    fields=(spec.START_DATE, spec.RECEIVED_DATE),
    message="The plan was issued more than 52 weeks after the request: check both dates.",
    severity=WARNING,
)
def plan_after_a_year(node, ctx):
    request = node.parent.parent
    if request.fields.get(spec.REQUEST_OUTCOME) == "H":
        return None
    started = node.dates.get(spec.START_DATE)
    received = request.dates.get(spec.RECEIVED_DATE)
    if started is None or started < ctx.period_start:
        return None  # judged in the return for the year it was issued
    if received and (started - received).days > WEEKS_52:
        weeks = (started - received).days // 7
        return Finding(spec.START_DATE, f"{weeks} weeks after the request")
    return None

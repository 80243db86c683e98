"""SEN2-303: a plan ceases on or after the day it started."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-303",
    module=spec.NAMED_PLAN,
    fields=(spec.CEASE_DATE, spec.START_DATE),
    message="The plan ceased before it started.",
)
def ceased_after_start(node, ctx):
    started = node.dates.get(spec.START_DATE)
    ceased = node.dates.get(spec.CEASE_DATE)
    if started and ceased and ceased < started:
        return Finding(
            spec.CEASE_DATE, f"ceased {ceased.isoformat()}, started {started.isoformat()}"
        )
    return None

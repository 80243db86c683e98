"""SEN2-201: a decision to assess or not, or a withdrawal, has its date; a request still waiting
for a decision (A) has none."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-201",
    module=spec.REQUESTS,
    fields=(spec.REQUEST_OUTCOME, spec.REQUEST_OUTCOME_DATE),
    message="The decision whether to assess and its date do not go together: a decision (Y, N) "
    "or a withdrawal (W) needs its date, and a request still waiting (A) has no date.",
)
def request_outcome_date(node, ctx):
    outcome = node.fields.get(spec.REQUEST_OUTCOME)
    dated = bool(node.fields.get(spec.REQUEST_OUTCOME_DATE))
    if outcome in ("Y", "N", "W") and not dated:
        return Finding(spec.REQUEST_OUTCOME_DATE, f"outcome {outcome} with no date")
    if outcome == "A" and dated:
        return Finding(spec.REQUEST_OUTCOME_DATE, "a date, but the outcome says no decision yet")
    return None

"""SEN2-400: a decision whether to issue a plan (Y, N) or a withdrawal (W) has its date; an
assessment still going on (A) has none."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-400",
    module=spec.ASSESSMENT,
    fields=(spec.ASSESSMENT_OUTCOME, spec.ASSESSMENT_OUTCOME_DATE),
    message="The decision whether to issue a plan and its date do not go together: a decision "
    "(Y, N) or a withdrawal (W) needs its date, and an assessment still going on (A) has none.",
)
def issue_decision_date(node, ctx):
    outcome = node.fields.get(spec.ASSESSMENT_OUTCOME)
    dated = bool(node.fields.get(spec.ASSESSMENT_OUTCOME_DATE))
    if outcome in ("Y", "N", "W") and not dated:
        return Finding(spec.ASSESSMENT_OUTCOME_DATE, f"outcome {outcome} with no date")
    if outcome == "A" and dated:
        return Finding(spec.ASSESSMENT_OUTCOME_DATE, "a date, but the outcome says no decision yet")
    return None

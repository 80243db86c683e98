"""SEN2-305: a plan is issued on or after the decision to issue it."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-305",
    module=spec.NAMED_PLAN,
    fields=(spec.START_DATE, spec.ASSESSMENT_OUTCOME_DATE),
    message="The plan starts before the decision to issue it.",
)
def plan_after_issue_decision(node, ctx):
    started = node.dates.get(spec.START_DATE)
    decided = node.parent.dates.get(spec.ASSESSMENT_OUTCOME_DATE)
    if started and decided and started < decided:
        return Finding(
            spec.START_DATE, f"started {started.isoformat()}, decided {decided.isoformat()}"
        )
    return None

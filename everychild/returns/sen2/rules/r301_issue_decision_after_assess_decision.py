"""SEN2-301: the decision whether to issue a plan comes on or after the decision to assess."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-301",
    module=spec.ASSESSMENT,
    fields=(spec.ASSESSMENT_OUTCOME_DATE, spec.REQUEST_OUTCOME_DATE),
    message="The decision whether to issue a plan is dated before the decision to assess.",
)
def issue_decision_after_assess_decision(node, ctx):
    decided_to_assess = node.parent.dates.get(spec.REQUEST_OUTCOME_DATE)
    decided_to_issue = node.dates.get(spec.ASSESSMENT_OUTCOME_DATE)
    if decided_to_assess and decided_to_issue and decided_to_issue < decided_to_assess:
        return Finding(
            spec.ASSESSMENT_OUTCOME_DATE,
            f"outcome {decided_to_issue.isoformat()}, decision to assess "
            f"{decided_to_assess.isoformat()}",
        )
    return None

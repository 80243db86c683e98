"""SEN2-308: the decision after an annual review comes after its meeting (reg 20(10): within 4
weeks of it)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-308",
    module=spec.ACTIVE_PLANS,
    fields=(spec.LAST_REVIEW, spec.REVIEW_MEETING),
    message="The decision after the annual review is dated before the review meeting.",
)
def review_decision_after_meeting(node, ctx):
    meeting = node.dates.get(spec.REVIEW_MEETING)
    decided = node.dates.get(spec.LAST_REVIEW)
    if meeting and decided and decided < meeting:
        return Finding(
            spec.LAST_REVIEW, f"decided {decided.isoformat()}, meeting {meeting.isoformat()}"
        )
    return None

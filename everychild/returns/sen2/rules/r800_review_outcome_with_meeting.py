"""SEN2-800: a decision after an annual review (maintain, amend, cease: reg 20(10)) follows a
review meeting, so it is given only with the meeting's date."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule


@rule(
    code="SEN2-800",
    module=spec.ACTIVE_PLANS,
    fields=(spec.REVIEW_OUTCOME, spec.REVIEW_MEETING),
    message="A decision after the annual review is given, but no review meeting date: add the "
    "date of the meeting.",
)
def review_outcome_with_meeting(node, ctx):
    if node.fields.get(spec.REVIEW_OUTCOME) and not node.fields.get(spec.REVIEW_MEETING):
        return spec.REVIEW_MEETING
    return None

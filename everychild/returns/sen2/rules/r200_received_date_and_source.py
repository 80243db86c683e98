"""SEN2-200: every request has the date it was received and (from the 2025 return, v1.3) who
made it, except a historical request (RequestOutcome H), which only carries a plan made before
the records began."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-200",
    module=spec.REQUESTS,
    fields=(spec.RECEIVED_DATE, spec.REQUEST_SOURCE, spec.REQUEST_OUTCOME),
    message="The date the request was received, or who made it, is missing: both are needed "
    "for every request except a historical one (outcome H).",
)
def received_date_and_source_required(node, ctx):
    fields = node.fields
    if fields.get(spec.REQUEST_OUTCOME) == "H":
        return None
    found = []
    if not fields.get(spec.RECEIVED_DATE):
        found.append(Finding(spec.RECEIVED_DATE, "no date received"))
    if not fields.get(spec.REQUEST_SOURCE) and ctx.year >= 2025:
        found.append(Finding(spec.REQUEST_SOURCE, "who made the request is not given"))
    return found or None

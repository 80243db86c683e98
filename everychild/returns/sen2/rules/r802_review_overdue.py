"""SEN2-802: a plan is reviewed at least every 12 months (CFA 2014 s.44(1)): a plan held for
more than a year with no review meeting in the 12 months before the reference date is overdue.
A warning: it is true data, but the data team should know before the DfE does."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule
from everychild.returns.sen2.rules.r307_review_after_start import plan_start
from everychild.statutory import deadlines


@rule(
    code="SEN2-802",
    module=spec.ACTIVE_PLANS,
    fields=(spec.REVIEW_MEETING,),
    message="The plan has not been reviewed in the 12 months before the reference date: the "
    "annual review is overdue (CFA 2014 s.44).",
    severity=WARNING,
)
def review_overdue(node, ctx):
    started = plan_start(node)
    if started is None:
        return None
    last = node.dates.get(spec.REVIEW_MEETING) or started
    if last > ctx.reference_date or (ctx.reference_date - last).days < 365:
        # The 12 months starting with `last` end at least 364 days after it: not overdue.
        return None
    try:
        due = deadlines.annual_review_due(last)
    except LookupError:  # before the 2014 law: more than a year before any reference date
        return Finding(spec.REVIEW_MEETING, f"nothing since {last.isoformat()}")
    if due < ctx.reference_date:
        late = (ctx.reference_date - due).days
        return Finding(
            spec.REVIEW_MEETING,
            f"last {'review' if last != started else 'counted from the start'} "
            f"{last.isoformat()}, due {due.isoformat()} ({late} days ago)",
        )
    return None

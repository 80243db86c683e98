"""Children with a support plan who later have an EHC plan: of the support plans started in
the period, the share whose child had an EHC plan issued after it started (by today). Issue 22,
decision 0221."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.performance.support_data import FromSupport, support_of


class SupportThenEHCPlan(FromSupport, FlowMeasure):
    id = "support_then_ehc_plan"
    title = "Children on SEN support who later have an EHC plan"
    short_title = "SEN support to EHC plan"
    unit = Unit.PERCENT
    record_kind = RecordKind.SUPPORT
    higher_is_better = False
    definition = Definition(
        numerator="Of those support plans, the ones whose child had an EHC plan issued on or "
        "after the support plan started, up to today.",
        denominator="Support plans started in the period.",
        period="The day the support plan started falls in the period; recent periods rise as "
        "children go on to plans.",
        exclusions="Support plans of a child whose EHC plan was issued before the support plan "
        "started (counted, not a hit); children whose record was merged into another.",
    )

    def events(self, data):
        issued: dict[int, list] = {}
        for plan in data.plans:
            issued.setdefault(plan.child_id, []).append(plan.issued_on)
        for support in support_of(data).plans:
            later = any(day >= support.started_on for day in issued.get(support.child_id, ()))
            yield Event(support.started_on, support.id, True, later)


MEASURE = SupportThenEHCPlan()

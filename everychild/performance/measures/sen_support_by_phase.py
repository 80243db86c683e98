"""Children on SEN support (a support plan open: SEND Code of Practice 6.44-6.56), by the phase
of their current setting. Issue 22, decision 0221."""

from everychild.performance.measures.base import Definition, RecordKind, Span, StockMeasure, Unit
from everychild.performance.support_data import PHASES, FromSupport, support_of


def support_spans(data, category=None):
    for plan in support_of(data).plans:
        yield Span(plan.id, plan.started_on, plan.ended_on, category(plan) if category else "")


class SENSupportByPhase(FromSupport, StockMeasure):
    id = "sen_support_by_phase"
    title = "Children on SEN support, by phase"
    short_title = "SEN support by phase"
    unit = Unit.COUNT
    record_kind = RecordKind.SUPPORT
    categories = PHASES
    definition = Definition(
        numerator="Children with a support plan open on the day (started on or before it, not "
        "ended by it), by the phase of the setting they are on the roll of now: early years, "
        "primary, secondary, special school, post-16 (an all-through school by the child's "
        "age).",
        denominator="Children on SEN support on the day (the shares add up to 100%).",
        period="Counted on the last day of the period (today for the current period). DfE "
        "counts pupils on SEN support in the January school census.",
        exclusions="Ended support plans; children whose record was merged into another.",
        dfe="Special educational needs in England: the share of pupils on SEN support, by "
        "phase of school (England and local authority), shown below when it is loaded.",
    )

    def spans(self, data):
        return support_spans(data, lambda plan: plan.phase)


MEASURE = SENSupportByPhase()

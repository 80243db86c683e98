"""Children on SEN support by the primary type of need recorded on their support plan (the DfE
codes, as SEN2 and the school census use them). Issue 22, decision 0221."""

from everychild.children.codes import NeedType
from everychild.performance.measures.base import Definition, RecordKind, StockMeasure, Unit
from everychild.performance.measures.sen_support_by_phase import support_spans
from everychild.performance.support_data import FromSupport


class SENSupportByNeed(FromSupport, StockMeasure):
    id = "sen_support_by_need"
    title = "Children on SEN support, by primary need"
    short_title = "SEN support by need"
    unit = Unit.COUNT
    record_kind = RecordKind.SUPPORT
    categories = dict(NeedType.choices)
    definition = Definition(
        numerator="Children with a support plan open on the day, by the primary type of need "
        "on the plan.",
        denominator="Children on SEN support on the day (the shares add up to 100%).",
        period="Counted on the last day of the period (today for the current period).",
        exclusions="Ended support plans; children whose record was merged into another.",
        dfe="Special educational needs in England: the share of all pupils on SEN support "
        "(England and local authority), shown below when it is loaded; its table by phase "
        "and type of school does not give primary need.",
    )

    def spans(self, data):
        return support_spans(data, lambda plan: plan.primary_need)


MEASURE = SENSupportByNeed()

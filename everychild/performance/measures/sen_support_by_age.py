"""Children on SEN support by age group. Issue 22, decision 0221."""

from everychild.performance.dataset import AGE_GROUPS
from everychild.performance.measures.base import Definition, RecordKind, StockMeasure, Unit
from everychild.performance.measures.sen_support_by_phase import support_spans
from everychild.performance.support_data import FromSupport


class SENSupportByAge(FromSupport, StockMeasure):
    id = "sen_support_by_age"
    title = "Children on SEN support, by age"
    short_title = "SEN support by age"
    unit = Unit.COUNT
    record_kind = RecordKind.SUPPORT
    categories = {key: label for key, (label, _, _) in AGE_GROUPS.items()}
    definition = Definition(
        numerator="Children with a support plan open on the day, by their age group today "
        "(the same groups as the EHC plan figures).",
        denominator="Children on SEN support on the day (the shares add up to 100%).",
        period="Counted on the last day of the period (today for the current period). The age "
        "is today's, also for earlier periods.",
        exclusions="Ended support plans; children whose record was merged into another.",
        dfe="Special educational needs in England: the share of all pupils on SEN support "
        "(England and local authority), shown below when it is loaded; its table by phase "
        "and type of school does not give age.",
    )

    def spans(self, data):
        return support_spans(data, lambda plan: plan.age_group)


MEASURE = SENSupportByAge()

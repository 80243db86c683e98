"""EHC plans by the primary type of need in section B (SEN2 SENtype)."""

from everychild.children.codes import NeedType
from everychild.performance.measures.active_plans import plan_spans
from everychild.performance.measures.base import Definition, RecordKind, StockMeasure, Unit


class PrimaryNeedMix(StockMeasure):
    id = "primary_need_mix"
    title = "EHC plans by primary need"
    short_title = "Primary need mix"
    unit = Unit.COUNT
    record_kind = RecordKind.PLAN
    categories = dict(NeedType.choices)
    definition = Definition(
        numerator="Plans in force on the day, by their primary type of need.",
        denominator="Plans in force on the day (the shares add up to 100%).",
        period="Counted on the last day of the period (today for the current period).",
        exclusions="Ceased plans.",
        dfe="sen_needs_all_plans.csv (January 2025 only)",
    )

    def spans(self, data):
        return plan_spans(data, lambda plan: plan.primary_need)


MEASURE = PrimaryNeedMix()

"""The caseload: EHC plans in force on a day (issued, not ceased; reg 29-31 on ceasing)."""

from everychild.performance.measures.base import Definition, RecordKind, Span, StockMeasure, Unit


def plan_spans(data, category=None):
    for plan in data.plans:
        yield Span(plan.id, plan.issued_on, plan.ceased_on, category(plan) if category else "")


class ActivePlans(StockMeasure):
    id = "active_plans"
    title = "EHC plans in force"
    short_title = "Active plans"
    unit = Unit.COUNT
    record_kind = RecordKind.PLAN
    benchmark = "caseload"
    definition = Definition(
        numerator="EHC plans issued on or before the day and not ceased by it.",
        denominator="None: a count.",
        period="Counted on the last day of the period (today for the current period). DfE "
        "counts the caseload in January.",
        exclusions="Plans ceased on or before the day.",
        dfe="caseload.csv: ehcplans",
    )

    def spans(self, data):
        return plan_spans(data)


MEASURE = ActivePlans()

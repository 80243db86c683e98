"""Where children and young people with plans are placed, in DfE's placement groups
(caseload.csv): mainstream, special, alternative provision, post-16, early years and
educated elsewhere (EHE, other arrangements, NEET, not in education)."""

from everychild.performance.dataset import PLACEMENT_GROUPS, PLACEMENT_SHORT
from everychild.performance.measures.active_plans import plan_spans
from everychild.performance.measures.base import Definition, RecordKind, StockMeasure, Unit


class PlacementMix(StockMeasure):
    id = "placement_mix"
    title = "EHC plans by placement"
    short_title = "Placement mix"
    unit = Unit.COUNT
    record_kind = RecordKind.PLAN
    categories = PLACEMENT_GROUPS
    short_categories = PLACEMENT_SHORT
    benchmark = "placement_mix"
    definition = Definition(
        numerator="Plans in force on the day, by the setting the plan names (section I), "
        "grouped as DfE groups placements.",
        denominator="Plans in force on the day (the shares add up to 100%).",
        period="Counted on the last day of the period (today for the current period).",
        exclusions="Ceased plans.",
        dfe="caseload.csv: mainstream_total_pc, special_total_pc, AP_PRU_total_pc, "
        "fe_total_pc, nm_early_years_pc, ed_elsewhere_pc",
    )

    def spans(self, data):
        return plan_spans(data, lambda plan: plan.placement)


MEASURE = PlacementMix()

"""New EHC plans issued more than 52 weeks after the request (DfE's last band).

DfE: timeliness_20_week.csv, pc_plans_issued_gt_1_year (plans_issued_gt_1_year /
plans_issued_den), including exceptions; published from 2023."""

from everychild.performance.measures.base import Definition, Event, FlowMeasure, RecordKind, Unit
from everychild.performance.measures.plans_issued_20_to_52_weeks import FIFTY_TWO_WEEKS, new_plans


class PlansIssuedOver52Weeks(FlowMeasure):
    id = "plans_issued_over_52_weeks"
    title = "New EHC plans issued more than 52 weeks after the request"
    short_title = "Plans after 52 weeks"
    unit = Unit.PERCENT
    record_kind = RecordKind.CASE
    higher_is_better = False
    benchmark = "plans_issued_over_52_weeks"
    definition = Definition(
        numerator="Final plans issued more than 364 days after the request was received.",
        denominator="Every new final EHC plan issued in the period after a request.",
        period="The day the final plan was issued falls in the period.",
        exclusions="Re-assessments (not new plans). Cases where an exception applies are included.",
        dfe="timeliness_20_week.csv: pc_plans_issued_gt_1_year (published from 2023)",
    )

    def events(self, data):
        for case in new_plans(data):
            yield Event(
                case.final_on, case.id, True, case.final_on - case.received_on > FIFTY_TWO_WEEKS
            )


MEASURE = PlansIssuedOver52Weeks()

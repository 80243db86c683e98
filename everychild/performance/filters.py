"""The filters every measure takes: period, caseworker, setting, primary need and age group.

Each record is filtered on what it carries: a case on its caseworker, the setting its plan
names (else the child's current setting), its plan's primary need and the child's age when the
request was received; a plan on the caseworker of its request, the setting it names, its
primary need and the child's age today; EP advice on its case's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from everychild.performance.dataset import age_group


@dataclass(frozen=True)
class Filters:
    caseworker_id: int | None = None
    setting_id: int | None = None
    primary_need: str = ""
    age_group: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.caseworker_id or self.setting_id or self.primary_need or self.age_group)

    def _keeps(self, caseworker_id, setting_id, primary_need, born, on) -> bool:
        if self.caseworker_id and caseworker_id != self.caseworker_id:
            return False
        if self.setting_id and setting_id != self.setting_id:
            return False
        if self.primary_need and primary_need != self.primary_need:
            return False
        return not (self.age_group and age_group(born, on) != self.age_group)

    def keeps_case(self, case) -> bool:
        return self._keeps(
            case.caseworker_id, case.setting_id, case.primary_need, case.born, case.received_on
        )

    def keeps_plan(self, plan, today: date) -> bool:
        return self._keeps(plan.caseworker_id, plan.setting_id, plan.primary_need, plan.born, today)

    def keeps_support_plan(self, plan, today: date) -> bool:
        """A SEN support plan (performance.support_data): by the child's current setting, the
        plan's primary need and the child's age today; none for a caseworker (it has none)."""
        return self._keeps(None, plan.setting_id, plan.primary_need, plan.born, today)

    def keeps_advice(self, advice) -> bool:
        return self._keeps(
            advice.caseworker_id,
            advice.setting_id,
            advice.primary_need,
            advice.born,
            advice.received_on,
        )

    def query(self) -> dict[str, str]:
        out = {}
        if self.caseworker_id:
            out["caseworker"] = str(self.caseworker_id)
        if self.setting_id:
            out["setting"] = str(self.setting_id)
        if self.primary_need:
            out["need"] = self.primary_need
        if self.age_group:
            out["age"] = self.age_group
        return out

"""The filters every measure takes: period, caseworker, setting, primary need and age group.

Each record is filtered on what it carries: a case on its caseworker, the setting its plan
names (else the child's current setting), its plan's primary need and the child's age when the
request was received; a plan on the caseworker of its request, the setting it names, its
primary need and the child's age today; EP advice on its case's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django import forms

from everychild.access.policy import Capability, roles_with
from everychild.accounts.models import Membership, Organisation
from everychild.children.codes import NeedType
from everychild.core.forms import GovukForm
from everychild.performance import periods
from everychild.performance.dataset import AGE_GROUPS, age_group


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


class FilterForm(GovukForm):
    """GET form for the dashboard and measure pages. Choices come from the area's own
    organisations and staff."""

    period = forms.ChoiceField(label="Period", required=False)
    trend = forms.ChoiceField(
        label="Trend",
        required=False,
        choices=[("monthly", "Monthly since 2019"), ("weekly", "Weekly, the last 52 weeks")],
    )
    caseworker = forms.TypedChoiceField(
        label="EHC coordinator (caseworker)", required=False, coerce=int, empty_value=None
    )
    setting = forms.TypedChoiceField(
        label="School or setting", required=False, coerce=int, empty_value=None
    )
    need = forms.ChoiceField(label="Primary need", required=False)
    age = forms.ChoiceField(label="Age group", required=False)

    def __init__(self, data, *, area, today: date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["period"].choices = periods.period_choices(today)
        caseworkers = (
            Membership.objects.filter(
                organisation__area=area,
                role__in=roles_with(Capability.CASELOAD),
                user__is_active=True,
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["caseworker"].choices = [("", "All")] + [
            (m.user_id, m.user.full_name) for m in caseworkers
        ]
        settings = Organisation.objects.filter(
            area=area, kind__in=["school", "college", "early_years"]
        ).order_by("name")
        self.fields["setting"].choices = [("", "All")] + [(o.pk, o.name) for o in settings]
        self.fields["need"].choices = [("", "All")] + list(NeedType.choices)
        self.fields["age"].choices = [("", "All")] + [
            (key, label) for key, (label, _, _) in AGE_GROUPS.items()
        ]

    def chosen_period(self) -> periods.Period:
        key = self.cleaned_data.get("period") if self.is_valid() else ""
        return periods.resolve_period(key or "last-12-months", self.today)

    def period_key(self) -> str:
        return (self.cleaned_data.get("period") if self.is_valid() else "") or "last-12-months"

    def chosen_trend(self) -> str:
        return (self.cleaned_data.get("trend") if self.is_valid() else "") or "monthly"

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            caseworker_id=data.get("caseworker"),
            setting_id=data.get("setting"),
            primary_need=data.get("need") or "",
            age_group=data.get("age") or "",
        )

    def query(self) -> str:
        """The chosen filters as a query string, for links and downloads."""
        params = {
            "period": self.period_key(),
            "trend": self.chosen_trend(),
            **self.filters().query(),
        }
        return urlencode(params)

"""The filter form of the dashboard and the measure pages: the period, the trend and the
filters every measure takes (everychild.performance.filters)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms

from everychild.access.policy import Capability, roles_with
from everychild.accounts.models import Membership, Organisation
from everychild.children.codes import NeedType
from everychild.core.forms import GovukForm
from everychild.performance import periods
from everychild.performance.dataset import AGE_GROUPS
from everychild.performance.filters import Filters


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

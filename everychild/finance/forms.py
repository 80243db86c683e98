"""Forms for the finance pages: GOV.UK markup and error summaries; all rules live in the
services and the model (a form only shapes what was typed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from everychild.core.dates import DateField
from everychild.core.forms import GovukForm, VersionField
from everychild.finance.forecast.dimensions import MAX_AGE, financial_year_of, fy_label
from everychild.finance.forecast.levers import LEVER_KINDS
from everychild.finance.models import (
    AgreementStatus,
    AssumptionKind,
    CostComponent,
    PaymentStatus,
    PlacementType,
    SpendCategory,
)

LEVER_SLOTS = 3


def date_field(label: str, *, required: bool = True, help_text: str = "") -> DateField:
    return DateField(
        label=label,
        help_text=help_text or "For example, 1/9/2026",
        required=required,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}.",
            "invalid": "Enter a real date, like 1/9/2026.",
        },
    )


class PoundsField(forms.DecimalField):
    """An amount of money as people write it: "£88,500.00", "88 500" and "88500" are the same."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").replace(" ", "")
        return super().to_python(value)


def money_field(label: str, *, help_text: str = "", allow_negative=False) -> forms.DecimalField:
    return PoundsField(
        label=label,
        help_text=help_text or "In pounds, for example 64000",
        max_digits=14,
        decimal_places=2,
        min_value=None if allow_negative else Decimal(0),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}.",
            "invalid": f"Enter {label[0].lower()}{label[1:]} as a number of pounds.",
            "min_value": f"{label} must be £0 or more.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def year_field(label: str = "Financial year") -> forms.TypedChoiceField:
    this_year = financial_year_of(dt.date.today())
    years = range(this_year - 6, this_year + 12)
    return forms.TypedChoiceField(
        label=label,
        choices=[(y, fy_label(y)) for y in years],
        coerce=int,
        initial=this_year,
        error_messages={"required": "Choose a financial year."},
    )


class CostRateForm(GovukForm):
    placement_type = forms.ChoiceField(label="Placement", choices=PlacementType.choices)
    component = forms.ChoiceField(
        label="Part of the cost", choices=CostComponent.choices, widget=forms.RadioSelect
    )
    annual_amount = money_field("Annual amount per plan")
    effective_from = date_field(
        "Date the rate takes effect", help_text="Usually 1 April. For example, 1/4/2027"
    )
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)


class PlacementFeeForm(GovukForm):
    component = forms.ChoiceField(
        label="Part of the cost", choices=CostComponent.choices, widget=forms.RadioSelect
    )
    annual_amount = money_field("Annual amount agreed for this placement")
    effective_from = date_field(
        "Date the fee takes effect",
        help_text="The start of the placement, or the date an agreed change applies. "
        "For example, 1/9/2026",
    )
    note = forms.CharField(
        label="Where it was agreed (optional)",
        help_text="For example, the contract or the panel that agreed it",
        max_length=300,
        required=False,
    )


class AssumptionForm(GovukForm):
    kind = forms.ChoiceField(
        label="Assumption", choices=AssumptionKind.choices, widget=forms.RadioSelect
    )
    financial_year = year_field("From financial year")
    rate_percent = forms.DecimalField(
        label="Rate a year (%)",
        help_text="For example, 3.5. It applies from this year until a later year's rate.",
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": "Enter the rate.",
            "invalid": "Enter the rate as a number, like 3.5.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label="Source or reason (optional)", max_length=300, required=False)


class PopulationForm(GovukForm):
    year = forms.IntegerField(
        label="Year",
        min_value=2000,
        max_value=2100,
        help_text="The mid-year the figure is for, for example 2027",
        error_messages={"required": "Enter the year.", "invalid": "Enter a year like 2027."},
    )
    population = forms.IntegerField(
        label="Residents aged 0 to 25",
        min_value=1,
        error_messages={
            "required": "Enter the population.",
            "invalid": "Enter the population as a whole number.",
            "min_value": "Enter a population of 1 or more.",
        },
    )
    note = forms.CharField(label="Source (optional)", max_length=300, required=False)


class FundingForm(GovukForm):
    hnb_allocation = money_field(
        "High-needs block allocation", help_text="After recoupment and deductions, in pounds"
    )
    other_income = money_field(
        "Other income to the high-needs budget", help_text="In pounds (0 if none)"
    )
    note = forms.CharField(label="Source (optional)", max_length=300, required=False)


class CategoryAmountsForm(GovukForm):
    """One amount for every spending category (the budget, or a monitoring return)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category, label in SpendCategory.choices:
            self.fields[category] = money_field(label, help_text="In pounds (0 if none)")

    def amounts(self) -> dict:
        return {c: self.cleaned_data.get(c) for c in SpendCategory.values}


class MonitoringForm(CategoryAmountsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarter = forms.TypedChoiceField(
            label="Monitoring point",
            choices=[
                (1, "Quarter 1 (to 30 June)"),
                (2, "Quarter 2 (to 30 September)"),
                (3, "Quarter 3 (to 31 December)"),
                (4, "Quarter 4: the outturn"),
            ],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose the monitoring point."},
        )
        as_at = date_field("Forecast made on")
        self.fields = {"quarter": quarter, "as_at": as_at, **self.fields}


class BalanceForm(GovukForm):
    cumulative_deficit = money_field(
        "Cumulative DSG deficit at 31 March",
        help_text="In pounds, as in the statement of accounts; negative for a surplus",
        allow_negative=True,
    )
    note = forms.CharField(label="Source (optional)", max_length=300, required=False)


class AgreementForm(GovukForm):
    title = forms.CharField(label="Name", max_length=200)
    status = forms.ChoiceField(
        label="Status", choices=AgreementStatus.choices, widget=forms.RadioSelect
    )
    agreed_on = date_field("Date agreed (if agreed)", required=False)
    balance_year = year_field("Financial year the in-year balance is reached")
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)


class TargetForm(GovukForm):
    financial_year = year_field()
    in_year_deficit = money_field(
        "Target in-year deficit", help_text="In pounds; negative for a surplus", allow_negative=True
    )
    cumulative_deficit = money_field(
        "Target cumulative deficit at 31 March", help_text="In pounds", allow_negative=True
    )


class PaymentForm(GovukForm):
    due_on = date_field("Date due")
    amount = money_field("Amount")
    conditions = forms.CharField(
        label="Conditions", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PaymentOutcomeForm(GovukForm):
    status = forms.ChoiceField(
        label="What happened",
        choices=[(PaymentStatus.PAID, "Paid"), (PaymentStatus.WITHHELD, "Withheld")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the payment was made or withheld."},
    )
    settled_on = date_field("Date")
    note = forms.CharField(label="Reason (required if withheld)", max_length=300, required=False)
    version = VersionField()


class MonitoringDateForm(GovukForm):
    due_on = date_field("Report due on")
    description = forms.CharField(label="What is due", max_length=200)


# --- Scenarios ------------------------------------------------------------------------------

LEVER_CHOICES = [("", "No lever")] + [(k, v.label) for k, v in LEVER_KINDS.items()]
PLACEMENT_CHOICES = [("", "Not needed for this lever")] + list(PlacementType.choices)


class ScenarioForm(GovukForm):
    """A name, a description and up to three levers (fixed slots, so it works without
    JavaScript; make another scenario for more)."""

    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="What the scenario assumes (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(LEVER_SLOTS):
            self.fields[f"lever{i}_kind"] = forms.ChoiceField(
                label="Lever", choices=LEVER_CHOICES, required=False
            )
            self.fields[f"lever{i}_value"] = forms.DecimalField(
                label="Value",
                help_text="In the lever's unit: % a year, %, or places",
                required=False,
                max_digits=10,
                decimal_places=2,
                error_messages={"invalid": "Enter the value as a number."},
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"lever{i}_starts_on"] = date_field("Starts on", required=False)
            self.fields[f"lever{i}_ends_on"] = date_field(
                "Ends on (optional)", required=False, help_text="Leave empty to keep it going"
            )
            self.fields[f"lever{i}_placement_type"] = forms.ChoiceField(
                label="Placement it acts on (places and shifts)",
                choices=PLACEMENT_CHOICES,
                required=False,
            )
            self.fields[f"lever{i}_source_type"] = forms.ChoiceField(
                label="Placement children come from (places and shifts)",
                choices=PLACEMENT_CHOICES,
                required=False,
            )
            self.fields[f"lever{i}_age_from"] = forms.IntegerField(
                label="From academic age (plans ending)",
                help_text=f"0 to {MAX_AGE}; for example 16",
                required=False,
                error_messages={"invalid": "Enter an age as a whole number."},
            )

    def slots(self):
        """The bound fields of each lever slot, for the template."""
        names = ("kind", "value", "starts_on", "ends_on", "placement_type", "source_type")
        return [
            {
                "number": i + 1,
                "fields": [self[f"lever{i}_{n}"] for n in names],
                "age_from": self[f"lever{i}_age_from"],
            }
            for i in range(LEVER_SLOTS)
        ]

    def levers(self) -> list[dict]:
        out = []
        for i in range(LEVER_SLOTS):
            kind = self.cleaned_data.get(f"lever{i}_kind")
            if not kind:
                continue
            out.append(
                {
                    "kind": kind,
                    "value": self.cleaned_data.get(f"lever{i}_value"),
                    "starts_on": self.cleaned_data.get(f"lever{i}_starts_on"),
                    "ends_on": self.cleaned_data.get(f"lever{i}_ends_on"),
                    "placement_type": self.cleaned_data.get(f"lever{i}_placement_type"),
                    "source_type": self.cleaned_data.get(f"lever{i}_source_type"),
                    "age_from": self.cleaned_data.get(f"lever{i}_age_from"),
                }
            )
        return out

    def slot_field(self, slot: int, name: str) -> str:
        """The form field a lever's error belongs to (levers are numbered as entered)."""
        kinds = [i for i in range(LEVER_SLOTS) if self.cleaned_data.get(f"lever{i}_kind")]
        return f"lever{kinds[slot]}_{name}" if slot < len(kinds) else "name"


class GoalSeekForm(GovukForm):
    kind = forms.ChoiceField(
        label="Lever to change",
        choices=[(k, v.label) for k, v in LEVER_KINDS.items()],
        error_messages={"required": "Choose the lever to change."},
    )
    target_year = forms.TypedChoiceField(
        label="Reach an in-year balance in", coerce=int, choices=[]
    )
    starts_on = date_field("The lever starts on")
    placement_type = forms.ChoiceField(
        label="Placement it acts on (places and shifts)", choices=PLACEMENT_CHOICES, required=False
    )
    source_type = forms.ChoiceField(
        label="Placement children come from (places and shifts)",
        choices=PLACEMENT_CHOICES,
        required=False,
    )
    age_from = forms.IntegerField(
        label="From academic age (plans ending)", required=False, min_value=0, max_value=MAX_AGE
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_year"].choices = [(y, fy_label(y)) for y in years]


class CompareForm(GovukForm):
    scenario = forms.MultipleChoiceField(
        label="Scenarios to compare",
        help_text="Choose two or more",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose two or more scenarios to compare."},
    )

    def __init__(self, *args, scenarios=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [(str(s.pk), s.name) for s in scenarios]

    def clean_scenario(self):
        chosen = self.cleaned_data["scenario"]
        if len(chosen) < 2:
            raise forms.ValidationError("Choose two or more scenarios to compare.")
        return [int(pk) for pk in chosen]

"""The school's request form: the child, the family's agreement and views, and the evidence of
the graduated approach as rows (each row's fields flat, so the error summary links land)."""

from __future__ import annotations

from django import forms

from everychild.casework.models import GraduatedApproachStep
from everychild.core.dates import date_field
from everychild.core.forms import GovukForm

EVIDENCE_ROWS = 4
# A request made from a support plan has a row for each step of its history, and one spare.
MAX_EVIDENCE_ROWS = 40
DOCUMENTS = 2


def evidence_row_count(data) -> int:
    """How many evidence rows the form has: the number posted with it (a request pre-filled
    from a support plan has more than the usual four), within bounds."""
    try:
        wanted = int((data or {}).get("rows", EVIDENCE_ROWS))
    except (TypeError, ValueError):
        wanted = EVIDENCE_ROWS
    return max(EVIDENCE_ROWS, min(wanted, MAX_EVIDENCE_ROWS))


class SchoolRequestForm(GovukForm):
    pupil = forms.ModelChoiceField(
        label="Pupil",
        queryset=None,
        required=False,
        empty_label="Not listed: enter their details below",
        help_text="Your setting's pupils the council's records know.",
    )
    first_name = forms.CharField(label="First name", required=False, max_length=100)
    last_name = forms.CharField(label="Last name", required=False, max_length=100)
    date_of_birth = date_field("Date of birth", required=False)
    upn = forms.CharField(
        label="Unique pupil number (UPN), if known", required=False, max_length=13
    )
    postcode = forms.CharField(label="Home postcode", required=False, max_length=8)
    reason = forms.CharField(
        label="Why the setting is asking for an assessment",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the setting is asking for an assessment."},
    )
    consent = forms.BooleanField(
        label="The family knows about this request and agrees to it",
        error_messages={
            "required": "Confirm that the family knows about the request and agrees to it."
        },
    )
    consent_given_by = forms.CharField(
        label="Who in the family agreed",
        max_length=200,
        help_text="Their name and relationship to the child, for example Sam Jones, mother",
        error_messages={"required": "Enter who in the family agreed."},
    )
    consent_given_on = date_field("Date the family agreed")
    family_views = forms.CharField(
        label="The family's views",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the family's views."},
    )
    child_views = forms.CharField(
        label="The child's views (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, pupils, rows: int = EVIDENCE_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_count = rows
        self.fields["rows"].initial = rows
        self.fields["pupil"].queryset = pupils
        self.fields["pupil"].label_from_instance = lambda c: (
            f"{c.full_name}, born {c.date_of_birth:%d/%m/%Y}"
        )
        for n in range(1, self.row_count + 1):
            self.fields[f"evidence_{n}_kind"] = forms.ChoiceField(
                label=f"Step {n}: what it was",
                choices=[("", "Choose")] + GraduatedApproachStep.Kind.choices,
                required=False,
            )
            self.fields[f"evidence_{n}_started_on"] = date_field(
                f"Step {n}: when it began", required=False
            )
            self.fields[f"evidence_{n}_ended_on"] = date_field(
                f"Step {n}: when it ended (optional)", required=False
            )
            self.fields[f"evidence_{n}_what"] = forms.CharField(
                label=f"Step {n}: what was assessed, planned, done or reviewed, or whose "
                "advice was sought",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"evidence_{n}_outcome"] = forms.CharField(
                label=f"Step {n}: outcome",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
        for n in range(1, DOCUMENTS + 1):
            self.fields[f"document_{n}"] = forms.FileField(
                label=f"Document {n} (optional)",
                required=False,
                help_text="A PDF, Word document (.docx), JPEG or PNG, smaller than 10 MB",
            )

    def evidence_rows(self) -> list[list]:
        return [
            [
                self[f"evidence_{n}_{part}"]
                for part in ("kind", "started_on", "ended_on", "what", "outcome")
            ]
            for n in range(1, self.row_count + 1)
        ]

    def documents(self) -> list:
        return [self[f"document_{n}"] for n in range(1, DOCUMENTS + 1)]

    def evidence_values(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                part: data.get(f"evidence_{n}_{part}")
                for part in ("kind", "started_on", "ended_on", "what", "outcome")
            }
            for n in range(1, self.row_count + 1)
        ]

    def uploads(self) -> tuple:
        return tuple(
            self.cleaned_data[f"document_{n}"]
            for n in range(1, DOCUMENTS + 1)
            if self.cleaned_data.get(f"document_{n}")
        )


def initial_from_support(draft: dict) -> dict:
    """The form's starting values from a support plan's history (support.prefill)."""
    initial = {
        "pupil": draft["child"].pk,
        "reason": draft["reason"],
        "family_views": draft["family_views"],
        "child_views": draft["child_views"],
    }
    for n, step in enumerate(draft["evidence"], start=1):
        for part in ("kind", "started_on", "ended_on", "what", "outcome"):
            initial[f"evidence_{n}_{part}"] = step[part]
    return initial

from django import forms

from everychild.accounts.models import SETTING_KINDS, Organisation
from everychild.children import codes
from everychild.core.dates import DateField
from everychild.core.forms import GovukForm, VersionField


class ChildSearchForm(GovukForm):
    q = forms.CharField(
        label="Search by name, UPN or date of birth",
        help_text="For example, Ada Lovelace, A123456789012 or 10/12/2015",
        required=False,
        max_length=100,
        error_messages={"max_length": "Your search must be 100 characters or fewer."},
    )


class ChildForm(GovukForm):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    preferred_name = forms.CharField(label="Known as (optional)", max_length=100, required=False)
    date_of_birth = DateField(
        label="Date of birth",
        help_text="For example, 27/3/2015",
        error_messages={"invalid": "Enter a real date of birth, like 27/3/2015."},
    )
    sex = forms.ChoiceField(label="Sex", choices=codes.Sex.choices, widget=forms.RadioSelect)
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=codes.Ethnicity.choices, initial="NOBT"
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=8, required=False)
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        help_text="13 characters, starting with a letter. If not known, leave empty and say why.",
        max_length=13,
        required=False,
    )
    upn_unknown_reason = forms.ChoiceField(
        label="If the UPN is not known, why not?",
        choices=[("", "The UPN is known")] + list(codes.UPNUnknownReason.choices),
        required=False,
    )
    uln = forms.CharField(label="Unique learner number (optional)", max_length=10, required=False)
    nhs_number = forms.CharField(
        label="NHS number (optional)", help_text="10 digits", max_length=12, required=False
    )
    current_setting = forms.ModelChoiceField(
        label="School, college or setting now (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None or not known",
    )

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_setting"].queryset = Organisation.objects.filter(
            area=area, kind__in=SETTING_KINDS, is_active=True
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("upn") and not cleaned.get("upn_unknown_reason"):
            self.add_error("upn", "Enter the UPN, or choose why it is not known.")
        return cleaned


class BreakGlassForm(GovukForm):
    identifier = forms.CharField(
        label="The child's UPN or NHS number",
        max_length=20,
        help_text="Exactly as on their record.",
    )
    reason = forms.CharField(
        label="Why do you need to see this record?",
        help_text="Your manager will see this reason. Access lasts 2 hours.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ChildEditForm(ChildForm):
    """Changing a child's details: carries the version of the record the page showed."""

    version = VersionField()
    # A move is often recorded days after it happened; the day matters, because a past
    # setting's access to the child's history ends on it (decision 0240).
    setting_changed_on = DateField(
        label="If the school, college or setting changed, the day they started there (optional)",
        help_text="Leave empty if it is today. For example, 1/9/2026",
        required=False,
    )


class MergeForm(GovukForm):
    """Which of two records of one child to keep; the other's cases, plans and family move to
    it."""

    keep = forms.ChoiceField(
        label="Which record do you want to keep?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which record to keep."},
    )

    def __init__(self, *args, child, other, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            ("this", f"Record {child.pk}: {child.first_name} {child.last_name}"),
            ("other", f"Record {other.pk}: {other.first_name} {other.last_name}"),
        ]

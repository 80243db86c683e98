from django import forms

from everychild.core.dates import DateField
from everychild.core.forms import GovukForm


class ChildSearchForm(GovukForm):
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=13,
        help_text="13 characters, for example A123456789012",
    )
    last_name = forms.CharField(label="Or surname", required=False, max_length=100)
    date_of_birth = DateField(
        label="and date of birth",
        required=False,
        help_text="For example, 27/3/2012",
        error_messages={"invalid": "Enter the date of birth as a real date, like 27/3/2012"},
    )

    def clean(self):
        data = super().clean()
        has_upn = bool(data.get("upn"))
        has_name = bool(data.get("last_name")) and bool(data.get("date_of_birth"))
        if not has_upn and not has_name and not self.errors:
            raise forms.ValidationError("Enter the child's UPN, or their surname and date of birth")
        return data


class AnonymiseForm(GovukForm):
    confirm = forms.BooleanField(
        label="I understand this removes these children's personal details for good",
        error_messages={"required": "Confirm that the details will be removed for good"},
    )

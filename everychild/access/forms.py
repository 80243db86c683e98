from django import forms

from everychild.core.forms import GovukForm


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

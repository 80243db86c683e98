from django import forms

from everychild.core.forms import GovukForm


class ChecksForm(GovukForm):
    """Which return to check: the year (and the area, for someone working for more than one)."""

    year = forms.TypedChoiceField(
        label="Which return do you want to check?",
        coerce=int,
        help_text="The return is named after the January of its census date. It reports the "
        "calendar year before, and the plans active on the census date.",
        error_messages={
            "required": "Choose the return to check.",
            "invalid_choice": "Choose one of the returns listed.",
        },  # fmt: skip
    )
    area = forms.TypedChoiceField(label="Area", coerce=int, required=False)

    def __init__(self, *args, years, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {a.pk: a for a in areas}
        self.fields["year"].choices = [
            (y, f"{y} return (requests and plans in {y - 1}, caseload in January {y})")
            for y in years
        ]
        self.fields["year"].widget = forms.RadioSelect(choices=self.fields["year"].choices)
        if len(areas) > 1:
            self.fields["area"].choices = [(a.pk, a.name) for a in areas]
            self.fields["area"].required = True
        else:
            del self.fields["area"]

    def chosen_area(self):
        if "area" in self.fields:
            return self.areas[self.cleaned_data["area"]]
        return next(iter(self.areas.values()))

    def error_summary(self) -> list[dict]:
        # Radio buttons: the summary links to the first one.
        return [
            {**item, "href": item["href"] + "_0"} if item["href"] == "#id_year" else item
            for item in super().error_summary()
        ]

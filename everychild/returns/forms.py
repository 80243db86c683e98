from django import forms

from everychild.core.forms import GovukForm
from everychild.returns.sen2.reading import DEFAULT_MAX_BYTES


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


class ImportForm(GovukForm):
    """A SEN2 file from another system, to check (a dry run) or import."""

    file = forms.FileField(
        label="SEN2 file",
        help_text="The XML file the other system made for the DfE, up to "
        f"{DEFAULT_MAX_BYTES // 1024**2:,} MB (the same limit as the sen2_import command).",
        error_messages={"required": "Choose the SEN2 file to upload."},
    )
    dry_run = forms.TypedChoiceField(
        label="What do you want to do?",
        coerce=lambda value: value == "check",
        choices=[
            ("check", "Check the file only: nothing is written"),
            ("import", "Import it: every record, or none if any person fails a check"),
        ],
        widget=forms.RadioSelect,
        initial="check",
        error_messages={"required": "Choose whether to check the file or import it."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > DEFAULT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {DEFAULT_MAX_BYTES // 1024**2:,} MB."
            )
        if not upload.name.lower().endswith(".xml"):
            raise forms.ValidationError("The file must be a SEN2 XML file (.xml).")
        return upload

"""SEN support forms. The forms read what was typed; the services decide what is allowed."""

from django import forms

from everychild.children.codes import NeedType
from everychild.core.dates import date_field
from everychild.core.forms import GovukForm, VersionField, length_message
from everychild.support.models import BroadArea, ConsultationKind, OutcomeResult


def _text(label, *, rows=4, required=False, help_text="", max_length=5000, what=None):
    messages = {"required": f"Enter {what or label[0].lower() + label[1:]}."}
    if what:  # named, as a label may be an instruction ("Describe the need")
        messages["max_length"] = length_message(what, max_length)
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages=messages,
    )


def _multi(label, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        help_text=help_text,
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class StartPlanForm(GovukForm):
    child = forms.ChoiceField(
        label="Pupil",
        choices=[],
        error_messages={"required": "Choose the pupil.", "invalid_choice": "Choose the pupil."},
    )
    started_on = date_field("Date SEN support started")
    primary_need = forms.ChoiceField(
        label="Primary area of need",
        choices=[("", "Choose the primary need"), *NeedType.choices],
        error_messages={"required": "Choose the primary area of need."},
    )
    secondary_need = forms.ChoiceField(
        label="Secondary area of need (if any)",
        choices=[("", "None"), *NeedType.choices],
        required=False,
    )
    child_views = _text(
        "What the child says",
        help_text="In the child's own words where they can give them.",
    )
    family_views = _text("What the family says")
    outside_involvement = _text(
        "Who else is involved",
        rows=3,
        help_text="For example the educational psychologist, speech and language therapy "
        "or early help.",
    )

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "Choose the pupil"), *pupils]


class ViewsForm(GovukForm):
    version = VersionField()
    child_views = _text(
        "What the child says", help_text="In the child's own words where they can give them."
    )
    family_views = _text("What the family says")
    outside_involvement = _text("Who else is involved", rows=3)


class NeedForm(GovukForm):
    version = VersionField()
    text = _text("Describe the need", rows=3, required=True, what="the need")


class OutcomeForm(GovukForm):
    version = VersionField()
    text = _text("Outcome", rows=3, required=True, what="the outcome")
    needs = _multi("Needs it answers")
    by_when = date_field("By when", required=False, hint="For example, 31/7/2027")
    measured_by = _text("How it will be measured", rows=2)

    def __init__(self, *args, need_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = list(need_choices)


class ProvisionForm(GovukForm):
    version = VersionField()
    offer_id = forms.ChoiceField(
        label="From the area's ordinarily available provision (optional)",
        choices=[],
        required=False,
    )
    what = _text(
        "What the provision is",
        rows=3,
        help_text="Leave empty to use the entry chosen above as it is written.",
    )
    how_often = forms.CharField(
        label="How often",
        max_length=500,
        required=False,
        help_text="Specific and quantified, for example 3 sessions of 30 minutes a week",
    )
    how_long = forms.CharField(label="For how long", max_length=500, required=False)
    by_whom = forms.CharField(label="By whom", max_length=500, required=False)
    qualification = forms.CharField(label="With what qualification", max_length=500, required=False)
    outcomes = _multi("Outcomes it works towards")

    def __init__(self, *args, outcome_choices=(), offer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].choices = list(outcome_choices)
        self.fields["offer_id"].choices = [("", "None: written here"), *offer_choices]

    def clean(self):
        data = super().clean()
        if not (data.get("what") or "").strip() and not data.get("offer_id"):
            self.add_error("what", "Enter what the provision is, or choose it from the list.")
        return data


class CycleForm(GovukForm):
    version = VersionField()
    started_on = date_field("Date the cycle started")
    assessed = _text(
        "Assess: what was assessed, and what it showed", required=True, what="what was assessed"
    )
    planned = _text(
        "Plan: what was agreed with the child and family", required=True, what="what was planned"
    )
    review_due = date_field(
        "Review due",
        required=False,
        hint="Leave empty for the area's usual interval (at least once a term).",
    )


class ReviewForm(GovukForm):
    version = VersionField()
    reviewed_on = date_field("Date of the review")
    done = _text("Do: what was done", required=True, what="what was done")
    summary = _text("What the review agreed next", rows=3)

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for outcome in outcomes:
            self.fields[f"result_{outcome['id']}"] = forms.ChoiceField(
                label=f"Outcome: {outcome['text']}",
                choices=OutcomeResult.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose how far this outcome was met."},
            )

    def results(self) -> dict[str, str]:
        return {
            name.removeprefix("result_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("result_")
        }


class EndForm(GovukForm):
    version = VersionField()
    ended_on = date_field("Date SEN support ended")
    reason = _text("Why SEN support ended", rows=3, required=True, what="why SEN support ended")


class SettingsForm(GovukForm):
    review_every_weeks = forms.IntegerField(
        label="Weeks from the start of a cycle to its review",
        help_text="The SEND Code of Practice expects reviews at least termly (12 weeks is the "
        "usual term). A SENCO can set an earlier date for any cycle.",
        error_messages={
            "required": "Enter the number of weeks.",
            "invalid": "Enter the number of weeks as a whole number, like 12.",
        },
    )
    past_settings_read_history = forms.TypedChoiceField(
        label="Can a school or setting a child has left read back the support it gave?",
        help_text="If yes, the SENCO of a setting the child has left can read, but not change, "
        "the child's support plans as they stood on the day the child left. If no, only the "
        "child's current setting sees them.",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether a setting the child has left can read it."},
    )


class OfferForm(GovukForm):
    broad_area = forms.ChoiceField(
        label="Broad area of need",
        choices=BroadArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the broad area of need."},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title."}
    )
    description = _text("What every school and setting provides", required=True)


class ConsultationForm(GovukForm):
    version = VersionField()
    organisation = forms.ChoiceField(
        label="Which service",
        choices=[],
        error_messages={
            "required": "Choose the service to ask.",
            "invalid_choice": "Choose the service to ask.",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of advice",
        choices=ConsultationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of advice you are asking for."},
    )
    question = _text(
        "What you would like advice on",
        required=True,
        help_text="What you have tried, what happened, and what you want to know. The service "
        "sees this and the support plan, nothing else of the child's record.",
    )

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", "Choose a service"),
            *[(str(o.pk), o.name) for o in services],
        ]


class AnswerForm(GovukForm):
    answer = _text("Your advice", rows=8, required=True, what="your advice")


class ImportForm(GovukForm):
    child = forms.ChoiceField(
        label="Pupil",
        choices=[],
        error_messages={"required": "Choose the pupil.", "invalid_choice": "Choose the pupil."},
    )
    file = forms.FileField(
        label="Support plan file",
        help_text="The .json file the last setting downloaded from its support plan.",
        error_messages={"required": "Choose the support plan file."},
    )

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "Choose the pupil"), *pupils]

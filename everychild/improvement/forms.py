from django import forms

from everychild.access.policy import Capability, roles_with
from everychild.accounts.models import Membership, Organisation
from everychild.core import dates
from everychild.core.dates import today
from everychild.core.forms import GovukForm
from everychild.improvement.models import EVIDENCE_EXTENSIONS, ActionStatus, Rag
from everychild.performance import measures

DATE_HELP = "For example, 31 3 2026"
PARTNER_KINDS = ["la", "ep", "icb", "nhs_provider", "social_care", "forum"]


class DateField(dates.DateField):
    """The one date field (the GOV.UK date input), with the improvement pages' messages."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid": "Enter a real date, like 31/03/2026.", "required": None}
        )
        super().__init__(**kwargs)


class ActionUpdateForm(GovukForm):
    note = forms.CharField(
        label="What has happened since the last update?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={"required": "Say what has happened since the last update."},
    )
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect
    )
    rag = forms.ChoiceField(label="RAG rating", choices=Rag.choices, widget=forms.RadioSelect)
    due_on = DateField(
        label="Due date",
        help_text="Change it only if the board has agreed a new date.",
        error_messages={"required": "Enter the due date.", "invalid": "Enter a real date."},
    )
    # Asked for by the service only when the action is marked completed while a success
    # criterion is not met; the page shows it when that could happen.
    explanation = forms.CharField(
        label="If you mark it completed: why, when its success criteria are not met?",
        help_text="The board reads this beside the figures. Say what was done and what will "
        "bring the measure to its target.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(GovukForm):
    title = forms.CharField(
        label="What is it?",
        max_length=200,
        error_messages={"required": "Say what the evidence is."},
    )
    url = forms.URLField(
        label="Link to it",
        required=False,
        max_length=500,
        help_text="Where it is kept, for example a page on the council's intranet.",
        error_messages={"max_length": "The link must be 500 characters or fewer."},
        assume_scheme="https",
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text=f"Up to 10 MB: {', '.join(EVIDENCE_EXTENSIONS)}.",
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("url")) == bool(data.get("file")):
            self.add_error("url", "Give a link or upload a file (one, not both).")
        return data


class MilestoneForm(GovukForm):
    title = forms.CharField(label="Milestone", max_length=200)
    due_on = DateField(label="Due date", help_text=DATE_HELP)


class SuccessCriterionForm(GovukForm):
    description = forms.CharField(label="What success looks like", max_length=300)
    measure_id = forms.ChoiceField(label="Measure", choices=[])
    target = forms.DecimalField(label="Target", max_digits=8, decimal_places=1)
    target_by = DateField(label="By", help_text=DATE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure_id"].choices = measures.choices()


class ActionForm(GovukForm):
    priority = forms.ModelChoiceField(label="Priority", queryset=None, empty_label=None)
    title = forms.CharField(label="Action", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner_organisation = forms.ModelChoiceField(
        label="Organisation that owns it", queryset=None, empty_label=None
    )
    owner = forms.ModelChoiceField(label="Person who owns it", queryset=None, empty_label=None)
    starts_on = DateField(label="Start date", help_text=DATE_HELP)
    due_on = DateField(label="Due date", help_text=DATE_HELP)

    def __init__(self, *args, area, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities
        # The partnership's own organisations (the service refuses any other, whoever asks).
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            area=area, kind__in=PARTNER_KINDS
        ).order_by("name")
        self.fields["owner"].queryset = (
            Membership.objects.filter(organisation__area=area, is_active=True, user__is_active=True)
            .exclude(role__in=roles_with(Capability.FAMILY_PORTAL))
            .select_related("user", "organisation")
            .order_by("user__full_name")
        )
        self.fields["owner"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.organisation})"
        )


class MeetingForm(GovukForm):
    """The date of a monitoring meeting with the DfE's SEND adviser, for the progress report."""

    meeting = dates.date_field("Date of the meeting")

    @staticmethod
    def sent(data) -> bool:
        return any(key == "meeting" or key.startswith("meeting-") for key in data)


class BoardPackForm(GovukForm):
    date = dates.DateField(
        label="Figures as at",
        help_text="The pack shows the measures, their charts, the benchmarks, the actions due "
        "and overdue, and the risks, as on this day. For example, 31 3 2026.",
        error_messages={
            "required": "Enter the day the figures should be as at",
            "invalid": "Enter the day as a real date, for example 31 3 2026",
        },
    )

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > today():
            raise forms.ValidationError("The day must be today or in the past")
        return value

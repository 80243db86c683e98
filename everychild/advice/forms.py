"""Agency portal and waiting list forms: GOV.UK markup, dates as DD/MM/YYYY. The forms only
read what was typed; the services decide what is allowed."""

from django import forms

from everychild.advice.models import AdviceItem, Appointment, PlanSection
from everychild.core.dates import date_field
from everychild.core.forms import GovukForm, VersionField


def _radios(label, choices):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose {label[0].lower()}{label[1:]}."},
    )


class QueueForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("open", "Open requests"),
            ("unallocated", "Not allocated"),
            ("mine", "Allocated to me"),
            ("submitted", "Submitted"),
            ("all", "All"),
        ],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("due", "Due date, then priority"),
            ("received", "Date received"),
            ("child", "Child's surname"),
        ],
    )
    q = forms.CharField(label="Case reference or surname", required=False, max_length=100)


class AllocateForm(GovukForm):
    professional = forms.ModelChoiceField(
        label="Who will give the advice",
        queryset=None,
        error_messages={"required": "Choose who will give the advice."},
    )
    priority_rules = forms.ModelMultipleChoiceField(
        label="Priority rules that apply",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Your service's rules: they order requests due on the same day.",
    )

    def __init__(self, *args, professionals, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
        self.fields["professional"].label_from_instance = lambda u: u.full_name
        self.fields["priority_rules"].queryset = rules
        self.fields["priority_rules"].label_from_instance = lambda r: f"{r.name}: {r.description}"


class AppointmentForm(GovukForm):
    on = date_field("Date of the appointment")
    outcome = _radios("What happened", Appointment.Outcome.choices)
    evidence = forms.CharField(
        label="Evidence, if the appointment was missed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the appointment was offered and confirmed, and how you tried to "
        "rearrange it. This is recorded as a reg 8(2) exception on the case.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ItemForm(GovukForm):
    kind = _radios("What this is", AdviceItem.Kind.choices)
    section = forms.ChoiceField(
        label="Plan section",
        choices=[("", "Choose a section")] + PlanSection.choices,
        error_messages={"required": "Choose the plan section it belongs in."},
        help_text="Needs go in B to D, outcomes in E, provision in F to H.",
    )
    text = forms.CharField(
        label="Advice",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the advice."},
    )
    amount = forms.CharField(
        label="How much (provision only)", required=False, help_text="For example, 30 minutes"
    )
    frequency = forms.CharField(
        label="How often (provision only)", required=False, help_text="For example, twice a week"
    )
    delivered_by = forms.CharField(
        label="Who delivers it (provision only)",
        required=False,
        help_text="For example, a speech and language therapist",
    )


class DocumentForm(GovukForm):
    file = forms.FileField(
        label="The advice as a document",
        help_text="A PDF, a Word document (.docx), a JPEG or a PNG, up to 10 MB",
        error_messages={"required": "Choose a file to upload."},
    )


class SubmitForm(GovukForm):
    summary = forms.CharField(
        label="Summary (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviewAdviceForm(GovukForm):
    """A service's advice for an annual review it was invited to (reg 20(3)), given in the
    service by its own professional: recorded as received today."""

    version = VersionField()
    advice = forms.CharField(
        label="Your advice and information for the review",
        help_text="What the child's progress and needs are now, as your service sees them, and "
        "what should change in the plan, if anything.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter your advice and information for the review."},
    )


class CapacityForm(GovukForm):
    professional = forms.ModelChoiceField(
        label="Psychologist", queryset=None, error_messages={"required": "Choose who."}
    )
    per_week = forms.CharField(
        label="Available assessments a week",
        help_text="For example, 2 or 2.5",
        error_messages={"required": "Enter the available assessments a week."},
    )
    starts_on = date_field("Date it starts")

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
        self.fields["professional"].label_from_instance = lambda u: u.full_name


class LeaveForm(GovukForm):
    professional = forms.ModelChoiceField(
        label="Psychologist", queryset=None, error_messages={"required": "Choose who."}
    )
    starts_on = date_field("First day of leave")
    ends_on = date_field("Last day of leave")

    def __init__(self, *args, professionals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = professionals
        self.fields["professional"].label_from_instance = lambda u: u.full_name


class RuleForm(GovukForm):
    name = forms.CharField(label="Rule", max_length=100, help_text="For example, Looked after")
    description = forms.CharField(label="What it means", widget=forms.Textarea(attrs={"rows": 2}))
    rank = forms.IntegerField(
        label="Rank", help_text="1 is the highest priority", min_value=1, max_value=99
    )


class ScenarioForm(GovukForm):
    name = forms.CharField(
        label="Scenario name", max_length=100, help_text="For example, 2 locum EPs from March"
    )
    extra_per_week = forms.CharField(
        label="Extra assessments a week", help_text="For example, 4 (2 locums at 2 a week each)"
    )
    starts_on = date_field("Date it starts")
    ends_on = date_field("Date it ends (optional)", required=False)


class GoalSeekForm(GovukForm):
    by = date_field("Clear the backlog by")
    starting = date_field("Extra capacity starting (optional)", required=False)

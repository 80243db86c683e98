"""Casework forms: GOV.UK markup, dates typed as DD/MM/YYYY, and the case version each
change was opened at (optimistic locking). The forms only read what was typed; the services
decide what is allowed."""

from django import forms

from everychild.accounts.models import Organisation, User
from everychild.areas.models import DecisionOwner, ReviewConvener
from everychild.casework import selectors
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceKind,
    AdviceRequest,
    CaseException,
    Consultation,
    Decision,
    RequestSource,
)
from everychild.core.dates import HINT as DATE_HINT
from everychild.core.dates import date_field
from everychild.core.forms import GovukForm


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"required": "Open the case again: the form had lost its place."},
        )
        super().__init__(min_value=1, **kwargs)


class CaseStepForm(GovukForm):
    """A step on a case: carries the version of the case the form was opened at."""

    version = VersionField()


def _radios(label, choices, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose {label[0].lower()}{label[1:]}".rstrip("?.") + ".",
            "invalid_choice": "Choose one of the options listed.",
        },
        **kwargs,
    )


class RequestForm(GovukForm):
    source = _radios("Who made the request?", RequestSource.choices)
    requested_by = forms.CharField(
        label="Name and role of the person who made it",
        help_text="For example, Jo Smith, SENCO at Oakfield Primary",
        max_length=200,
        error_messages={"required": "Enter who made the request."},
    )
    received_on = date_field("Date the request was received")
    reason = forms.CharField(
        label="Why the request was made",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter why the request was made."},
    )
    transferred_in = forms.BooleanField(
        label="The case was transferred in from another local authority",
        help_text="The clock then runs from the date of transfer: enter that as the date received.",
        required=False,
    )
    transferred_from = forms.CharField(
        label="Local authority it came from (if transferred)", max_length=200, required=False
    )


class RequestChangeForm(CaseStepForm):
    source = RequestForm.base_fields["source"]
    requested_by = RequestForm.base_fields["requested_by"]
    received_on = RequestForm.base_fields["received_on"]
    reason = RequestForm.base_fields["reason"]


class ReassessmentForm(GovukForm):
    source = RequestForm.base_fields["source"]
    requested_by = RequestForm.base_fields["requested_by"]
    received_on = date_field("Date the request to re-assess was received")
    reason = RequestForm.base_fields["reason"]


class DecisionForm(CaseStepForm):
    decision = _radios(
        "The decision",
        [
            (Decision.ASSESS, "Assess: carry out an EHC needs assessment"),
            (Decision.NOT_ASSESS, "Do not assess"),
        ],
    )
    decided_on = date_field("Date of the decision")
    reasons = forms.CharField(
        label="Reasons for the decision",
        help_text="These go into the letter to the family.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Enter the reasons for the decision."},
    )


class NotToIssueForm(CaseStepForm):
    decided_on = date_field("Date of the decision")
    reasons = DecisionForm.base_fields["reasons"]


class IssueDecisionForm(CaseStepForm):
    """The decision, once the assessment is complete, whether to issue a plan (decision 0192)."""

    ISSUE, NOT_ISSUE = "issue", "not_issue"
    decision = _radios(
        "The decision",
        [
            (ISSUE, "Issue an EHC plan: special educational provision must be made through one"),
            (NOT_ISSUE, "Do not issue a plan"),
        ],
    )
    decided_on = date_field("Date of the decision")
    reasons = DecisionForm.base_fields["reasons"]


class PanelMeetingForm(GovukForm):
    held_on = date_field("Date of the meeting")
    members = forms.CharField(
        label="Members present",
        help_text="Their names and roles, for example: Sam Lee, head of SEND (chair)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the members present."},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class DecisionOwnersForm(GovukForm):
    """Who records each of a case's three decisions in the area (decision 0192)."""

    assess_decided_by = _radios("Who decides whether to assess?", DecisionOwner.choices)
    issue_decided_by = _radios("Who decides whether to issue a plan?", DecisionOwner.choices)
    final_plan_issued_by = _radios(
        "Who issues the final plan, once the decision to issue is made?", DecisionOwner.choices
    )
    reviews_convened_by = _radios(
        "Who convenes the annual reviews of children at school or college?",
        ReviewConvener.choices,
    )


class AdviceRequestsForm(CaseStepForm):
    """Advice asked of several bodies in one go: a row per kind of advice (reg 6(1)), each
    list holding only the organisations that can give that kind, the setting's row starting
    at the child's own setting. A row whose body is left as "Do not ask now" is not sent."""

    ASK_NOBODY = "Do not ask now"

    def __init__(self, *args, area=None, child=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = selectors.advice_organisations(area)
        self.row_names = []
        for kind, label in AdviceKind.choices:
            what = label[0].lower() + label[1:]
            choices = organisations.filter(kind__in=list(kinds[kind]))
            self.fields[f"{kind}-organisation"] = forms.ModelChoiceField(
                label=f"Who to ask for {what}",
                queryset=choices,
                required=False,
                empty_label=self.ASK_NOBODY,
                error_messages={"invalid_choice": f"Choose who to ask for {what} from the list."},
            )
            self.fields[f"{kind}-received_by_body_on"] = date_field(
                f"Date the request for {what} was sent", required=False
            )
            self.row_names.append((kind, label))
        # The setting's own advice is asked of the setting the child attends (reg 6(1)(b)).
        setting = getattr(child, "current_setting", None)
        education = self.fields["education-organisation"].queryset
        if setting is not None and not self.is_bound and education.filter(pk=setting.pk).exists():
            self.initial["education-organisation"] = setting.pk

    def rows(self):
        """(kind, label, organisation field, date field) for the template, one per row."""
        return [
            (kind, label, self[f"{kind}-organisation"], self[f"{kind}-received_by_body_on"])
            for kind, label in self.row_names
        ]

    def clean(self):
        data = super().clean()
        chosen = 0
        for kind, label in self.row_names:
            organisation = data.get(f"{kind}-organisation")
            date_name = f"{kind}-received_by_body_on"
            if organisation is None:
                continue
            chosen += 1
            if data.get(date_name) is None and date_name not in self.errors:
                what = label[0].lower() + label[1:]
                self.add_error(date_name, f"Enter the date the request for {what} was sent.")
        if not chosen and not self.errors:
            raise forms.ValidationError(
                "Choose at least one body to ask for advice.", code="required"
            )
        if not self.errors:
            data["requests"] = self.requests()
        return data

    def requests(self) -> list[dict]:
        """The rows to send, as `services.request_advice_from_several` takes them."""
        data = self.cleaned_data
        return [
            {
                "row": kind,
                "kind": kind,
                "organisation": data[f"{kind}-organisation"],
                "received_by_body_on": data[f"{kind}-received_by_body_on"],
            }
            for kind, _label in self.row_names
            if data.get(f"{kind}-organisation") is not None
        ]


class AdviceProvidedForm(CaseStepForm):
    provided_on = date_field("Date the advice was received")


class AdviceCancelForm(CaseStepForm):
    cancelled_on = date_field("Date it stopped being needed")
    reason = forms.CharField(
        label="Why it is no longer needed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the advice is no longer needed."},
    )


class ExceptionForm(CaseStepForm):
    regulation = _radios("Which exception applies?", CaseException.Regulation.choices)
    advice = forms.ModelChoiceField(
        label="The request for advice it applies to (reg 8(2) only)",
        queryset=AdviceRequest.objects.none(),
        required=False,
        empty_label="Not about one piece of advice",
    )
    starts_on = date_field("Date the circumstances began")
    ends_on = date_field(
        "Date they ended (if they have)",
        required=False,
        hint="Leave empty if they continue. An absence must last 4 weeks or more. " + DATE_HINT,
    )
    reason = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter the reason for the exception."},
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advice"].queryset = case.advice_requests.select_related("organisation")
        self.fields["advice"].label_from_instance = lambda a: (
            f"{a.get_kind_display()} from {a.organisation.name}"
        )


class ExceptionEndForm(CaseStepForm):
    ends_on = date_field("Date the circumstances ended")


class CoronavirusReasonForm(CaseStepForm):
    """SI 2020/471: whether a reason relating to coronavirus made a 2020 limit impractical."""

    had_reason = _radios(
        "Did a reason relating to coronavirus make it impractical to meet the limit?",
        [
            ("yes", "Yes, or we cannot tell: the easement applies"),
            ("no", "No: the usual limit stands"),
        ],
    )


class DraftForm(CaseStepForm):
    served_on = date_field(
        "Date the draft plan was served",
        hint="The family's 15 days to comment begin on this day. " + DATE_HINT,
    )


class FamilyAgreementForm(CaseStepForm):
    agreed_on = date_field("Date the family agreed")


class ConsultationForm(CaseStepForm):
    setting = forms.ModelChoiceField(
        label="School, college or setting consulted",
        queryset=Organisation.objects.none(),
        empty_label="Choose a setting",
        error_messages={"required": "Choose the school, college or setting to consult."},
    )
    sent_on = date_field("Date the consultation was sent")

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = selectors.consultation_settings(area)


class ConsultationAnswerForm(CaseStepForm):
    answered_on = date_field("Date the setting answered")
    outcome = _radios("Their answer", Consultation.Outcome.choices)


class FinalPlanForm(CaseStepForm):
    issued_on = date_field("Date the final plan was issued")


class WithdrawForm(CaseStepForm):
    withdrawn_on = date_field("Date the request was withdrawn")
    reason = forms.CharField(
        label="Why it was withdrawn",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter why the request was withdrawn."},
    )


class AllocateForm(CaseStepForm):
    caseworker = forms.ModelChoiceField(
        label="Caseworker",
        queryset=User.objects.none(),
        empty_label="Choose a caseworker",
        error_messages={"required": "Choose a caseworker."},
    )

    def __init__(self, *args, area_ids=(), child_name="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = selectors.casework_staff(area_ids)
        self.fields["caseworker"].label_from_instance = lambda u: u.full_name or u.email
        if child_name:  # one row of the team page's many: say whose case the error is on
            self.fields["caseworker"].error_messages["required"] = (
                f"Choose a caseworker for {child_name}."
            )


class ReallocateForm(GovukForm):
    """A manager's choice of several cases and the caseworker who takes them over."""

    cases = forms.MultipleChoiceField(
        label="Cases to reallocate",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        error_messages={
            "required": "Choose at least one case to reallocate.",
            "invalid_choice": "Choose cases from the list: one is no longer open in your area.",
        },
    )
    caseworker = forms.ModelChoiceField(
        label="New caseworker",
        queryset=User.objects.none(),
        empty_label="Choose a caseworker",
        error_messages={"required": "Choose the caseworker who takes the cases over."},
    )

    def __init__(self, *args, rows=(), area_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [
            (str(row.case.pk), f"{row.case.child_name}, {row.case.reference}") for row in rows
        ]
        self.fields["caseworker"].queryset = selectors.casework_staff(area_ids)
        self.fields["caseworker"].label_from_instance = lambda u: u.full_name or u.email


class LetterSentForm(CaseStepForm):
    sent_on = date_field("Date the letter was sent")


class NoteForm(GovukForm):
    text = forms.CharField(
        label="Add a note",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={
            "required": "Enter the note.",
            "max_length": "The note must be 5,000 characters or fewer.",
        },
    )


class UploadForm(GovukForm):
    title = forms.CharField(
        label="Title (optional)",
        help_text="For example, Parent's views, or EP report",
        max_length=200,
        required=False,
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document (.docx), JPEG or PNG, smaller than 10 MB",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty.",
            "invalid": "Choose a file to upload.",
        },
    )


class CaseloadForm(forms.Form):
    """The caseload's filters and order (GET): unknown values are ignored, not errors."""

    show = forms.ChoiceField(
        label="Cases", choices=list(selectors.SHOW_CHOICES.items()), required=False
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("", "Any stage")] + [(s.value, s.label) for s in OPEN_STAGES],
        required=False,
    )
    status = forms.ChoiceField(
        label="Next legal date",
        choices=[("", "Any")] + list(selectors.STATUS_CHOICES.items()),
        required=False,
    )
    sort = forms.ChoiceField(
        label="Order by", choices=list(selectors.SORT_CHOICES.items()), required=False
    )
    q = forms.CharField(
        label="Name, UPN, date of birth or reference",
        max_length=100,
        required=False,
    )


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Search by name, UPN, date of birth or case reference",
        help_text="For example, Ada Lovelace, A123456789012, 10/12/2015 or 839/2025/00012",
        max_length=100,
        required=False,
        error_messages={"max_length": "Your search must be 100 characters or fewer."},
    )


class BreachFilterForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        choices=[
            ("at_risk", "At risk: not yet missed"),
            ("missed", "Already past the limit"),
            ("all", "Both"),
        ],
        required=False,
    )


class TasksForm(forms.Form):
    """My tasks' filters (GET): unknown values are ignored, not errors. `caseworker` is only
    offered to team managers (an id, "all" or "unallocated")."""

    kind = forms.ChoiceField(label="Kind of task", required=False)
    caseworker = forms.ChoiceField(label="Whose tasks", required=False)

    def __init__(self, *args, kinds: dict, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds")] + list(kinds.items())
        if staff is None:
            del self.fields["caseworker"]
        else:
            self.fields["caseworker"].choices = (
                [("", "Mine"), ("all", "Everyone, by caseworker")]
                + [(str(person.pk), person.full_name) for person in staff]
                + [("unallocated", "Not yet allocated")]
            )

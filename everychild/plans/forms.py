"""Plan forms: GOV.UK markup, dates typed as DD/MM/YYYY. The forms read what was typed; the
services decide what is allowed."""

from django import forms

from everychild.accounts.models import SETTING_KINDS, Organisation
from everychild.children.codes import NeedType
from everychild.core.dates import EXAMPLE as DATE_EXAMPLE
from everychild.core.dates import HINT as DATE_HINT
from everychild.core.dates import date_field
from everychild.core.forms import GovukForm, VersionField, length_message
from everychild.core.wording import long_date
from everychild.plans.models import (
    CeaseReason,
    Disagreement,
    MediationAgreement,
    PhaseTransfer,
    PlanVersion,
    ReviewDecision,
    ReviewInvitee,
    SettingCode,
    TribunalOrder,
    TribunalRecommendation,
)
from everychild.plans.services.reviews import invitable_services


def _text(label, *, rows=4, required=True, help_text="", max_length=5000, what=None):
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


class DraftForm(GovukForm):
    """A change to a draft: carries the draft's lock version (optimistic locking)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SectionAForm(DraftForm):
    text = _text(
        "Views, interests and aspirations",
        rows=10,
        max_length=20000,
        help_text="In the child's and family's own words, where they can be used.",
        what="the views, interests and aspirations",
    )


class NeedTypesForm(DraftForm):
    form_name = "types"
    button = "Save the types of need"
    primary_need = forms.ChoiceField(
        label="Primary type of need",
        choices=[("", "Choose the primary need"), *NeedType.choices],
        error_messages={"required": "Choose the primary type of need."},
    )
    secondary_need = forms.ChoiceField(
        label="Secondary type of need (if any)",
        choices=[("", "None"), *NeedType.choices],
        required=False,
    )


class NeedForm(DraftForm):
    form_name = "need"
    button = "Add the need"
    text = _text("Describe the need", rows=3, what="the need")


def _choices_field(label, required=False):
    return forms.MultipleChoiceField(
        label=label, choices=[], required=required, widget=forms.CheckboxSelectMultiple
    )


class OutcomeForm(DraftForm):
    text = _text("Outcome", rows=3, what="the outcome")
    needs = _choices_field("Needs it answers")
    by_when = date_field("By when", required=False, hint="For example, 31/7/2027")
    measured_by = _text("How it will be measured", rows=2, required=False)

    def __init__(self, *args, need_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = list(need_choices)


class ProvisionForm(DraftForm):
    what = _text("What the provision is", rows=3, what="what the provision is")
    how_often = forms.CharField(
        label="How often",
        max_length=500,
        required=False,
        help_text="Specific and quantified, for example 3 sessions of 30 minutes a week",
    )
    how_long = forms.CharField(label="For how long", max_length=500, required=False)
    by_whom = forms.CharField(label="By whom", max_length=500, required=False)
    qualification = forms.CharField(label="With what qualification", max_length=500, required=False)
    outcomes = _choices_field("Outcomes it works towards")

    def __init__(self, *args, outcome_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcomes"].choices = list(outcome_choices)


class PlacementForm(DraftForm):
    setting = forms.ModelChoiceField(
        label="School, college or setting",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None: use a setting code",
    )
    setting_code = forms.ChoiceField(
        label="SEN2 setting code (where there is no school or setting)",
        choices=[("", "None"), *SettingCode.choices],
        required=False,
    )
    setting_type = forms.CharField(label="Type of setting", max_length=200, required=False)

    def __init__(self, *args, area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting"].queryset = Organisation.objects.filter(
            area_id=area_id, kind__in=SETTING_KINDS, is_active=True
        ).order_by("name")


class BudgetForm(DraftForm):
    requested = forms.BooleanField(label="A personal budget was requested", required=False)
    text = _text("What the budget is for and how it is managed", rows=3, required=False)
    amount = forms.CharField(label="Amount", max_length=100, required=False)


class IssueForm(DraftForm):
    issued_on = date_field("Date the amended plan was issued")


class AmendForm(GovukForm):
    reason = _radios(
        "Why is the plan being amended?",
        [
            (r.value, r.label)
            for r in PlanVersion.Reason
            if r not in (PlanVersion.Reason.NEW_PLAN, PlanVersion.Reason.HISTORICAL)
        ],
    )


class ReviewMeetingForm(GovukForm):
    version = VersionField()
    meeting_on = date_field("Date of the review meeting")
    invitations_sent_on = date_field(
        "Date invitations were sent",
        required=False,
        hint="At least 2 weeks before the meeting (reg 20(3)).",
    )
    advice_circulated_on = date_field(
        "Date advice was circulated",
        required=False,
        hint="At least 2 weeks before the meeting (reg 20(4)).",
    )
    attendees = _text("Who attended", rows=2)
    views_summary = _text("The child's and family's views", rows=4)
    progress_summary = _text("Progress towards the outcomes", rows=4)
    recommendation = _radios("What does the meeting recommend?", ReviewDecision.choices)
    recommended_changes = _text(
        "Changes recommended to the plan",
        rows=4,
        required=False,
        help_text="Needed if the meeting recommends amending the plan.",
    )
    report_sent_on = date_field(
        "Date the report was sent (if sent)",
        required=False,
        hint="Within 2 weeks of the meeting (reg 20(7)).",
    )


def _service(label):
    return forms.ModelChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not in EveryChild: type the name above",
        help_text="A service in EveryChild sees the invitation on its advice queue and gives "
        "its advice there itself.",
        error_messages={"invalid_choice": "Choose a service from the list."},
    )


class ReviewInvitationsForm(GovukForm):
    """Who is invited to the review meeting (reg 20(2)) and when it will be. Each name left blank
    is someone not invited; the service insists on the family. The professionals' rows offer the
    area's services in EveryChild too (decision 0260)."""

    # (field, role): the people reg 20(2)(a)-(e) names, and anyone else the convener asks.
    PEOPLE = (
        ("parent", ReviewInvitee.Capacity.PARENT),
        ("young_person", ReviewInvitee.Capacity.YOUNG_PERSON),
        ("school", ReviewInvitee.Capacity.SCHOOL),
        ("la_education", ReviewInvitee.Capacity.LA_EDUCATION),
        ("health", ReviewInvitee.Capacity.HEALTH),
        ("social_care", ReviewInvitee.Capacity.SOCIAL_CARE),
        ("ep", ReviewInvitee.Capacity.EDUCATIONAL_PSYCHOLOGY),
        ("other", ReviewInvitee.Capacity.OTHER),
    )

    version = VersionField()
    meeting_on = date_field(
        "Date of the review meeting",
        hint="At least 2 weeks after the invitations are sent (reg 20(3)). For example, 27 3 2025.",
    )
    sent_on = date_field("Date the invitations are sent")
    parent = _text(
        "The child's parent or carer",
        rows=0,
        required=False,
        max_length=200,
        help_text="Their name. The family is always invited (reg 20(2)(a)).",
    )
    young_person = _text(
        "The young person (over compulsory school age)", rows=0, required=False, max_length=200
    )
    school = _text(
        "The school's SEN provider or head teacher", rows=0, required=False, max_length=200
    )
    la_education = _text("The council's SEN officer", rows=0, required=False, max_length=200)
    la_education_service = _service("The council, in EveryChild")
    health = _text(
        "Health care professional",
        rows=0,
        required=False,
        max_length=200,
        help_text="Name and organisation, for example 'Speech and language therapy, Poole "
        "Hospital'.",
    )
    health_service = _service("Health service, in EveryChild")
    social_care = _text("Social care officer", rows=0, required=False, max_length=200)
    social_care_service = _service("Social care service, in EveryChild")
    ep = _text("Educational psychologist", rows=0, required=False, max_length=200)
    ep_service = _service("Educational psychology service, in EveryChild")
    other = _text("Anyone else invited", rows=0, required=False, max_length=200)

    def __init__(self, *args, area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field, role in self.PEOPLE:
            if f"{field}_service" in self.fields:
                self.fields[f"{field}_service"].queryset = invitable_services(area_id, role)

    def invited(self) -> list[tuple]:
        """(role, name) for someone outside the service; (role, name, service) for a service
        in EveryChild, whose name stands when none is typed."""
        found = []
        for field, role in self.PEOPLE:
            name = self.cleaned_data.get(field, "").strip()
            service = self.cleaned_data.get(f"{field}_service")
            if service is not None:
                found.append((role, name, service))
            elif name:
                found.append((role, name))
        return found


class ReviewAdviceForm(GovukForm):
    version = VersionField()
    invitee = forms.TypedChoiceField(
        label="Who gave the advice", coerce=int, choices=(), widget=forms.RadioSelect
    )
    received_on = date_field("Date the advice was received")
    advice = _text("The advice and information given", rows=8)

    def __init__(self, *args, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitee"].choices = [
            (i.pk, f"{i.name} ({i.get_role_display()})") for i in professionals
        ]
        self.fields["invitee"].error_messages["required"] = "Choose who gave the advice."


class ReviewCirculatedForm(GovukForm):
    version = VersionField()
    circulated_on = date_field(
        "Date the advice was sent to everyone invited",
        hint="At least 2 weeks before the meeting (reg 20(4)). For example, 27 3 2025.",
    )


class ReviewReportForm(GovukForm):
    version = VersionField()
    sent_on = date_field(
        "Date the report was sent to the council",
        hint="Within 2 weeks of the meeting (reg 20(7)). For example, 27 3 2025.",
    )


class ReviewDecisionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = _radios("The local authority's decision", ReviewDecision.choices)
    decided_on = date_field(
        "Date of the decision",
        hint="The day the family were told (reg 20(10)): any appeal counts from it. " + DATE_HINT,
    )
    reasons = _text("Reasons for the decision", rows=4)


class AmendmentsSentForm(GovukForm):
    version = VersionField()
    sent_on = date_field("Date the proposed amendments were sent")


class PhaseTransferForm(GovukForm):
    # 0: the page was opened before anything was recorded for this move.
    version = VersionField(min_value=0)
    transfer = _radios(
        "The move",
        PhaseTransfer.Transfer.choices,
        help_text="The six transfers between phases of SEND Regulations 2014 reg 2. Secondary "
        "school to post-16 is due by 30 March, every other by 14 February (reg 18(1)).",
    )
    preferred_setting = forms.CharField(
        label="The family's preferred setting", max_length=200, required=False
    )
    consulted_on = date_field("Date the setting was consulted", required=False)
    named_setting = forms.ModelChoiceField(
        label="Setting named",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not named yet",
    )
    named_on = date_field("Date the setting was named", required=False)

    def __init__(self, *args, area_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_setting"].queryset = Organisation.objects.filter(
            area_id=area_id, kind__in=SETTING_KINDS, is_active=True
        ).order_by("name")


class CeaseForm(GovukForm):
    reason = _radios("Why does the plan cease?", CeaseReason.choices)
    decided_on = date_field("Date of the decision")
    notice_sent_on = date_field(
        "Date notice was sent to the family", hint="The notice must say how to appeal (reg 31)."
    )
    ceases_on = date_field("Date the plan ceases")
    transferred_to = forms.CharField(
        label="Local authority the child moved to (reason 5)", max_length=200, required=False
    )
    explanation = _text("Explanation given to the family", rows=4)


class DisagreementForm(GovukForm):
    """Which decision the family disagree with. The plan's appealable decisions
    (`selectors.appealable_decisions`) are offered by name with the date each was sent, so the
    disagreement carries the same date the family portal counts their appeal from (CFA 2014
    s.51(2)); any other decision is described and dated by hand."""

    OTHER = "other"

    decision = _radios("Which decision do they disagree with?", [])
    decision.error_messages["required"] = "Choose the decision the family disagree with."
    decision_disputed = forms.CharField(
        label="If another decision, what was decided",
        max_length=200,
        required=False,
        error_messages={"required": "Enter what was decided."},
    )
    decision_letter_on = date_field("If another decision, the date of its letter", required=False)
    decision_letter_on.error_messages.update(
        required="Enter the date of the decision letter.",
        invalid=f"Enter the date of the decision letter as a real date, like {DATE_EXAMPLE}.",
    )

    def __init__(self, *args, decisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.decisions = {str(i): d for i, d in enumerate(decisions)}
        self.fields["decision"].choices = [
            *(
                (key, f"{d.what[0].upper()}{d.what[1:]}, sent {long_date(d.sent_on)}")
                for key, d in reversed(self.decisions.items())
            ),
            (self.OTHER, "Another decision"),
        ]

    def clean(self):
        data = super().clean()
        chosen = self.decisions.get(data.get("decision"))
        if chosen is not None:
            data["decision_disputed"] = f"{chosen.what[0].upper()}{chosen.what[1:]}"
            data["decision_letter_on"] = chosen.sent_on
        elif data.get("decision") == self.OTHER:
            for name in ("decision_disputed", "decision_letter_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
        data.pop("decision", None)
        return data


class DisagreementUpdateForm(GovukForm):
    mediation_adviser_contacted_on = date_field(
        "Family contacted the mediation adviser", required=False
    )
    mediation_certificate_on = date_field("Mediation certificate issued", required=False)
    mediation_wanted_la_told_on = date_field("LA told the family wants mediation", required=False)
    mediation_held_on = date_field("Mediation held", required=False)
    appeal_registered_on = date_field("Appeal registered with the Tribunal", required=False)
    conceded_on = date_field("LA told the Tribunal it will not oppose (conceded)", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Not yet"), *Disagreement.Outcome.choices]
    )
    outcome_on = date_field("Date of the outcome", required=False)
    notes = _text("Notes", rows=3, required=False)
    version = VersionField()


class TribunalOrderForm(GovukForm):
    kind = _radios("What was ordered (or conceded)?", TribunalOrder.Kind.choices)
    ordered_on = date_field("Date of the order (or of the LA's notice, if conceded)")


class NotAmendingForm(GovukForm):
    version = VersionField()
    decided_on = date_field(
        "Date the family was told the plan will not be amended",
        hint="Within 8 weeks of sending the proposed amendments (reg 22(4)).",
    )
    reasons = _text("Reasons given to the family", rows=4, what="the reasons given to the family")


class TransferInForm(GovukForm):
    # 0: the page was opened before anything was recorded for this transfer.
    version = VersionField(min_value=0)
    from_authority = forms.CharField(
        label="Council the plan came from",
        max_length=200,
        error_messages={"required": "Enter the council the plan came from."},
    )
    moved_on = date_field("Date the child moved into the area")
    old_authority_aware_on = date_field(
        "Date the old council learned of the move",
        required=False,
        hint="If it learned less than 15 working days before the move, it has 15 working days "
        "from then (reg 15).",
    )
    plan_transferred_on = date_field("Date the plan was transferred to us", required=False)
    family_notified_on = date_field(
        "Date we told the family whether we will assess and when we will review",
        required=False,
        hint="Within 6 weeks of the transfer (reg 15).",
    )
    health_body_aware_on = date_field(
        "Date the old health commissioning body learned of the move",
        required=False,
        hint="Only if the health commissioning body changes (reg 16).",
    )
    new_health_body = forms.CharField(
        label="New health commissioning body", max_length=200, required=False
    )
    health_body_notified_on = date_field(
        "Date the new health body was told",
        required=False,
        hint="Within 15 working days of the old body learning of the move (reg 16).",
    )


class Post16MoveForm(GovukForm):
    version = VersionField(min_value=0)
    moving_to = forms.CharField(
        label="Where the young person is moving to",
        max_length=200,
        error_messages={"required": "Enter where the young person is moving to."},
    )
    move_on = date_field(
        "Date of the move",
        hint="The plan must be reviewed and amended at least 5 months before (reg 18(2)).",
    )


class MediationAgreementForm(GovukForm):
    version = VersionField(min_value=0)
    kind = _radios("What was agreed at mediation?", MediationAgreement.Kind.choices)
    agreed_on = date_field("Date of the agreement")
    what = _text("What was agreed", rows=3, what="what was agreed")
    notified_on = date_field("Family told of the decision to assess", required=False)
    decision_not_to_issue_on = date_field("Decided not to issue a plan", required=False)
    draft_plan_issued_on = date_field("Draft plan issued", required=False)
    final_plan_issued_on = date_field("Final plan issued", required=False)
    amended_plan_issued_on = date_field("Amended plan issued", required=False)
    done_on = date_field("Agreed action done (something else)", required=False)


class RecommendationForm(GovukForm):
    body = _radios("Who is the recommendation to?", TribunalRecommendation.Body.choices)
    body_name = forms.CharField(
        label="Name of the body",
        max_length=200,
        help_text="For example, NHS Dorset",
        error_messages={"required": "Enter the name of the body."},
    )
    recommendation = _text("What the Tribunal recommended", rows=3)
    made_on = date_field("Date of the Tribunal's decision")


class RecommendationAnswerForm(GovukForm):
    version = VersionField()
    answered_on = date_field("Date the body answered")
    answer = _text("What the body will do, and why", rows=3, what="what the body answered")


class SuggestionDecisionForm(DraftForm):
    """Accept or reject one suggestion from structured advice (the buttons on the panel)."""

    advice_item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("reject", "Reject")], widget=forms.HiddenInput
    )


class EditNeedSuggestionForm(DraftForm):
    text = _text("The need", rows=5, what="the need")


class EditOutcomeSuggestionForm(DraftForm):
    text = _text("The outcome", rows=4, what="the outcome")
    measured_by = forms.CharField(label="How it will be measured", max_length=5000, required=False)


class EditProvisionSuggestionForm(DraftForm):
    what = _text("What the provision is", rows=3, what="what the provision is")
    how_often = forms.CharField(
        label="How often",
        max_length=500,
        required=False,
        help_text="Specific and quantified, for example 3 sessions of 30 minutes a week",
    )
    how_long = forms.CharField(label="For how long", max_length=500, required=False)
    by_whom = forms.CharField(label="By whom", max_length=500, required=False)
    qualification = forms.CharField(label="With what qualification", max_length=500, required=False)


EDIT_SUGGESTION_FORMS = {
    "need": EditNeedSuggestionForm,
    "outcome": EditOutcomeSuggestionForm,
    "provision": EditProvisionSuggestionForm,
}

"""The family portal's forms: GOV.UK markup, plain English, one question per page where it
helps. Forms read what was typed; the services decide what is allowed."""

from __future__ import annotations

import datetime as dt

from django import forms

from everychild.children import validators
from everychild.children.models import FamilyLink
from everychild.core.dates import DateField
from everychild.core.forms import GovukForm
from everychild.families.models import PLAN_SECTIONS, VIEWS_QUESTIONS, Invitation, PublicRequest
from everychild.statutory import ages as age


class HoneypotMixin(forms.Form):
    """A field people never see (hidden from screen readers too); robots fill it in."""

    website = forms.CharField(required=False, label="Leave this empty")

    def robot(self) -> bool:
        return bool(self.data.get("website"))


def _date(label: str) -> DateField:
    what = label[0].lower() + label[1:]
    return DateField(
        label=label,
        help_text="For example, 27/3/2015",
        error_messages={
            "required": f"Enter {what}.",
            "invalid": f"Enter {what} as a real date, like 27/3/2015.",
        },
    )


class ChildStepForm(HoneypotMixin, GovukForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={
            "required": "Enter the child or young person's first name.",
            "max_length": "The first name must be 100 characters or fewer.",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={
            "required": "Enter the child or young person's last name.",
            "max_length": "The last name must be 100 characters or fewer.",
        },
    )
    date_of_birth = _date("Date of birth")
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=8,
        help_text="Where they live. For example, BH1 1AA",
        error_messages={"max_length": "A postcode is 8 characters or fewer, like BH1 1AA."},
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > dt.date.today():
            raise forms.ValidationError("The date of birth must be in the past.")
        try:
            validators.validate_date_of_birth(born)
        except forms.ValidationError:
            raise forms.ValidationError(
                "EHC plans are for children and young people up to 25: check the date of birth."
            ) from None
        return born


class YouStepForm(HoneypotMixin, GovukForm):
    relationship = forms.ChoiceField(
        label="Who are you?",
        choices=PublicRequest.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are their parent or the young person."},
    )
    contact_name = forms.CharField(
        label="Your full name",
        max_length=200,
        error_messages={"required": "Enter your full name."},
    )
    contact_email = forms.EmailField(
        label="Your e-mail address",
        help_text="We will send the reference number here. We never put the child's or young "
        "person's name in an e-mail.",
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
    )
    contact_phone = forms.CharField(
        label="Your phone number (optional)", required=False, max_length=30
    )

    def __init__(self, *args, date_of_birth: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_of_birth = date_of_birth

    def clean(self):
        data = super().clean()
        if (
            data.get("relationship") == PublicRequest.Relationship.YOUNG_PERSON
            and self.date_of_birth is not None
            and not age.over_compulsory_school_age(self.date_of_birth, dt.date.today())
        ):
            self.add_error(
                "relationship",
                "You said you are the young person, but the date of birth you gave is of "
                "someone of school age. A parent or carer must ask for them, or change the "
                "date of birth.",
            )
        return data


class SettingStepForm(HoneypotMixin, GovukForm):
    setting_name = forms.CharField(
        label="Which school, college or nursery do they go to? (optional)",
        required=False,
        max_length=200,
        help_text="Leave this empty if they do not go to one.",
        error_messages={"max_length": "The name must be 200 characters or fewer."},
    )


class WhyStepForm(HoneypotMixin, GovukForm):
    reason = forms.CharField(
        label="Why are you asking for an assessment?",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text="Tell us about their needs and what help they get now. You do not need "
        "any reports.",
        error_messages={
            "required": "Tell us why you are asking for an assessment.",
            "max_length": "Your answer must be 5,000 characters or fewer.",
        },
    )


class ConsentStepForm(HoneypotMixin, GovukForm):
    consent = forms.BooleanField(
        label="I agree that the council may share this request with the people it needs to "
        "ask for advice, such as the school, health services and educational psychologists",
        error_messages={"required": "Tick the box to agree, or we cannot do the assessment."},
    )


STEPS = {
    "child": (ChildStepForm, "About the child or young person"),
    "you": (YouStepForm, "About you"),
    "setting": (SettingStepForm, "Their school, college or nursery"),
    "why": (WhyStepForm, "Why you are asking"),
    "consent": (ConsentStepForm, "Sharing information"),
}


class AcceptInvitationForm(GovukForm):
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        help_text="Use at least 12 characters. A few words you will remember is a good choice.",
        error_messages={"required": "Create a password."},
    )
    password_again = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )
    email_code = forms.BooleanField(
        label="Also send me a code by e-mail each time I sign in (more secure)",
        required=False,
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password")
            and data.get("password_again")
            and data["password"] != data["password_again"]
        ):
            self.add_error("password_again", "The two passwords are not the same.")
        return data


class EmailCodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=6,
        help_text="The 6 numbers we e-mailed to you. The code works for 10 minutes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Enter the code from the e-mail."},
    )


class InvitationForm(GovukForm):
    kind = forms.ChoiceField(
        label="Who are you inviting?",
        choices=Invitation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who you are inviting."},
    )
    full_name = forms.CharField(
        label="Their full name", max_length=200, error_messages={"required": "Enter their name."}
    )
    email = forms.EmailField(
        label="Their e-mail address",
        error_messages={
            "required": "Enter their e-mail address.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
    )
    relationship = forms.ChoiceField(
        label="How are they related to the child? (parents and carers only)",
        choices=[("", "Choose")] + list(FamilyLink.Relationship.choices),
        required=False,
    )


class ViewsForm(GovukForm):
    """One page of views: the child's questions or the parent's (VIEWS_QUESTIONS)."""

    def __init__(self, *args, kind: str = "child", **kwargs):
        super().__init__(*args, **kwargs)
        for name, (question, hint) in VIEWS_QUESTIONS[kind].items():
            self.fields[name] = forms.CharField(
                label=question,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=hint,
                # The headings ("About me") are not names for an answer.
                error_messages={
                    "max_length": f"Your answer for “{question}” must be 5,000 characters or fewer."
                },
            )


class AttachmentForm(GovukForm):
    file = forms.FileField(
        label="Add a picture or document (optional)",
        help_text="A PDF, a Word document (.docx), a JPEG or a PNG, smaller than 10 MB.",
        error_messages={"required": "Choose a file to add."},
    )


class DraftResponseForm(GovukForm):
    wants_meeting = forms.BooleanField(
        label="I would like a meeting to talk about the draft plan", required=False
    )
    preferred_setting = forms.CharField(
        label="The school, college or setting you would like named in the plan (optional)",
        required=False,
        max_length=200,
        help_text="You have the right to ask for a particular school or college.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for letter, title in PLAN_SECTIONS.items():
            self.fields[f"section_{letter}"] = forms.CharField(
                label=f"Section {letter}: {title}",
                required=False,
                max_length=5000,
                error_messages={
                    "max_length": f"Your comments on section {letter} must be 5,000 characters "
                    "or fewer."
                },
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def section_fields(self):
        return [self[f"section_{letter}"] for letter in PLAN_SECTIONS]

    def comments(self) -> dict:
        return {
            letter: self.cleaned_data.get(f"section_{letter}", "")
            for letter in PLAN_SECTIONS
            if self.cleaned_data.get(f"section_{letter}")
        }


class MessageForm(GovukForm):
    body = forms.CharField(
        label="Your message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Do not include bank details or passwords.",
        error_messages={
            "required": "Write your message.",
            "max_length": "Your message must be 5,000 characters or fewer.",
        },
    )


class SupportViewsForm(GovukForm):
    """Views on a support plan, sent to the setting. A young person is asked as "you"."""

    def __init__(self, *args, own: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child_words"] = forms.CharField(
            label="What you want to say" if own else "What your child says",
            help_text="What is going well, what is hard, what would help."
            if own
            else "In your child's own words, if they want to say something.",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields["family_words"] = forms.CharField(
            label="Anything else you want the school to know"
            if own
            else "What you want the school to know",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )

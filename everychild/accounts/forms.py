from django import forms
from django.contrib.auth import authenticate

from everychild.core.digits import ascii_digits
from everychild.core.forms import GovukForm

# One message for every failure, so the form never says whether an address has an account.
GENERIC_SIGN_IN_ERROR = "Enter a correct e-mail address and password."


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        # As the forgotten password page says it (GOV.UK error messages say what to do), not
        # Django's "This field is required."
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password."},
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            # django-axes counts failures by address and account and raises when locked out.
            self.user = authenticate(self.request, username=email.lower(), password=password)
            if self.user is None:
                raise forms.ValidationError(GENERIC_SIGN_IN_ERROR, code="invalid_login")
        return cleaned


class TokenForm(GovukForm):
    token = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code, with no spaces.",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not ascii_digits(token):
            raise forms.ValidationError("The code is 6 digits, like 123456.", code="format")
        return token


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, the name of the system that will use it.",
        max_length=100,
    )
    days = forms.IntegerField(
        label="How many days should it work?",
        help_text="Leave empty for 90 days. At most 365.",
        required=False,
        min_value=1,
        max_value=365,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class EnrolmentCodeForm(GovukForm):
    code = forms.CharField(
        label="Enrolment code",
        help_text="The 12-character code from the e-mail or from your administrator, like "
        "ABCD-EFGH-JKLM.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "characters",
            }
        ),
    )


class PasswordResetForm(GovukForm):
    email = forms.EmailField(
        label="E-mail address",
        help_text="The address you sign in with.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
    )


class NewPasswordForm(GovukForm):
    password = forms.CharField(
        label="New password",
        strip=False,
        help_text="Use at least 12 characters. A few words you will remember is a good choice.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password."},
    )
    password_again = forms.CharField(
        label="Type the new password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the new password again."},
    )

    def clean(self):
        data = super().clean()
        first, again = data.get("password"), data.get("password_again")
        if first and again and first != again:
            self.add_error("password_again", "The two passwords are not the same.")
        return data

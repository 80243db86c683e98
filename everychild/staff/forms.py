from django import forms

from everychild.access.staffing import all_grantable_roles
from everychild.core.forms import GovukForm, VersionField
from everychild.staff.selectors import STATUSES
from everychild.staff.services import ADDABLE_KINDS


class _OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


def _roles_field(label):
    return forms.MultipleChoiceField(
        label=label,
        choices=all_grantable_roles(),
        widget=forms.CheckboxSelectMultiple,
        help_text="A school or setting has SENCOs; an agency its own roles and administrators.",
        error_messages={"required": "Choose at least one role."},
    )


class InviteForm(GovukForm):
    full_name = forms.CharField(
        label="Their full name",
        max_length=200,
        error_messages={"required": "Enter their full name."},
    )
    email = forms.EmailField(
        label="Their work e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter their e-mail address.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
    )
    organisation = _OrganisationChoice(
        label="Organisation they work for",
        queryset=None,
        error_messages={"required": "Choose the organisation they work for."},
    )
    roles = _roles_field("Roles")

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.filter(is_active=True)


class ChangeRolesForm(GovukForm):
    organisation = _OrganisationChoice(
        label="Organisation they work for",
        queryset=None,
        error_messages={"required": "Choose the organisation they work for."},
    )
    roles = _roles_field("Roles")
    version = VersionField()

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.filter(is_active=True)


class VersionForm(GovukForm):
    version = VersionField()


class FilterForm(GovukForm):
    q = forms.CharField(label="Name or e-mail address", required=False, max_length=200)
    organisation = _OrganisationChoice(label="Organisation", queryset=None, required=False)
    role = forms.ChoiceField(label="Role", required=False)
    status = forms.ChoiceField(
        label="Account",
        required=False,
        choices=[("", "Any"), *((key, key.capitalize()) for key in STATUSES)],
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = "Any"
        self.fields["role"].choices = [("", "Any"), *all_grantable_roles()]


class OrganisationForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter its name."}
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        choices=[("", "Choose"), *((kind.value, kind.label) for kind in ADDABLE_KINDS)],
        error_messages={"required": "Choose what kind of organisation it is."},
    )
    urn = forms.CharField(label="URN (schools and settings)", required=False, max_length=6)
    ukprn = forms.CharField(label="UKPRN (colleges and providers)", required=False, max_length=8)


class OrganisationEditForm(OrganisationForm):
    version = VersionField()


class AcceptForm(GovukForm):
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Use at least 12 characters. A few words you will remember is a good choice.",
        error_messages={"required": "Create a password."},
    )
    password_again = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again."},
    )

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "The two passwords are not the same.")
        return data

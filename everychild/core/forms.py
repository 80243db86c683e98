"""Forms that render with GOV.UK Design System markup and error summaries."""

import re

from django import forms

from everychild.core.dates import DateInput
from everychild.core.prose import thousands

_ASIDE = re.compile(r"\s*\([^)]*\)$")


def too_long(field, name: str) -> str:
    """GOV.UK's "[whatever it is] must be [number] characters or fewer", the number grouped
    ("5,000"): Django's own "Ensure this value has at most 5000 characters (it has 5123)." names
    nothing in the error summary and ungroups the number. The label names the answer, less any
    "(optional)"; a question's answer is "Your answer"."""
    label = _ASIDE.sub("", str(field.label or name.replace("_", " ").capitalize()))
    return length_message("Your answer" if label.endswith("?") else label, field.max_length)


def length_message(what: str, max_length: int) -> str:
    """The refusal of too long an answer, `what` naming it: "The need must be 5,000 characters
    or fewer." for "the need"."""
    return f"{what[0].upper()}{what[1:]} must be {thousands(max_length)} characters or fewer."


def say_lengths_plainly(form) -> None:
    """Give every text field of `form` without its own message for too long an answer the
    GOV.UK one. Done when the form is cleaned, so fields added in a form's __init__ get it."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or not field.max_length:
            continue
        if "max_length" not in field.error_messages:
            field.error_messages["max_length"] = too_long(field, name)


class GovukForm(forms.Form):
    """A form whose errors are listed in a GOV.UK error summary, each linked to its field."""

    def full_clean(self):
        say_lengths_plainly(self)
        super().full_clean()

    def error_summary(self) -> list[dict]:
        items = []
        for name, errors in self.errors.items():
            anchor = field_anchor(self, name)
            for message in errors:
                items.append({"href": anchor, "text": message})
        return items


def field_anchor(form, name: str) -> str:
    """Where an error summary's link for `name` lands: the field's own input, the FIRST radio
    or checkbox of a group (GOV.UK error summary pattern: a fieldset cannot take focus, and
    Django gives the group's inputs ids ending _0, _1…), and, for an error of the whole form or
    of a hidden field, the first field a person can see."""
    visible = [n for n, f in form.fields.items() if not f.widget.is_hidden]
    if name not in form.fields or form.fields[name].widget.is_hidden:
        if not visible:
            return f"#{form[next(iter(form.fields))].auto_id}" if form.fields else "#main-content"
        name = visible[0]
    bound = form[name]
    if isinstance(bound.field.widget, DateInput):  # GOV.UK date input: its day box
        return f"#{bound.auto_id}-day"
    if isinstance(bound.field.widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        subwidgets = bound.subwidgets
        if subwidgets:
            return f"#{subwidgets[0].id_for_label}"
    return f"#{bound.auto_id}"


class VersionField(forms.IntegerField):
    """The version of the record the form was opened at (core.locking), carried hidden."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"required": "Open the page again: the form had lost its place."},
        )
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class GovukModelForm(forms.ModelForm):
    error_summary = GovukForm.error_summary

    def full_clean(self):
        say_lengths_plainly(self)
        super().full_clean()


def apply_errors(form, error) -> None:
    """Put a service's refusal (a ValidationError) on the form: each message by its field when
    the form has that field, otherwise at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)

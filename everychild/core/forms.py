"""Forms that render with GOV.UK Design System markup and error summaries."""

from django import forms


class GovukForm(forms.Form):
    """A form whose errors are listed in a GOV.UK error summary, each linked to its field."""

    def error_summary(self) -> list[dict]:
        items = []
        for name, errors in self.errors.items():
            # add_prefix: a page with several forms prefixes each one's fields (and ids).
            field = name if name != "__all__" else next(iter(self.fields), "")
            anchor = f"#id_{self.add_prefix(field)}"
            for message in errors:
                items.append({"href": anchor, "text": message})
        return items


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

"""Template helpers for GOV.UK Design System markup."""

from django import forms, template

register = template.Library()


@register.inclusion_tag("core/field.html")
def govuk_field(field, label_size="s", width=""):
    widget = field.field.widget
    # CheckboxSelectMultiple is a RadioSelect in Django: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        kind = "checkboxes"
    elif isinstance(widget, forms.RadioSelect):
        kind = "radios"
    elif isinstance(widget, forms.CheckboxInput):
        kind = "checkbox"
    elif isinstance(widget, forms.Select):
        kind = "select"
    elif isinstance(widget, forms.Textarea):
        kind = "textarea"
    elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        kind = "file"
    else:
        kind = "input"
    css = {
        "input": "govuk-input",
        "select": "govuk-select",
        "textarea": "govuk-textarea",
        "file": "govuk-file-upload",
    }.get(kind, "")
    if field.errors and css:
        css += f" {css}--error"
    if width and kind == "input":
        css += f" govuk-input--width-{width}"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs = {"class": css} if css else {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return {
        "field": field,
        "kind": kind,
        "widget_html": field.as_widget(attrs=attrs) if kind not in {"radios", "checkboxes"} else "",
        "label_size": label_size,
    }


@register.simple_tag
def status_tag_class(status: str) -> str:
    """The GOV.UK tag colour for a statutory milestone status."""
    return {
        "overdue": "govuk-tag--red",
        "met_late": "govuk-tag--orange",
        "pending": "govuk-tag--blue",
        "met": "govuk-tag--green",
        "exception_applies": "govuk-tag--yellow",
        "not_applicable": "govuk-tag--grey",
    }.get(status, "govuk-tag--grey")

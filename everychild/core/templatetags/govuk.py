"""Template helpers for GOV.UK Design System markup."""

import html
import re

from django import forms, template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from everychild.core.dates import DateField, DateInput, DateParts, spaced
from everychild.core.prose import date_and_time, thousands
from everychild.core.wording import in_sentence, long_date

register = template.Library()


def _date_input(field, label_size):
    """The GOV.UK date input: a fieldset (role group) whose legend is the question, the hint,
    the error, and the day, month and year boxes, each posted as NAME-day, NAME-month and
    NAME-year (core.dates.DateInput reads them). The day box's id is what an error summary's
    link lands on (core.forms.field_anchor)."""
    value = field.value()
    parts = DateParts.of(value) if value not in (None, "") else DateParts()
    widths = {"day": 2, "month": 2, "year": 4}
    boxes = [
        {
            "id": f"{field.auto_id}-{part}",
            "name": f"{field.html_name}-{part}",
            "label": part.capitalize(),
            "value": getattr(parts, part),
            "width": widths[part],
        }
        for part in ("day", "month", "year")
    ]
    return {
        "field": field,
        "kind": "date",
        "boxes": boxes,
        "hint": spaced(str(field.help_text)) if field.help_text else "",
        "label_size": label_size,
    }


@register.inclusion_tag("core/field.html")
def govuk_date_question(name, label, value=None, hint=""):
    """The one date field for a form a page writes by hand (no Django form in its context):
    `{% govuk_date_question "date" "Figures as at" today "For example, 31 3 2026" %}`. The
    view that receives it reads it with core.dates.DateField."""
    question = DateField(label=label, help_text=hint, required=False)
    form = type("DateQuestion", (forms.Form,), {name: question})(initial={name: value})
    return _date_input(form[name], "s")


@register.inclusion_tag("core/field.html")
def govuk_field(field, label_size="s", width=""):
    widget = field.field.widget
    # CheckboxSelectMultiple is a RadioSelect in Django: ask about it first.
    if isinstance(widget, DateInput):
        return _date_input(field, label_size)
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


@register.simple_tag(takes_context=True)
def error_prefix(context) -> str:
    """ "Error: " at the start of the page title when a form on the page was sent back with
    errors (GOV.UK pattern: a screen reader hears first that the page needs attention). Pages
    name their forms variously (form, upload_form, order_form…), so every bound form in the
    context is asked."""
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return "Error: "
    return ""


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


CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S | re.I)


@register.tag
def table_scroll(parser, token):
    """Hold a table that may be wider than a phone (WCAG 1.4.10, reflow at 320 px) in a region
    that scrolls sideways by itself, so the page never does:

        {% table_scroll %}<table class="govuk-table">…</table>{% endtable_scroll %}

    The region is named after the table's caption, or after the label given
    (`{% table_scroll "Visits" %}`) when the table has none. It can take keyboard focus, so a
    keyboard user can scroll it (axe: scrollable-region-focusable)."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("table_scroll takes at most one label")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist, label)


class TableScrollNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        table = self.nodelist.render(context)
        label = self.label.resolve(context) if self.label else ""
        if not label:
            caption = CAPTION.search(table)
            # The caption is rendered HTML: its text, unescaped once, is escaped again as the
            # label is written into its attribute.
            text = html.unescape(strip_tags(caption.group(1))) if caption else ""
            label = " ".join(text.split())
        if not label:
            raise template.TemplateSyntaxError(
                "table_scroll: the table has no caption, so give the region a label"
            )
        # The table is the template's own output (a SafeString, escaped as it was rendered).
        return render_to_string("core/table_scroll.html", {"label": label, "table": table})


@register.filter(name="long_date")
def long_date_filter(day) -> str:
    """{{ day|long_date }}: "1 September 2026" (core.wording.long_date)."""
    return long_date(day) if day else ""


@register.filter(name="in_sentence")
def in_sentence_filter(label) -> str:
    """{{ label|in_sentence }}: a label inside a sentence, first letter lowered unless it
    starts with an acronym (core.prose.in_sentence). `|lower` gave a parent "an ehc needs
    assessment"."""
    return in_sentence(label) if label else ""


@register.filter(name="thousands")
def thousands_filter(number) -> str:
    """{{ 12345|thousands }}: "12,345" (core.prose.thousands)."""
    return thousands(number)


@register.filter(name="date_and_time")
def date_and_time_filter(moment) -> str:
    """{{ sent_at|date_and_time }}: "7 December 2026, 4:08pm" in UK time, as GOV.UK writes it
    (Django's "g:ia" gives "4:08 p.m.")."""
    return date_and_time(timezone.localtime(moment)) if moment else ""

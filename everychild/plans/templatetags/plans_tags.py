import datetime as dt

from django import template

from everychild.plans import provenance as provenance_rules
from everychild.plans.models import SettingCode

register = template.Library()


@register.filter
def get(mapping, key):
    """mapping[key] in a template (section keys such as "H1" are not attribute names)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


@register.filter
def isodate(value) -> str:
    """An ISO date kept in a plan's sections, written as people read it (3 March 2026)."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


@register.filter
def setting_code_label(code: str) -> str:
    return SettingCode(code).label if code in SettingCode.values else code


@register.filter
def score_tag(score) -> str:
    """The GOV.UK tag colour for a quality score."""
    if score is None or score == "":
        return "govuk-tag--grey"
    if score >= 90:
        return "govuk-tag--green"
    if score >= 70:
        return "govuk-tag--yellow"
    return "govuk-tag--red"


RULE_LABELS = {
    "vague_provision": "Vague provision (“access to”, “regular”, “as required”)",
    "no_quantity": "Provision with no quantity",
    "no_deliverer": "Provision without who provides it",
    "provision_without_outcome": "Provision not linked to an outcome",
    "outcome_without_need": "Outcome that answers no need",
    "outcome_not_measurable": "Outcome without a date or a measure",
    "need_without_provision": "Need with no provision",
    "placement_unidentified": "Placement without URN, UKPRN or setting code",
    "no_placement": "No placement",
    "no_section_b": "No special educational needs in section B",
    "no_primary_need": "No primary type of need",
    "no_views": "Section A empty",
    "no_outcomes": "No outcomes",
    "no_provision": "No special educational provision",
}


@register.filter
def rule_label(code: str) -> str:
    return RULE_LABELS.get(code, code)


@register.filter
def provenance(item) -> str:
    """Where a plan item came from ("From: Psychological advice, ..., paragraph 3"), or ""."""
    return provenance_rules.label(item.get("source") if isinstance(item, dict) else None)

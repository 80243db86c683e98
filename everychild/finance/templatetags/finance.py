"""Formatting money and counts on the finance pages (the same functions as the workbook)."""

import datetime as dt

from django import template

from everychild.finance import presentation
from everychild.finance.forecast.dimensions import PLACEMENT_LABELS

register = template.Library()


@register.filter
def millions(value):
    return presentation.money_m(value)


@register.filter
def pounds(value):
    return presentation.pounds(value)


@register.filter
def whole(value):
    return presentation.whole(value)


@register.filter
def percent(value):
    return presentation.percent(value)


@register.filter
def percent_of_one(value):
    return "Not known" if value is None else presentation.percent(float(value) * 100)


@register.filter
def placement_label(value):
    return PLACEMENT_LABELS.get(value, value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def fy(year):
    return presentation.fy(int(year))


@register.filter
def iso_date(value):
    """A date a stored forecast result holds as text (ISO), as a date to format."""
    return dt.date.fromisoformat(value) if value else None

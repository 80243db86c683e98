"""Words for the statutory clock on casework pages."""

from django import template

from everychild.casework import clock

register = template.Library()

_CLOCK_TAGS = {
    "overdue": "govuk-tag--red",
    "due_soon": "govuk-tag--orange",
    "on_track": "govuk-tag--green",
    "exception": "govuk-tag--yellow",
    "none": "govuk-tag--grey",
    "error": "govuk-tag--purple",
}


@register.filter
def clock_tag_class(status: str) -> str:
    """The GOV.UK tag colour for a case's overall clock status."""
    return _CLOCK_TAGS.get(status, "govuk-tag--grey")


@register.filter
def days_words(days) -> str:
    """-3 -> "3 days late"; 0 -> "due today"; 1 -> "1 day left"."""
    if days is None:
        return ""
    days = int(days)
    if days == 0:
        return "due today"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} late"
    return f"{days} day{'s' if days != 1 else ''} left"


@register.filter
def milestone_status(milestone) -> str:
    """A milestone's status in words (the engine's six statuses)."""
    status = milestone.status
    window = milestone.rule in ("draft_plan_comments_close", "amendment_comments_close")
    if window:
        if status == "overdue":
            return "Plan issued before the family's 15 days were up"
        if status == "met":
            return "The family had their 15 days"
        if status == "pending":
            return "Open" if milestone.due else "Not started"
    if status == "pending":
        if milestone.due is None:
            return "Not started"
        return f"Due: {days_words(milestone.days_remaining)}"
    if status == "overdue":
        return f"Overdue: {days_words(milestone.days_remaining)}"
    return {
        "met": "Met",
        "met_late": "Met late",
        "exception_applies": "Exception applies",
        "not_applicable": "Does not apply",
    }.get(status, status)


@register.filter
def short_label(milestone) -> str:
    return clock.short_label(milestone) if milestone is not None else ""

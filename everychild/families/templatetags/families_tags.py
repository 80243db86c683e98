"""The family's part of the case page: what they sent (views for section A, comments on the
draft) and where the request came from. The case page has already checked access."""

from django import template

from everychild.families import selectors

register = template.Library()


@register.inclusion_tag("families/_case_panel.html")
def family_panel(case):
    return {
        "case": case,
        "views": selectors.family_views_for(case),
        "responses": selectors.draft_responses_for(case),
        "public_request": selectors.public_request_for(case),
    }

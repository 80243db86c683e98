"""The family's part of the case page: what they sent (views for section A, comments on the
draft) and where the request came from. The case page has already checked access."""

from django import template

from everychild.casework.models import CaseDocument
from everychild.families import selectors

register = template.Library()


@register.inclusion_tag("families/_case_panel.html", takes_context=True)
def family_panel(context, case):
    return {
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "can_edit": context.get("can_edit"),
        "unshared": list(
            case.documents.filter(kind=CaseDocument.Kind.UPLOAD, shared_with_family__isnull=True)
        ),
        "views": selectors.family_views_for(case),
        "responses": selectors.draft_responses_for(case),
        "family_messages": selectors.family_messages_for(case),
        "public_request": selectors.public_request_for(case),
    }

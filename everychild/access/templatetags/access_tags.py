"""Offer only the controls a reader can use: `{% may_open "improvement:plan" as shown %}`
asks the same rule the page's view declared (access.policy.may_open), never a copy of it."""

from django import template
from django.urls import NoReverseMatch, reverse

from everychild.access.policy import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str, *args) -> bool:
    request = context.get("request")
    try:
        path = reverse(url_name, args=args)
    except NoReverseMatch:
        return False
    return _may_open(getattr(request, "user", None), path)

"""Template helpers for the SEN2 pages."""

import re

from django import template

from everychild.core.prose import thousands

register = template.Library()


@register.filter
def sen2_path(path: str) -> str:
    """An XML path, broken where a reader can follow it: "Person 3 › Requests 1 › ..."."""
    path = re.sub(r"^/Message/Persons/", "", path or "")
    return " › ".join(re.sub(r"\[(\d+)\]$", r" \1", step) for step in path.split("/") if step)


# The SEN2 pages load this library alone: the same filter as every other page's.
register.filter("thousands", thousands)

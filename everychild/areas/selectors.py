"""Reads of areas for pages anyone may open."""

from __future__ import annotations

from everychild.areas.models import Area


def serving_area() -> Area | None:
    """The council this copy of the service serves (the area with a local authority among its
    organisations: the demonstration and a council's own copy have one). Public pages take
    its SEND team's contact details from it, never from the code."""
    return Area.objects.filter(organisations__kind="la").order_by("pk").first()

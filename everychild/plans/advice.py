"""Section K: the advice and information gathered for the plan, filled from the advice received.

When the advice app offers its selector (``everychild.advice.selectors.advice_received_for``),
section K is built from it; until then, from the case's advice requests that have been
answered. Either way each entry is {"kind", "organisation", "provided_on"}. To add another
source, add a function to ``SOURCES``: the first that is available is used."""

from __future__ import annotations

from collections.abc import Callable


def _from_advice_app(case) -> list[dict] | None:
    try:
        from everychild.advice.selectors import advice_received_for
    except ImportError:
        return None
    entries = []
    for item in advice_received_for(case):
        get = item.get if isinstance(item, dict) else lambda name, i=item: getattr(i, name, "")
        kind = get("kind")
        display = getattr(item, "get_kind_display", None)
        organisation = get("organisation")
        provided = get("provided_on") or get("received_on")
        entries.append(
            {
                "kind": display() if callable(display) else str(kind or ""),
                "organisation": getattr(organisation, "name", organisation) or "",
                "provided_on": provided.isoformat() if provided else "",
            }
        )
    return entries


def _from_casework(case) -> list[dict]:
    return [
        {
            "kind": advice.get_kind_display(),
            "organisation": advice.organisation.name,
            "provided_on": advice.provided_on.isoformat(),
        }
        for advice in case.advice_requests.filter(provided_on__isnull=False)
        .select_related("organisation")
        .order_by("provided_on", "pk")
    ]


SOURCES: list[Callable] = [_from_advice_app, _from_casework]


def advice_for_section_k(case) -> list[dict]:
    """The advice received for the assessment `case`, for section K (empty without a case)."""
    if case is None:
        return []
    for source in SOURCES:
        found = source(case)
        if found is not None:
            return found
    return []

"""Section K: the advice and information gathered for the plan, filled from the advice received.

Two sources, merged per request for advice: the case's advice requests recorded as answered
(casework), and advice submitted through the agencies' portal
(``everychild.advice.selectors.advice_received_for``), which also carries its summary. Each
entry is {"kind", "organisation", "provided_on", "summary"}. Another source is one more
function in ``SOURCES`` returning {advice_request_id: entry}; later sources add to earlier ones.
"""

from __future__ import annotations

from collections.abc import Callable


def _entry(advice, provided_on, summary: str = "") -> dict:
    return {
        "kind": advice.get_kind_display(),
        "organisation": advice.organisation.name,
        "provided_on": provided_on.isoformat() if provided_on else "",
        "summary": summary,
    }


def _from_casework(case) -> dict[int, dict]:
    return {
        advice.pk: _entry(advice, advice.provided_on)
        for advice in case.advice_requests.filter(provided_on__isnull=False)
        .select_related("organisation")
        .order_by("provided_on", "pk")
    }


def _from_advice_portal(case) -> dict[int, dict]:
    try:
        from everychild.advice.selectors import advice_received_for
    except ImportError:  # the portal is an optional part of a deployment
        return {}
    return {
        work.advice_request_id: _entry(
            work.advice_request,
            work.advice_request.provided_on or work.submitted_on,
            (work.summary or "").strip(),
        )
        for work in advice_received_for(case)
    }


SOURCES: list[Callable[[object], dict[int, dict]]] = [_from_casework, _from_advice_portal]


def advice_for_section_k(case) -> list[dict]:
    """The advice received for the assessment `case`, oldest first (empty without a case)."""
    if case is None:
        return []
    merged: dict[int, dict] = {}
    for source in SOURCES:
        for key, entry in source(case).items():
            merged[key] = {**merged.get(key, {}), **{k: v for k, v in entry.items() if v}}
    return sorted(merged.values(), key=lambda e: (e.get("provided_on", ""), e.get("kind", "")))


def family_views_for_section_a(case) -> str:
    """Section A as the family wrote it in the family portal (their views, interests and
    aspirations, reg 12(1)(a)), each answer under its question; empty if none were sent."""
    if case is None:
        return ""
    try:
        from everychild.families.selectors import family_views_for
    except ImportError:  # the family portal is an optional part of a deployment
        return ""
    parts = []
    for views in family_views_for(case):
        parts.append(f"{views.kind_label}:")
        parts.extend(f"{question}: {answer}" for question, answer in views.answers)
    return "\n".join(parts)

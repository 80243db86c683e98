"""What other apps contribute to a new plan's draft: section A (the family's views, interests
and aspirations, reg 12(1)(a)) and section K (the advice and information gathered, reg 12(1)(k)).

Plans does not reach into the apps that hold these: each registers its source here from its
AppConfig.ready() (the advice portal's from `advice`, the family portal's from `families`).
The case's own advice requests (casework, below plans) are the first section K source.

A section K source takes the case and returns (advice request, date provided, summary) for
each piece of advice received; plans merges them per advice request, later sources adding to
earlier ones, into entries {"advice_request", "kind", "organisation", "provided_on",
"summary"}. A section A source takes the case and returns its text (empty if it has none);
the texts are joined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Types only: the apps register their sources from AppConfig.ready(), and their apps modules
# import this one before any model is loaded.
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable

    from everychild.casework.models import AdviceRequest, AssessmentRequest

    AdviceReceived = tuple[AdviceRequest, dt.date | None, str]
    SectionKSource = Callable[[AssessmentRequest], Iterable[AdviceReceived]]
    SectionASource = Callable[[AssessmentRequest], str]


def _from_casework(case: AssessmentRequest) -> Iterable[AdviceReceived]:
    """The case's advice requests recorded as answered."""
    return [
        (advice, advice.provided_on, "")
        for advice in case.advice_requests.filter(provided_on__isnull=False)
        .select_related("organisation")
        .order_by("provided_on", "pk")
    ]


_section_k_sources: list[SectionKSource] = [_from_casework]
_section_a_sources: list[SectionASource] = []


def register_section_k_source(source: SectionKSource) -> None:
    """Add a source of advice for section K (once, however often an app's ready() runs)."""
    if source not in _section_k_sources:
        _section_k_sources.append(source)


def register_section_a_source(source: SectionASource) -> None:
    """Add a source of text for section A (once, however often an app's ready() runs)."""
    if source not in _section_a_sources:
        _section_a_sources.append(source)


def _entry(advice: AdviceRequest, provided_on: dt.date | None, summary: str) -> dict:
    return {
        # Which advice request it is: the items taken from it point back to it (provenance).
        "advice_request": advice.pk,
        "kind": advice.get_kind_display(),
        "organisation": advice.organisation.name,
        "provided_on": provided_on.isoformat() if provided_on else "",
        "summary": summary,
    }


def advice_for_section_k(case: AssessmentRequest | None) -> list[dict]:
    """The advice received for the assessment `case`, oldest first (empty without a case)."""
    if case is None:
        return []
    merged: dict[int, dict] = {}
    for source in _section_k_sources:
        for advice, provided_on, summary in source(case):
            entry = _entry(advice, provided_on, summary)
            merged[advice.pk] = {
                **merged.get(advice.pk, {}),
                **{k: v for k, v in entry.items() if v},
            }
    return sorted(merged.values(), key=lambda e: (e.get("provided_on", ""), e.get("kind", "")))


def family_views_for_section_a(case: AssessmentRequest | None) -> str:
    """Section A as the family wrote it (empty if nothing was sent, or without a case)."""
    if case is None:
        return ""
    return "\n".join(text for source in _section_a_sources if (text := source(case)))

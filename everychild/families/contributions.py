"""The family portal's contribution to a plan: section A as the family wrote it (their views,
interests and aspirations, reg 12(1)(a)). Registered with the plans app by FamiliesConfig.ready().
"""

from __future__ import annotations

from everychild.families.selectors import family_views_for


def views_for_section_a(case) -> str:
    """Each set of views the family sent, each answer under its question; empty if none."""
    parts = []
    for views in family_views_for(case):
        parts.append(f"{views.kind_label}:")
        parts.extend(f"{question}: {answer}" for question, answer in views.answers)
    return "\n".join(parts)

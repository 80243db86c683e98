"""Shared helpers for the statutory engine's tests (no database, no Django)."""

from __future__ import annotations

from everychild.statutory import evaluate


def milestones(facts: dict, *, day_one: bool = False) -> dict[str, dict]:
    """Evaluate facts through the JSON contract and index the milestones by key."""
    result = evaluate(facts, count_start_as_day_one=day_one)
    keyed = {m["key"]: m for m in result["milestones"]}
    assert len(keyed) == len(result["milestones"]), "milestone keys must be unique"
    return keyed


def milestone(facts: dict, key: str, *, day_one: bool = False) -> dict:
    found = milestones(facts, day_one=day_one)
    assert key in found, f"{key} not in {sorted(found)}"
    return found[key]


def assessment(**facts) -> dict:
    """An assessment case: request received Monday 6 January 2025 unless overridden.

    Due dates: decision 17 Feb, notice not to issue 28 Apr, final plan 26 May 2025.
    """
    base = {"today": "2025-12-01", "request_received": "2025-01-06"}
    base.update(facts)
    return base


def assessed(**facts) -> dict:
    """An assessment where the decision to assess was made on 10 February 2025."""
    return assessment(decision={"outcome": "assess", "on": "2025-02-10"}, **facts)


def review(**facts) -> dict:
    base = {"today": "2026-12-01", "process": "review", "plan_issued_on": "2024-02-29"}
    base.update(facts)
    return base


def tribunal(kind: str, today: str = "2025-12-01", **order) -> dict:
    """A Tribunal order made on Monday 3 March 2025."""
    return {
        "today": today,
        "process": "tribunal_order",
        "tribunal_order": {"kind": kind, "on": "2025-03-03", **order},
    }

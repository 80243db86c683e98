"""The plan quality check: what a SEND audit reads a plan for, run before it is issued.

Pure: it reads a plan's sections (``sections.py`` shape) and returns findings, a score per
section with its reasons, and the structural errors that block issue. Each rule has a code, the
section it concerns and a message saying what to fix; each has its own tests.

Why these rules: section F must be "detailed and specific and should normally be quantified"
(SEND Code of Practice 9.69; CFA 2014 s.42): "access to", "opportunities for", "regular",
"as required" and "up to" are the classic defects Tribunals strike out. The golden thread
(Code 9.61-9.69): every need leads to an outcome and provision; every outcome answers a need;
every line of provision works towards an outcome. Section I must name the setting or its type
(Code 9.79); without B or I the plan cannot be issued at all.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from everychild.plans.sections import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    SECTION_KEYS,
    all_needs,
    all_provision,
    item_label,
    normalised,
)

# Phrases that leave the amount of help to someone's discretion (Code 9.69).
VAGUE_PHRASES = (
    "access to",
    "opportunities for",
    "opportunity to",
    "regular",
    "as required",
    "up to",
    "as needed",
    "where appropriate",
)
_VAGUE = re.compile(r"\b(" + "|".join(re.escape(p) for p in VAGUE_PHRASES) + r")\b", re.I)
# A quantity: a number (digits or words) or a named frequency.
_QUANTITY = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
    r"forty|sixty|once|twice|daily|weekly|fortnightly|monthly|termly|annually|each day|"
    r"every day|each week|every week|full[- ]time)\b",
    re.I,
)

# Sections a plan must always fill (B needs, E outcomes, F provision, I placement).
REQUIRED_SECTIONS = ("A", "B", "E", "F", "I")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    section: str
    message: str
    item: str = ""  # the item's id, when the finding is about one item
    blocks_issue: bool = False


@dataclass(frozen=True, slots=True)
class SectionScore:
    section: str
    score: int | None  # 0-100; None when the section is empty and optional
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QualityReport:
    findings: tuple[Finding, ...]
    sections: tuple[SectionScore, ...]
    score: int  # the mean of the scored sections

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocks_issue)

    @property
    def may_issue(self) -> bool:
        return not self.blocking

    def for_section(self, section: str) -> list[Finding]:
        return [f for f in self.findings if f.section == section]

    def to_json(self) -> dict:
        return {
            "score": self.score,
            "may_issue": self.may_issue,
            "sections": [
                {"section": s.section, "score": s.score, "reasons": list(s.reasons)}
                for s in self.sections
            ],
            "findings": [asdict(f) for f in self.findings],
        }


# --- The rules ---------------------------------------------------------------------------------


def vague_provision(sections: dict) -> list[Finding]:
    """Provision whose amount is left to discretion ("access to", "regular", "as required")."""
    found = []
    for key, line in all_provision(sections):
        text = " ".join(line.get(f, "") for f in ("what", "how_often", "how_long"))
        match = _VAGUE.search(text)
        if match:
            found.append(
                Finding(
                    "vague_provision",
                    key,
                    f"“{item_label(key, line)}” says “{match.group(1).lower()}”: say exactly "
                    "what the child will get, how often and for how long.",
                    line.get("id", ""),
                )
            )
    return found


def unquantified_provision(sections: dict) -> list[Finding]:
    """Provision that does not say how often or how much (no number, no frequency)."""
    found = []
    for key, line in all_provision(sections):
        if not _QUANTITY.search(line.get("how_often", "")):
            found.append(
                Finding(
                    "no_quantity",
                    key,
                    f"“{item_label(key, line)}” has no quantity: say how often, for example "
                    "“3 sessions of 30 minutes a week”.",
                    line.get("id", ""),
                )
            )
    return found


def provision_without_deliverer(sections: dict) -> list[Finding]:
    found = []
    for key, line in all_provision(sections):
        if not line.get("by_whom", "").strip():
            found.append(
                Finding(
                    "no_deliverer",
                    key,
                    f"“{item_label(key, line)}” does not say who will provide it.",
                    line.get("id", ""),
                )
            )
    return found


def provision_without_outcome(sections: dict) -> list[Finding]:
    outcomes = {o.get("id") for o in sections["E"]["outcomes"]}
    found = []
    for key, line in all_provision(sections):
        if not set(line.get("outcomes", [])) & outcomes:
            found.append(
                Finding(
                    "provision_without_outcome",
                    key,
                    f"“{item_label(key, line)}” is not linked to any outcome in section E.",
                    line.get("id", ""),
                )
            )
    return found


def outcome_without_need(sections: dict) -> list[Finding]:
    needs = {n.get("id") for _, n in all_needs(sections)}
    found = []
    for outcome in sections["E"]["outcomes"]:
        if not set(outcome.get("needs", [])) & needs:
            found.append(
                Finding(
                    "outcome_without_need",
                    "E",
                    f"The outcome “{item_label('E', outcome)}” does not answer any need in "
                    "sections B, C or D.",
                    outcome.get("id", ""),
                )
            )
    return found


def outcome_not_measurable(sections: dict) -> list[Finding]:
    found = []
    for outcome in sections["E"]["outcomes"]:
        missing = [
            what
            for field, what in (("by_when", "by when"), ("measured_by", "how it will be measured"))
            if not str(outcome.get(field, "")).strip()
        ]
        if missing:
            found.append(
                Finding(
                    "outcome_not_measurable",
                    "E",
                    f"The outcome “{item_label('E', outcome)}” does not say "
                    f"{' or '.join(missing)}.",
                    outcome.get("id", ""),
                )
            )
    return found


def need_without_provision(sections: dict) -> list[Finding]:
    """A need that no provision reaches through an outcome (the golden thread is broken)."""
    provided_outcomes = {o for _, line in all_provision(sections) for o in line.get("outcomes", [])}
    reached = {
        need
        for outcome in sections["E"]["outcomes"]
        if outcome.get("id") in provided_outcomes
        for need in outcome.get("needs", [])
    }
    found = []
    for key, need in all_needs(sections):
        if need.get("id") not in reached:
            found.append(
                Finding(
                    "need_without_provision",
                    key,
                    f"The need “{item_label(key, need)}” has no provision: link it to an outcome "
                    "that provision in F, G or H works towards.",
                    need.get("id", ""),
                )
            )
    return found


def placement_unidentified(sections: dict) -> list[Finding]:
    placement = sections["I"]
    named = placement.get("setting_id") or placement.get("setting_name", "").strip()
    identified = placement.get("urn") or placement.get("ukprn") or placement.get("setting_code")
    if not named and not placement.get("setting_code"):
        return [
            Finding(
                "no_placement",
                "I",
                "Section I names no school or setting: a plan cannot be issued without a "
                "placement (name the setting or its type).",
                blocks_issue=True,
            )
        ]
    if not identified:
        return [
            Finding(
                "placement_unidentified",
                "I",
                "The placement has neither a URN or UKPRN nor an SEN2 setting code: add one so "
                "the placement can be counted.",
            )
        ]
    return []


def no_needs(sections: dict) -> list[Finding]:
    b = sections["B"]
    found = []
    if not b["needs"]:
        found.append(
            Finding(
                "no_section_b",
                "B",
                "Section B describes no special educational needs: a plan cannot be issued "
                "without them.",
                blocks_issue=True,
            )
        )
    if not b.get("primary_need"):
        found.append(
            Finding(
                "no_primary_need",
                "B",
                "Choose the primary type of need in section B (from the SEN2 list).",
                blocks_issue=True,
            )
        )
    return found


def no_views(sections: dict) -> list[Finding]:
    if sections["A"].get("text", "").strip():
        return []
    return [
        Finding(
            "no_views",
            "A",
            "Section A is empty: record the views, interests and aspirations of the child and "
            "their family.",
        )
    ]


def no_outcomes_or_provision(sections: dict) -> list[Finding]:
    found = []
    if not sections["E"]["outcomes"]:
        found.append(Finding("no_outcomes", "E", "Section E has no outcomes."))
    if not sections["F"]["provision"]:
        found.append(
            Finding("no_provision", "F", "Section F has no special educational provision.")
        )
    return found


RULES = (
    no_needs,
    placement_unidentified,
    no_views,
    no_outcomes_or_provision,
    outcome_without_need,
    outcome_not_measurable,
    need_without_provision,
    vague_provision,
    unquantified_provision,
    provision_without_deliverer,
    provision_without_outcome,
)


def _items_in(sections: dict, key: str) -> list[dict]:
    if key in NEED_SECTIONS:
        return sections[key]["needs"]
    if key == "E":
        return sections["E"]["outcomes"]
    if key in PROVISION_SECTIONS:
        return sections[key]["provision"]
    return []


def check(sections: dict) -> QualityReport:
    """Run every rule and score each section: the share of its items with no finding; 0 for a
    section with a finding about the whole of it; None for an optional section left empty."""
    sections = normalised(sections)
    findings = tuple(f for rule in RULES for f in rule(sections))
    scores = []
    for key in SECTION_KEYS:
        mine = [f for f in findings if f.section == key]
        reasons = tuple(f.message for f in mine)
        items = _items_in(sections, key)
        if items:
            flagged = {f.item for f in mine if f.item}
            whole = [f for f in mine if not f.item]
            score = round(100 * (len(items) - len(flagged)) / len(items)) if not whole else 0
        elif mine:
            score = 0
        elif key in REQUIRED_SECTIONS or (key == "J" and sections["J"].get("requested")):
            score = 100
        else:
            score = None  # an optional section left empty (C, D, G, H1, H2, J) or K
        scores.append(SectionScore(key, score, reasons))
    scored = [s.score for s in scores if s.score is not None]
    overall = round(sum(scored) / len(scored)) if scored else 0
    return QualityReport(findings=findings, sections=tuple(scores), score=overall)


# --- Warnings: shown to the caseworker, not scored and never blocking --------------------------


def provision_without_source(sections: dict) -> list[Finding]:
    """Provision in F, G, H1 or H2 that no advice gave (no `source`, see plans.provenance):
    the family and a Tribunal will ask where it came from. A warning only: provision agreed at
    a meeting, or carried over from a plan made before EveryChild, has no advice item behind it
    (decision 0195)."""
    found = []
    for key, line in all_provision(sections):
        if not isinstance(line.get("source"), dict):
            found.append(
                Finding(
                    "provision_without_source",
                    key,
                    f"“{item_label(key, line)}” in section {key} does not come from any advice: "
                    "check it is supported by the advice received, or accept the advice it "
                    "comes from.",
                    line.get("id", ""),
                )
            )
    return found


WARNINGS = (provision_without_source,)


def warnings(sections: dict) -> tuple[Finding, ...]:
    """The warnings for a draft (not part of the score, never blocking issue)."""
    sections = normalised(sections)
    return tuple(f for rule in WARNINGS for f in rule(sections))

"""The ONE translation of a case into the statutory engine's facts (ARCHITECTURE.md).

Casework's clock, the performance measures and the SEN2 export all turn a request for an
assessment into `everychild.statutory.Facts` here and nowhere else, and all take the engine's
verdicts on it from `verdict()`: whether the decision and the final plan met their limits, and
whether an exception applied to the final plan's clock (SEN2 `Week20`, which is also what the
"excluding exceptions" measure leaves out). One translation means the case page, the
dashboard and the return DfE receives cannot disagree about the same case
(docs/decisions/0131-measures-as-dfe-counts.md).

A case here is anything with the model's field names (an `AssessmentRequest`, or a plain row
with the same attributes, as the measures load them set-wise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from everychild.accounts.models import OrganisationKind
from everychild.casework.models import (
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseException,
    Consultation,
    Letter,
)
from everychild.statutory import AdviceRequest as EngineAdvice
from everychild.statutory import Consultation as EngineConsultation
from everychild.statutory import Decision, Facts, RecordedException, timeline
from everychild.statutory.milestones import EXCEPTION_APPLIES, MET

DAY = dt.timedelta(days=1)

# Our advice kinds (reg 6(1)) as the engine's. Educational advice from an early years
# provider is "early_years" for the engine, because reg 10(4)(b) treats it differently.
_ENGINE_ADVICE_KIND = {
    AdviceKind.EDUCATIONAL_PSYCHOLOGY: "educational_psychology",
    AdviceKind.HEALTH: "health",
    AdviceKind.SOCIAL_CARE: "social_care",
    AdviceKind.EDUCATION: "education",
    AdviceKind.OTHER: "other",
}
# Letters whose date starts the family's mediation and appeal periods (reg 33; r.20).
_APPEALABLE_LETTERS = {Letter.Kind.DECISION_NOT_TO_ASSESS, Letter.Kind.DECISION_NOT_TO_ISSUE}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def engine_advice_kind(advice: AdviceRequest, organisation_kind: str) -> str:
    kind = _ENGINE_ADVICE_KIND.get(advice.kind, "other")
    if kind == "education" and organisation_kind == OrganisationKind.EARLY_YEARS:
        return "early_years"
    return kind


def _same(day):
    return day


# A circumstance recorded against a request (reg 10(4)) applies to a re-assessment under reg 27(3).
REASSESSMENT_EXCEPTIONS = {
    "10(4)(a)": "27(3)(a)",
    "10(4)(b)": "27(3)(b)",
    "10(4)(c)": "27(3)(c)",
    "10(4)(d)": "27(3)(d)",
}


#: Every field of a case that `facts_dict` reads (a test proves it reads no other): with the
#: related rows, the day and the area, they are all a list page's judgement of a case depends
#: on, so the clock may remember the judgement under them (`clock.clocks_for`).
CASE_FIELDS = (
    "withdrawn_on",
    "reassessment_of_id",
    "received_on",
    "decision",
    "decision_on",
    "draft_plan_served_on",
    "family_agreed_early_issue_on",
    "decision_not_to_issue_on",
    "final_plan_issued_on",
    "no_coronavirus_reason",
)


def facts_dict(
    case: AssessmentRequest,
    *,
    advice: Iterable[AdviceRequest],
    exceptions: Iterable[CaseException],
    consultations: Iterable[Consultation],
    letters: Iterable[Letter],
    today: dt.date,
    setting_closures: list | None = None,
    iso: bool = True,
) -> dict:
    """The case's facts in the engine's JSON contract (dates as ISO strings; with
    `iso=False`, as dates, for `trusted_facts`). Advice items need `organisation` loaded
    (or `organisation_kind` set). Cancelled advice is left out: it was no longer wanted. A
    withdrawn case is judged as it stood on the day it was withdrawn."""
    day = _iso if iso else _same
    if case.withdrawn_on is not None and case.withdrawn_on < today:
        today = case.withdrawn_on
    by_advice: dict[int, list[dict]] = {}
    case_exceptions = []
    reassessment = case.reassessment_of_id is not None
    for item in exceptions:
        regulation = item.regulation
        if reassessment and item.advice_request_id is None:
            # The same circumstances, under the regulation for re-assessments (reg 27(3)
            # mirrors reg 10(4)).
            regulation = REASSESSMENT_EXCEPTIONS.get(regulation, regulation)
        entry = {
            "reg": regulation,
            "from": day(item.starts_on),
            "to": day(item.ends_on),
            "reason": item.reason,
        }
        if item.advice_request_id is not None:
            by_advice.setdefault(item.advice_request_id, []).append(entry)
        else:
            case_exceptions.append(entry)
    advice_items = []
    for item in advice:
        if item.cancelled_on is not None:
            continue
        org_kind = getattr(item, "organisation_kind", None)
        if org_kind is None:
            org_kind = item.organisation.kind
        entry = {
            "id": str(item.pk),
            "kind": engine_advice_kind(item, org_kind),
            "received_by_body_on": day(item.received_by_body_on),
            "provided_on": day(item.provided_on),
            "to_school_or_setting": org_kind in _SETTING_KINDS,
        }
        if item.pk in by_advice:
            entry["exceptions"] = by_advice[item.pk]
        advice_items.append(entry)
    facts: dict = {
        "today": day(today),
        "process": "reassessment" if reassessment else "assessment",
        "request_received": day(case.received_on),
    }
    if case.decision and case.decision_on is not None:
        facts["decision"] = {"outcome": case.decision, "on": day(case.decision_on)}
    if advice_items:
        facts["advice"] = advice_items
    for key, value in (
        ("draft_plan_served_on", case.draft_plan_served_on),
        ("family_agreed_early_issue_on", case.family_agreed_early_issue_on),
        ("decision_not_to_issue_on", case.decision_not_to_issue_on),
        ("final_plan_issued_on", case.final_plan_issued_on),
    ):
        if value is not None:
            facts[key] = day(value)
    consulted = [
        {"id": str(c.pk), "sent_on": day(c.sent_on), "answered_on": day(c.answered_on)}
        for c in consultations
    ]
    if consulted:
        facts["consultations"] = consulted
    if case_exceptions:
        facts["exceptions"] = case_exceptions
    letter_on = appealable_letter_date(letters, today)
    if letter_on is not None:
        facts["decision_letter_on"] = day(letter_on)
    if setting_closures:
        facts["setting_closures"] = setting_closures
    if case.no_coronavirus_reason:
        facts["no_coronavirus_reason"] = True
    return facts


_SETTING_KINDS = frozenset(
    (OrganisationKind.SCHOOL, OrganisationKind.COLLEGE, OrganisationKind.EARLY_YEARS)
)


def _recorded(items) -> tuple:
    return tuple(RecordedException(e["reg"], e["from"], e["to"], e["reason"]) for e in items)


def trusted_facts(facts: dict, closures: tuple) -> Facts:
    """The engine's Facts from `facts_dict(..., iso=False)` without re-validating them.

    Only for records the casework services validated when they were written (every step
    runs the engine's `parse_facts` on the case before it saves: services._engine_check),
    as docs/decisions/0002 allows: the list pages compute hundreds of timelines per request
    and validation costs more than the timeline itself. A test checks that this gives
    exactly what `parse_facts` gives for the same case."""
    decision = facts.get("decision")
    return Facts(
        today=facts["today"],
        process=facts.get("process", "assessment"),
        request_received=facts["request_received"],
        decision=Decision(decision["outcome"], decision["on"]) if decision else None,
        advice=tuple(
            EngineAdvice(
                a["id"],
                a["kind"],
                a["received_by_body_on"],
                a["provided_on"],
                a["to_school_or_setting"],
                _recorded(a.get("exceptions", ())),
            )
            for a in facts.get("advice", ())
        ),
        setting_closures=closures,
        draft_plan_served_on=facts.get("draft_plan_served_on"),
        family_agreed_early_issue_on=facts.get("family_agreed_early_issue_on"),
        consultations=tuple(
            EngineConsultation(c["id"], c["sent_on"], c["answered_on"])
            for c in facts.get("consultations", ())
        ),
        decision_not_to_issue_on=facts.get("decision_not_to_issue_on"),
        final_plan_issued_on=facts.get("final_plan_issued_on"),
        exceptions=_recorded(facts.get("exceptions", ())),
        decision_letter_on=facts.get("decision_letter_on"),
        no_coronavirus_reason=facts.get("no_coronavirus_reason", False),
    )


def appealable_letter_date(letters: Iterable[Letter], today: dt.date) -> dt.date | None:
    """The date of the latest decision letter, sent, that carries appeal rights."""
    dates = [
        letter.dated_on
        for letter in letters
        if letter.kind in _APPEALABLE_LETTERS
        and letter.sent_on is not None
        and letter.dated_on <= today
    ]
    return max(dates) if dates else None


def engine_facts(
    case: AssessmentRequest,
    *,
    advice: Iterable = (),
    exceptions: Iterable = (),
    consultations: Iterable = (),
    letters: Iterable = (),
    today: dt.date,
    closures: tuple = (),
) -> Facts:
    """The case's facts as the engine's values, for records the casework services validated
    when they were written (see `trusted_facts`)."""
    return trusted_facts(
        facts_dict(
            case,
            advice=advice,
            exceptions=exceptions,
            consultations=consultations,
            letters=letters,
            today=today,
            iso=False,
        ),
        closures,
    )


# The engine's milestone keys for the two limits the measures and SEN2 judge, by process:
# a re-assessment runs on 15 days and 14 weeks (reg 26(1), 27(1)), not 6 and 20 weeks.
_LIMITS = {
    "assessment": ("decision_whether_to_assess", "final_plan"),
    "reassessment": ("reassessment_decision", "reassessment_final_plan"),
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's judgement of a case's two headline limits.

    `exceptions_apply` is SEN2's Week20: an exception lifted, or would have lifted, the final
    plan's limit (reg 13(3) with 10(4), reg 27(3), or the 2020 easement)."""

    reassessment: bool
    decision_due: dt.date | None
    decision_status: str
    final_due: dt.date | None
    final_status: str
    exceptions_apply: bool


def verdict(facts: Facts, *, count_start_as_day_one: bool = False) -> Verdict:
    """The engine's verdicts on one case's facts.

    The engine looks for an exception only when a limit was missed. DfE's figures "excluding
    exceptions" leave out every case where an exception applies, on time or not, so for a plan
    issued on time the engine is asked the question it answers: had the plan not been issued
    by the due day, would an exception have lifted the limit on the day after?
    (docs/decisions/0020-performance-measures-and-dfe-statistics.md). The DfE-comparable
    figures pass `count_start_as_day_one=False`, DfE's fixed counting (decision 0131)."""
    reassessment = facts.process == "reassessment"
    decision_key, final_key = _LIMITS["reassessment" if reassessment else "assessment"]
    decision_due = final_due = None
    decision_status = final_status = ""
    for milestone in timeline(facts, count_start_as_day_one=count_start_as_day_one):
        if milestone.key == decision_key:
            decision_due, decision_status = milestone.due, milestone.status
        elif milestone.key == final_key:
            final_due, final_status = milestone.due, milestone.status
    applies = final_status == EXCEPTION_APPLIES
    if final_status == MET and final_due is not None:
        unissued = replace(
            facts,
            final_plan_issued_on=None,
            draft_plan_served_on=None,
            family_agreed_early_issue_on=None,
            consultations=(),
            today=final_due + DAY,
        )
        for milestone in timeline(unissued, count_start_as_day_one=count_start_as_day_one):
            if milestone.key == final_key:
                applies = milestone.status == EXCEPTION_APPLIES
    return Verdict(reassessment, decision_due, decision_status, final_due, final_status, applies)

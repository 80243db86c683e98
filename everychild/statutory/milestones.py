"""A case's statutory timeline: each milestone's due date, status and any exception.

Statuses (exactly one per milestone):

* ``pending``: not met and not yet past due (or its clock has not started: ``due`` is null);
* ``overdue``: not met and past due, with no exception;
* ``met``: met on or before the due day (the due day itself is in time);
* ``met_late``: met after the due day, with no exception;
* ``exception_applies``: missed (met late, or not met and past due) but an exception lifts the
  limit. An exception is looked for only when the limit was missed, so it can never change
  ``met`` into anything else;
* ``not_applicable``: the step cannot happen on this path (the final plan after a decision not
  to assess, the notice not to issue once a draft plan is served).

Comment windows (the draft plan, reg 13(1); proposed amendments, reg 22(2)(c)) are minimum
periods for the family, so they are judged the other way round: ``met`` (``met_on`` = the last
day of the window) once the window has run its full length with no final or amended plan issued
inside it; ``overdue`` as soon as the plan is issued inside it, with ``days_remaining`` = minus
the number of days the family lost.

The hot path is deliberately plain: no per-call holiday sets, no copying, exceptions examined
only for missed limits (benchmarks/bench_statutory.py).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from .calendars import add_working_days, closure_exception_window, merge_closures
from .deadlines import appeal_deadline
from .facts import PHASE_TRANSFERS, Facts, RecordedException
from .rules import (
    EASEMENT_FROM,
    EASEMENT_TO,
    EXCEPTION_KINDS,
    SEND_REGULATIONS_IN_FORCE,
    ExceptionKind,
    exception_keys_on,
    rule,
    rule_versions,
)

__all__ = [
    "EXCEPTION_APPLIES",
    "MET",
    "MET_LATE",
    "NOT_APPLICABLE",
    "OVERDUE",
    "PENDING",
    "STATUSES",
    "AppliedException",
    "Milestone",
    "timeline",
]

PENDING = "pending"
OVERDUE = "overdue"
MET = "met"
MET_LATE = "met_late"
EXCEPTION_APPLIES = "exception_applies"
NOT_APPLICABLE = "not_applicable"
STATUSES = (PENDING, OVERDUE, MET, MET_LATE, EXCEPTION_APPLIES, NOT_APPLICABLE)

# Milestones are built with tuple.__new__ on the hot path (see Milestone).
_new = tuple.__new__


@dataclass(slots=True)
class AppliedException:
    """The exception that lifted a missed limit: recorded by a caseworker, or detected."""

    reg: str
    regulation: str
    reason: str
    starts_on: date | None
    ends_on: date | None
    detected: bool
    # True when the exception's condition was assumed, not shown by the facts (the 2020
    # easement's "reason relating to coronavirus").
    assumed: bool = False


class Milestone(NamedTuple):
    """One step of the statutory clock for a case: an immutable value.

    The engine builds these with ``_new(Milestone, (...))`` (``tuple.__new__``), which is a third
    faster than the generated constructor and matters at 5 million milestones a run; code
    outside the engine can call ``Milestone(...)`` as usual.
    """

    key: str
    rule: str
    label: str
    due: date | None
    met_on: date | None
    status: str
    days_remaining: int | None
    regulation: str
    exception: AppliedException | None = None


class _Plan:
    """The exceptions that can lift one rule for one kind of clock, grouped by what they need:
    recorded on the case, recorded on the advice item, detected from setting closures, or the
    easement. Every rule lists them in that order of precedence, so grouping keeps it."""

    __slots__ = ("case", "item", "closure", "easement")

    def __init__(self, kinds: tuple[ExceptionKind, ...]) -> None:
        recorded = [k for k in kinds if k.how == "recorded"]
        self.case = tuple(k for k in recorded if k.recorded_on == "case")
        self.item = tuple(k for k in recorded if k.recorded_on == "advice")
        # Detected closure exceptions by the kind of setting: "school" or "early_years".
        self.closure = {k.setting: k for k in kinds if k.setting}
        self.easement = next((k for k in kinds if k.key == "coronavirus_easement"), None)


class _Clock:
    """A rule compiled for the hot path.

    The due date uses a precomputed timedelta when every version of the rule counts the same
    fixed number of days (the usual case), otherwise the versioned lookup. The exceptions that
    can lift a missed limit are those of the version in force on its due day
    (``rules.exception_keys_on``), resolved here to ExceptionKind objects once per version,
    because they are looked up for every missed limit.
    """

    __slots__ = (
        "key",
        "label",
        "regulation",
        "delta",
        "delta_day_one",
        "_bounds",
        "_plans",
        "_plan",
        "_differ_from",
        "_differ_to",
    )

    def __init__(self, key: str) -> None:
        versions = rule_versions(key)
        current = versions[-1]
        self.key = key
        self.label = current.label
        self.regulation = current.regulation
        uniform = all(
            v.counting == current.counting and v.day_one_convention == current.day_one_convention
            for v in versions
        )
        offset = current.counting.offset_days(False)
        self.delta = timedelta(days=offset) if uniform and offset is not None else None
        offset_day_one = current.counting.offset_days(current.day_one_convention)
        self.delta_day_one = (
            timedelta(days=offset_day_one) if uniform and offset_day_one is not None else None
        )
        self._bounds = tuple((v.in_force_from, v.in_force_to or date.max) for v in versions)
        self._plans = tuple(
            _Plan(tuple(EXCEPTION_KINDS[k] for k in exception_keys_on(key, v.in_force_from)))
            for v in versions
        )
        self._plan = self._plans[-1]
        # The span of due days judged by versions whose exceptions differ from the current ones
        # (the 2020 easement): a limit due outside it has exactly the current exceptions.
        differing = [
            b
            for v, b in zip(versions, self._bounds, strict=True)
            if v.exceptions != current.exceptions
        ]
        self._differ_from = min((b[0] for b in differing), default=date.max)
        self._differ_to = max((b[1] for b in differing), default=date.min)

    def due(self, start: date, day_one: bool) -> date:
        delta = self.delta_day_one if day_one else self.delta
        if delta is not None:
            return start + delta
        # Only a review can count from before the 2014 Regulations (a statement converted to a
        # plan keeps its dates; every other clock refuses such a start): the first version of
        # the rule applies to it, as in `reviews._due`.
        version = rule(self.key, max(start, SEND_REGULATIONS_IN_FORCE))
        return version.due(start, count_start_as_day_one=day_one)

    def exception_plan(self, due: date) -> _Plan:
        if due < self._differ_from or due > self._differ_to:
            return self._plan
        for (in_force_from, in_force_to), plan in zip(self._bounds, self._plans, strict=True):
            if in_force_from <= due <= in_force_to:
                return plan
        return self._plan


_DECISION = _Clock("decision_whether_to_assess")
_ADVICE = _Clock("advice")
_NOTICE = _Clock("notice_not_to_issue")
_DRAFT_WINDOW = _Clock("draft_plan_comments_close")
_CONSULTATION = _Clock("consultation")
_FINAL_PLAN = _Clock("final_plan")
_REASSESSMENT_DECISION = _Clock("reassessment_decision")
_REASSESSMENT_FINAL_PLAN = _Clock("reassessment_final_plan")
_ANNUAL_REVIEW = _Clock("annual_review_meeting")
_REVIEW_NOTICE = _Clock("review_meeting_notice")
_REVIEW_REPORT = _Clock("review_report")
_REVIEW_DECISION = _Clock("review_decision")
_AMENDMENT_WINDOW = _Clock("amendment_comments_close")
_AMENDED_PLAN = _Clock("amended_plan")
_PHASE_SCHOOL = _Clock("phase_transfer_school")
_PHASE_POST16 = _Clock("phase_transfer_post16")
_MEDIATION_CONTACT = _Clock("mediation_contact")
_MEDIATION_CERTIFICATE = _Clock("mediation_certificate")
_APPEAL = _Clock("appeal_deadline")
_NOT_AMENDING = _Clock("decision_not_to_amend")
_POST16_MOVE = _Clock("post16_move_amendment")
_TRANSFER_PLAN = _Clock("transfer_plan")
_TRANSFER_NOTICE = _Clock("transfer_family_notice")
_TRANSFER_REVIEW = _Clock("transfer_review")
_TRANSFER_HEALTH = _Clock("transfer_health")
_MEDIATION_HELD = _Clock("mediation_held")
_MEDIATION_AFTER = _Clock("mediation_certificate_after_mediation")
_AGREEMENT_OTHER = _Clock("mediation_agreement_other")
_RECOMMENDATION = _Clock("tribunal_recommendation_response")
_TRIBUNAL = {
    key: _Clock(key)
    for key in (
        "tribunal_notify_assess",
        "tribunal_decide_not_to_issue",
        "tribunal_final_plan_after_assessment",
        "tribunal_draft_plan",
        "tribunal_final_plan",
        "tribunal_amend_plan",
        "tribunal_name_school",
        "tribunal_cease",
    )
}

# reg 8(1) binds "a body" whose co-operation the local authority requests under CFA 2014 s.31
# (health bodies, other councils); schools, early years settings and educational psychologists
# are asked under reg 6(1), and their 6 weeks is what the Code expects (decision 0130).
_BY_THE_CODE = (
    "SEND Code of Practice 9.52 (advice expected within 6 weeks; SEND Regulations 2014 "
    "reg 8(1) binds only bodies asked to co-operate under Children and Families Act 2014 s.31)"
)
_UNDER_SECTION_31 = (
    "SEND Regulations 2014 reg 8(1) (a body asked to co-operate under Children and Families "
    "Act 2014 s.31)"
)
_ADVICE_REGULATIONS = {
    "education": _BY_THE_CODE,
    "early_years": _BY_THE_CODE,
    "educational_psychology": _BY_THE_CODE,
}

_ADVICE_LABELS = {
    "education": "Advice: education (school or college)",
    "early_years": "Advice: education (early years provider)",
    "educational_psychology": "Advice: educational psychology",
    "health": "Advice: health",
    "social_care": "Advice: social care",
    "sensory": "Advice: vision or hearing impairment",
    "preparing_for_adulthood": "Advice: preparing for adulthood",
    "other": "Advice: other",
}


# --- exceptions (examined only when a limit was missed) ----------------------------------


def _recorded_exception_holds(
    record: RecordedException, start: date, due: date, min_days: int, today: date
) -> bool:
    """A recorded exception lifts a limit if its period overlaps the clock [start, due].

    An absence must be "for a continuous period of not less than 4 weeks during that period"
    (reg 5(4)(c), 8(2)(b), 10(4)(d), 27(3)(d); 2 weeks in reg 44(3)(b)): the required days must
    fall inside [start, due], so only the part of the absence inside the clock (and, while it
    goes on, up to today) counts."""
    if record.starts_on > due or (record.ends_on is not None and record.ends_on < start):
        return False
    if min_days:
        end = record.ends_on if record.ends_on is not None else today
        if end > due:
            end = due
        first = record.starts_on if record.starts_on > start else start
        if (end - first).days + 1 < min_days:
            return False
    return True


_WINDOWS: dict[int, tuple] = {}


def _closure_windows(closures: tuple) -> tuple[tuple[date, ...], tuple]:
    """The exception periods of an area's closures of at least 4 weeks, sorted: a tuple of
    their first days (for bisect) and a tuple of (window from, window to, first, last closed).

    Memoised by the identity of the closures tuple: an area's closures are one shared tuple, so
    the windows are worked out once, not for every missed limit of every case.
    """
    entry = _WINDOWS.get(id(closures))
    if entry is not None and entry[0] is closures:
        return entry[1]
    windows = []
    for first, last in merge_closures((c.first_closed_day, c.last_closed_day) for c in closures):
        window = closure_exception_window(first, last)
        if window is not None:
            windows.append((window[0], window[1], first, last))
    # Merged closures are disjoint, so their windows are disjoint and in order.
    result = (tuple(w[0] for w in windows), tuple(windows))
    if len(_WINDOWS) > 4096:
        _WINDOWS.clear()
    _WINDOWS[id(closures)] = (closures, result)
    return result


def _closure_exception(
    by_setting: dict[str, ExceptionKind], start: date, due: date, facts: Facts
) -> AppliedException | None:
    """Detect reg 5(4)(a) / 10(4)(a)/(b): advice asked of a setting (received on a day in
    [start, due]) during the period from one week before a closure of at least 4 weeks to one
    week before it re-opens, and not given before the setting closed."""
    starts = windows = None
    for advice in facts.advice:
        received = advice.received_by_body_on
        if not advice.to_school_or_setting or received is None or not start <= received <= due:
            continue
        kind = by_setting.get("early_years" if advice.kind == "early_years" else "school")
        if kind is None:
            continue  # e.g. reg 5(4) has no early years limb
        if starts is None:
            starts, windows = _closure_windows(facts.setting_closures)
        index = bisect_right(starts, received) - 1
        if index < 0:
            continue
        window_from, window_to, first, last = windows[index]
        # The limit is lifted only if the closure made it impractical ("because", reg 5(4),
        # 10(4)): advice the setting gave before it closed was not held up by the closure.
        if advice.provided_on is not None and advice.provided_on < first:
            continue
        if received <= window_to:
            return AppliedException(
                reg=kind.key,
                regulation=kind.regulation,
                reason=(
                    f"advice:{advice.id} was asked of the setting on {received.isoformat()}, "
                    f"within the period from one week before its closure of "
                    f"{(last - first).days + 1} days ({first.isoformat()} to "
                    f"{last.isoformat()}) to one week before it re-opened"
                ),
                starts_on=window_from,
                ends_on=window_to,
                detected=True,
            )
    return None


def _recorded_exception(
    kinds: tuple[ExceptionKind, ...],
    records: tuple[RecordedException, ...],
    start: date,
    due: date,
    today: date,
) -> AppliedException | None:
    for kind in kinds:
        for record in records:
            if record.reg == kind.key and _recorded_exception_holds(
                record, start, due, kind.min_continuous_days, today
            ):
                return AppliedException(
                    reg=kind.key,
                    regulation=kind.regulation,
                    reason=record.reason,
                    starts_on=record.starts_on,
                    ends_on=record.ends_on,
                    detected=False,
                )
    return None


def _find_exception(
    clock: _Clock,
    start: date,
    due: date,
    facts: Facts,
    item_exceptions: tuple[RecordedException, ...] = (),
) -> AppliedException | None:
    """The first exception that lifts a missed limit, judged by every version of the rule in
    force while the clock ran: recorded ones first, then detected closures, then the easement.
    """
    plan = clock.exception_plan(due)
    if plan.case and facts.exceptions:
        found = _recorded_exception(plan.case, facts.exceptions, start, due, facts.today)
        if found is not None:
            return found
    if plan.item and item_exceptions:
        found = _recorded_exception(plan.item, item_exceptions, start, due, facts.today)
        if found is not None:
            return found
    if plan.closure and facts.setting_closures and facts.advice:
        found = _closure_exception(plan.closure, start, due, facts)
        if found is not None:
            return found
    kind = plan.easement
    if kind is not None and not facts.no_coronavirus_reason:
        # The limit fell due while SI 2020/471 was in force. Its condition (a reason relating
        # to coronavirus) is assumed, and the reason says so, so that a caseworker who knows
        # there was none can record it (``no_coronavirus_reason``) and the limit stands.
        return AppliedException(
            reg=kind.key,
            regulation=kind.regulation,
            reason=(
                "assumed: the limit fell due during the 2020 coronavirus easement, when it did "
                "not apply where meeting it was not reasonably practicable for a reason "
                "relating to coronavirus; record that there was no such reason if so"
            ),
            starts_on=EASEMENT_FROM,
            ends_on=EASEMENT_TO,
            detected=True,
            assumed=True,
        )
    return None


# --- judging one milestone -----------------------------------------------------------------


def _judge(
    clock: _Clock,
    key: str,
    label: str,
    start: date,
    met_on: date | None,
    facts: Facts,
    day_one: bool,
    item_exceptions: tuple[RecordedException, ...] = (),
    regulation: str | None = None,
    due: date | None = None,
) -> Milestone:
    """Judge one limit: met, met late, pending, overdue, or lifted by an exception.

    The due date is counted forward from `start` (the hot path: a precomputed timedelta)
    unless the caller worked it out (`due`: fixed dates, counting back, the later of two appeal
    periods). The clock an exception must fall within runs from `start` to the due date.
    """
    if due is None:
        delta = clock.delta_day_one if day_one else clock.delta
        due = start + delta if delta is not None else clock.due(start, day_one)
    if regulation is None:
        regulation = clock.regulation
    if met_on is not None:
        if met_on <= due:
            return _new(
                Milestone, (key, clock.key, label, due, met_on, MET, None, regulation, None)
            )
        found = _find_exception(clock, start, due, facts, item_exceptions)
        status = MET_LATE if found is None else EXCEPTION_APPLIES
        return _new(
            Milestone, (key, clock.key, label, due, met_on, status, None, regulation, found)
        )
    days = (due - facts.today).days
    if days >= 0:
        return _new(Milestone, (key, clock.key, label, due, None, PENDING, days, regulation, None))
    found = _find_exception(clock, start, due, facts, item_exceptions)
    status = OVERDUE if found is None else EXCEPTION_APPLIES
    return _new(Milestone, (key, clock.key, label, due, None, status, days, regulation, found))


def _window(
    clock: _Clock,
    key: str,
    start: date,
    closed_by: date | None,
    facts: Facts,
    agreed_on: date | None = None,
):
    """A family's comment window (reg 13(1), 22(2)(c)): met when it ran its full length, or
    when the plan was issued early after the family agreed to it (`agreed_on`): the 15 days
    are the family's, and the family may give up what is left of them."""
    due = clock.due(start, False)
    if closed_by is not None and closed_by <= due:
        if agreed_on is not None and agreed_on <= closed_by:
            return _new(
                Milestone,
                (key, clock.key, clock.label, due, closed_by, MET, None, clock.regulation, None),
            )
        # The plan was issued inside the window: the family lost (due - closed_by + 1) days.
        lost = (due - closed_by).days + 1
        return _new(
            Milestone,
            (key, clock.key, clock.label, due, None, OVERDUE, -lost, clock.regulation, None),
        )
    days = (due - facts.today).days
    if days < 0:
        return _new(
            Milestone, (key, clock.key, clock.label, due, due, MET, None, clock.regulation, None)
        )
    return _new(
        Milestone, (key, clock.key, clock.label, due, None, PENDING, days, clock.regulation, None)
    )


def _waiting(
    clock: _Clock, key: str, label: str | None = None, regulation: str | None = None
) -> Milestone:
    """A step whose clock has not started yet (its starting event has not happened)."""
    return _new(
        Milestone,
        (
            key,
            clock.key,
            label or clock.label,
            None,
            None,
            PENDING,
            None,
            regulation or clock.regulation,
            None,
        ),
    )


def _not_applicable(
    clock: _Clock, key: str, label: str | None = None, regulation: str | None = None
) -> Milestone:
    return _new(
        Milestone,
        (
            key,
            clock.key,
            label or clock.label,
            None,
            None,
            NOT_APPLICABLE,
            None,
            regulation or clock.regulation,
            None,
        ),
    )


# --- processes -------------------------------------------------------------------------------


def _check_in_force(start: date) -> None:
    """Cases whose clock started before the 2014 law are not modelled (parse_facts refuses
    them with a message naming the field; this guards Facts built directly)."""
    if start < SEND_REGULATIONS_IN_FORCE:
        raise LookupError(f"a clock starting on {start} is before 1 September 2014")


def _assessment(
    facts: Facts, day_one: bool, out: list[Milestone], *, reassessment: bool = False
) -> None:
    """EHC needs assessment: SEND Regulations 2014 regs 4-13 and CFA 2014 s.39-40.

    A re-assessment of a child with a plan (regs 24-27) follows the same steps and advice
    (regs 6-8 apply), but the decision is due within 15 days of the request (reg 25) and the
    amended plan (or the notice that it will not be amended) within 14 weeks of the notice of
    the decision to re-assess (reg 27(2)), subject to the exceptions of reg 27(3)."""
    request = facts.request_received
    decision = facts.decision
    not_assessing = decision is not None and decision.outcome == "not_assess"
    draft = facts.draft_plan_served_on
    final = facts.final_plan_issued_on
    not_issuing = facts.decision_not_to_issue_on
    # The assessment is over once the LA has decided not to assess, not to issue, or issued.
    finished = not_assessing or final is not None or not_issuing is not None
    append = out.append
    _check_in_force(request)

    decision_clock, decision_key = (
        (_REASSESSMENT_DECISION, "reassessment_decision")
        if reassessment
        else (_DECISION, "decision_whether_to_assess")
    )
    append(
        _judge(
            decision_clock,
            decision_key,
            decision_clock.label,
            request,
            decision.on if decision is not None else None,
            facts,
            day_one,
        )
    )

    for advice in facts.advice:
        key = "advice:" + advice.id
        label = _ADVICE_LABELS.get(advice.kind, _ADVICE.label)
        regulation = _ADVICE_REGULATIONS.get(advice.kind, _UNDER_SECTION_31)
        received = advice.received_by_body_on
        if received is None:
            append(
                _not_applicable(_ADVICE, key, label, regulation)
                if finished
                else _waiting(_ADVICE, key, label, regulation)
            )
        elif not_assessing and advice.provided_on is None:
            append(_not_applicable(_ADVICE, key, label, regulation))
        else:
            append(
                _judge(
                    _ADVICE,
                    key,
                    label,
                    received,
                    advice.provided_on,
                    facts,
                    day_one,
                    advice.exceptions,
                    regulation,
                )
            )

    if reassessment:
        _reassessment_outcome(facts, day_one, finished, out)
        return

    # reg 10(1) binds only a decision not to issue: judged if one was made, otherwise live
    # until the LA shows it is issuing (a draft or final plan) or decided not to assess.
    if not_issuing is None and (not_assessing or draft is not None or final is not None):
        append(_not_applicable(_NOTICE, "notice_not_to_issue"))
    else:
        append(
            _judge(
                _NOTICE, "notice_not_to_issue", _NOTICE.label, request, not_issuing, facts, day_one
            )
        )

    if draft is not None:
        append(
            _window(
                _DRAFT_WINDOW,
                "draft_plan_comments_close",
                draft,
                final,
                facts,
                facts.family_agreed_early_issue_on,
            )
        )
    elif finished:
        append(_not_applicable(_DRAFT_WINDOW, "draft_plan_comments_close"))
    else:
        append(_waiting(_DRAFT_WINDOW, "draft_plan_comments_close"))

    if facts.consultations:
        _consultations(facts, day_one, finished, out)

    if not_assessing or (not_issuing is not None and final is None):
        append(_not_applicable(_FINAL_PLAN, "final_plan"))
    else:
        append(_judge(_FINAL_PLAN, "final_plan", _FINAL_PLAN.label, request, final, facts, day_one))


def _reassessment_outcome(
    facts: Facts, day_one: bool, finished: bool, out: list[Milestone]
) -> None:
    """After a decision to re-assess: the family's 15 days on a draft, consultations, and the
    outcome within 14 weeks of the decision's notice (reg 27(2)): the amended plan, or the
    notice that the plan will not be amended (recorded as a decision not to issue)."""
    decision = facts.decision
    draft = facts.draft_plan_served_on
    outcome = facts.final_plan_issued_on or facts.decision_not_to_issue_on
    if draft is not None:
        out.append(
            _window(
                _DRAFT_WINDOW,
                "draft_plan_comments_close",
                draft,
                facts.final_plan_issued_on,
                facts,
                facts.family_agreed_early_issue_on,
            )
        )
    elif finished:
        out.append(_not_applicable(_DRAFT_WINDOW, "draft_plan_comments_close"))
    else:
        out.append(_waiting(_DRAFT_WINDOW, "draft_plan_comments_close"))
    if facts.consultations:
        _consultations(facts, day_one, finished, out)
    if decision is None:
        out.append(_waiting(_REASSESSMENT_FINAL_PLAN, "reassessment_final_plan"))
    elif decision.outcome == "not_assess":
        out.append(_not_applicable(_REASSESSMENT_FINAL_PLAN, "reassessment_final_plan"))
    else:
        out.append(
            _judge(
                _REASSESSMENT_FINAL_PLAN,
                "reassessment_final_plan",
                _REASSESSMENT_FINAL_PLAN.label,
                decision.on,
                outcome,
                facts,
                day_one,
            )
        )


def _consultations(facts: Facts, day_one: bool, finished: bool, out: list[Milestone]) -> None:
    """Consultations with schools and colleges about being named (CFA 2014 s.39(2), s.40(3))."""
    for consultation in facts.consultations:
        key = "consultation:" + consultation.id
        sent = consultation.sent_on
        if sent is None:
            out.append(
                _not_applicable(_CONSULTATION, key) if finished else _waiting(_CONSULTATION, key)
            )
        else:
            out.append(
                _judge(
                    _CONSULTATION,
                    key,
                    _CONSULTATION.label,
                    sent,
                    consultation.answered_on,
                    facts,
                    day_one,
                )
            )


def _review(
    facts: Facts, day_one: bool, out: list[Milestone], transferred_on: date | None = None
) -> None:
    """Annual review and amendment: CFA 2014 s.44; SEND Regulations 2014 regs 18, 20-22.

    For a plan transferred in (reg 15), `transferred_on` makes the review due by the later of
    the end of the s.44(1) period and 3 months from the transfer."""
    # Not `_check_in_force`: a plan recorded as made before 1 September 2014 (a statement of SEN
    # carried over, as imported records hold) is still reviewed under s.44, by the first rule.
    counted_from = facts.last_review_meeting_on or facts.plan_issued_on
    meeting = facts.review_meeting_on
    if transferred_on is None:
        out.append(
            _judge(
                _ANNUAL_REVIEW,
                "annual_review_meeting",
                _ANNUAL_REVIEW.label,
                counted_from,
                meeting,
                facts,
                day_one,
            )
        )
    else:
        due = max(
            _ANNUAL_REVIEW.due(counted_from, False), _TRANSFER_REVIEW.due(transferred_on, False)
        )
        out.append(
            _judge(
                _TRANSFER_REVIEW,
                "annual_review_meeting",
                _TRANSFER_REVIEW.label,
                counted_from,
                meeting,
                facts,
                False,
                due=due,
            )
        )
    if meeting is not None and facts.review_notice_sent_on is not None:
        # Counted back from the meeting: due 2 weeks before it.
        due = _REVIEW_NOTICE.due(meeting, day_one)
        out.append(
            _judge(
                _REVIEW_NOTICE,
                "review_meeting_notice",
                _REVIEW_NOTICE.label,
                due,
                facts.review_notice_sent_on,
                facts,
                day_one,
                due=due,
            )
        )
    for clock, key, met_on in (
        (_REVIEW_REPORT, "review_report", facts.review_report_sent_on),
        (_REVIEW_DECISION, "review_decision", facts.review_decision_on),
    ):
        if meeting is None:
            out.append(_waiting(clock, key))
        else:
            out.append(_judge(clock, key, clock.label, meeting, met_on, facts, day_one))

    proposed = facts.proposed_amendments_sent_on
    amended = facts.amended_plan_issued_on
    if proposed is not None:
        out.append(
            _window(
                _AMENDMENT_WINDOW,
                "amendment_comments_close",
                proposed,
                amended,
                facts,
                facts.family_agreed_early_amendment_on,
            )
        )
    _consultations(facts, day_one, amended is not None, out)
    not_amending = facts.decision_not_to_amend_on
    if proposed is not None and not_amending is not None:
        # reg 22(4): the notice that the plan will not be amended ends the amendment; the
        # amended plan is then not due at all.
        out.append(
            _judge(
                _NOT_AMENDING,
                "decision_not_to_amend",
                _NOT_AMENDING.label,
                proposed,
                not_amending,
                facts,
                day_one,
            )
        )
        out.append(_not_applicable(_AMENDED_PLAN, "amended_plan"))
    elif proposed is not None:
        out.append(
            _judge(
                _AMENDED_PLAN,
                "amended_plan",
                _AMENDED_PLAN.label,
                proposed,
                amended,
                facts,
                day_one,
            )
        )

    move = facts.post16_move_on
    if move is not None:
        # reg 18(2): "at least 5 months before" the move: counted back from it.
        due = _POST16_MOVE.due(move, False)
        out.append(
            _judge(
                _POST16_MOVE,
                "post16_move_amendment",
                _POST16_MOVE.label,
                due,
                amended,
                facts,
                False,
                due=due,
            )
        )

    transfer = facts.phase_transfer
    if transfer is not None:
        clock = _PHASE_POST16 if transfer.kind == "post16" else _PHASE_SCHOOL
        # The version by the year of the transfer: reg 18(3) for post-16 in 2015.
        version = rule(clock.key, date(transfer.year, 1, 1))
        due = version.due(date(transfer.year, 1, 1))
        label = clock.label
        if transfer.transfer:
            kind = PHASE_TRANSFERS[transfer.transfer]
            label = f"{label}: {kind.from_phase} to {kind.to_phase}"
        out.append(
            _judge(
                clock,
                "phase_transfer_amendment",
                label,
                due,
                amended,
                facts,
                False,
                regulation=version.regulation,
                due=due,
            )
        )


def _tribunal(facts: Facts, day_one: bool, out: list[Milestone]) -> None:
    """Complying with an order of the First-tier Tribunal (SEND Regulations 2014 reg 44/45)."""
    order = facts.tribunal_order
    _check_in_force(order.on)
    # reg 45: a conceded appeal runs on the reg 44 periods from the local authority's notice.
    cite = "SEND Regulations 2014 reg 45 (the periods of reg {})" if order.unopposed else None
    _order_steps(order, "tribunal:", cite, facts, day_one, out)


def _agreement_label(label: str) -> str:
    """A reg 44 step's label as the step of a mediation agreement (reg 42), which the family
    and the council reached, not the Tribunal."""
    if label == "Name the school the Tribunal ordered":
        return "Name the school agreed in mediation"
    return label.replace("(Tribunal order to ", "(mediation agreement to ")


def _order_steps(
    order, prefix: str, cite: str | None, facts: Facts, day_one: bool, out, *, agreed=False
) -> None:
    """The steps of a reg 44(2) order, or of a mediation agreement on an appealable matter run
    on the same periods (reg 42, `agreed`). `cite`, when given, wraps the reg 44 paragraph."""
    on = order.on

    def step(rule_key: str, key: str, met_on: date | None) -> Milestone:
        clock = _TRIBUNAL[rule_key]
        regulation = clock.regulation
        if cite is not None:
            regulation = cite.format(regulation.split()[-1])
        label = _agreement_label(clock.label) if agreed else clock.label
        return _judge(clock, prefix + key, label, on, met_on, facts, day_one, (), regulation)

    def not_applicable(rule_key: str, key: str) -> Milestone:
        clock = _TRIBUNAL[rule_key]
        regulation = clock.regulation
        if cite is not None:
            regulation = cite.format(regulation.split()[-1])
        label = _agreement_label(clock.label) if agreed else None
        return _not_applicable(clock, prefix + key, label, regulation)

    if order.kind == "assess":
        out.append(step("tribunal_notify_assess", "notify_assess", order.notified_on))
        issuing = order.final_plan_issued_on is not None or order.draft_plan_issued_on is not None
        if order.decision_not_to_issue_on is None and issuing:
            out.append(not_applicable("tribunal_decide_not_to_issue", "decide_not_to_issue"))
        else:
            out.append(
                step(
                    "tribunal_decide_not_to_issue",
                    "decide_not_to_issue",
                    order.decision_not_to_issue_on,
                )
            )
        if order.decision_not_to_issue_on is not None and order.final_plan_issued_on is None:
            out.append(not_applicable("tribunal_final_plan_after_assessment", "final_plan"))
        else:
            out.append(
                step(
                    "tribunal_final_plan_after_assessment",
                    "final_plan",
                    order.final_plan_issued_on,
                )
            )
    elif order.kind == "make_plan":
        out.append(step("tribunal_draft_plan", "draft_plan", order.draft_plan_issued_on))
        out.append(step("tribunal_final_plan", "final_plan", order.final_plan_issued_on))
    elif order.kind == "cease":
        # reg 44(2)(a): the plan ceases at once; the order itself is the act.
        clock = _TRIBUNAL["tribunal_cease"]
        out.append(_judge(clock, prefix + "cease", clock.label, on, on, facts, False))
    elif order.kind == "amend_plan":
        out.append(step("tribunal_amend_plan", "amend_plan", order.amended_plan_issued_on))
    else:
        out.append(step("tribunal_name_school", "name_school", order.amended_plan_issued_on))


def _transfer_in(facts: Facts, day_one: bool, out: list[Milestone]) -> None:
    """A plan transferred in from another council (SEND Regulations 2014 reg 15, 16)."""
    transfer = facts.transfer_in
    _check_in_force(transfer.moved_on)
    transferred = transfer.plan_transferred_on
    # reg 15(2): on the day of the move, or, where the old council learned of it less than 15
    # working days before, within 15 working days beginning with the day it learned of it
    # (that day the first of them, when a working day): the later of the two days.
    due = transfer.moved_on
    aware = transfer.old_authority_aware_on
    if aware is not None:
        due = max(due, _TRANSFER_PLAN.due(aware, False))
    out.append(
        _judge(
            _TRANSFER_PLAN,
            "transfer:plan_transferred",
            _TRANSFER_PLAN.label,
            due,
            transferred,
            facts,
            False,
            due=due,
        )
    )
    if transferred is None:
        out.append(_waiting(_TRANSFER_NOTICE, "transfer:family_notice"))
    else:
        out.append(
            _judge(
                _TRANSFER_NOTICE,
                "transfer:family_notice",
                _TRANSFER_NOTICE.label,
                transferred,
                transfer.family_notified_on,
                facts,
                day_one,
            )
        )
    if transfer.health_body_aware_on is not None:
        health_aware = transfer.health_body_aware_on
        out.append(
            _judge(
                _TRANSFER_HEALTH,
                "transfer:health_body_notified",
                _TRANSFER_HEALTH.label,
                health_aware,
                transfer.health_body_notified_on,
                facts,
                False,
                due=add_working_days(health_aware, 15),
            )
        )
    # Until the plan arrives, the review is due by the s.44(1) period alone (the later of the
    # two days can only be later).
    _review(facts, day_one, out, transferred_on=transferred or transfer.moved_on)


def _recommendations(facts: Facts, day_one: bool, out: list[Milestone]) -> None:
    """The Tribunal's recommendations to health or social care bodies (2017 Regulations)."""
    for recommendation in facts.tribunal_recommendations:
        who = "health" if recommendation.body == "health" else "social care"
        out.append(
            _judge(
                _RECOMMENDATION,
                "tribunal_recommendation:" + recommendation.id,
                f"{_RECOMMENDATION.label} ({who})",
                recommendation.on,
                recommendation.answered_on,
                facts,
                day_one,
            )
        )


def _disagreement(facts: Facts, out: list[Milestone]) -> None:
    """Mediation and appeal deadlines (SEND Regulations 2014 regs 33-34; Tribunal rules r.20).

    These are mostly the family's deadlines, so the council's day-one setting never applies.
    """
    letter = facts.decision_letter_on
    _check_in_force(letter)
    contacted = facts.mediation_contacted_on
    certificate = facts.mediation_certificate_on
    # Contact must have come before the certificate, so the certificate date stands in for an
    # unrecorded contact date.
    out.append(
        _judge(
            _MEDIATION_CONTACT,
            "mediation_contact",
            _MEDIATION_CONTACT.label,
            letter,
            contacted if contacted is not None else certificate,
            facts,
            False,
        )
    )
    requested = facts.mediation_requested_on
    if requested is not None:
        _mediation(facts, requested, out)
    elif contacted is not None:
        out.append(
            _judge(
                _MEDIATION_CERTIFICATE,
                "mediation_certificate",
                _MEDIATION_CERTIFICATE.label,
                contacted,
                certificate,
                facts,
                False,
            )
        )
    due = appeal_deadline(letter, certificate)
    out.append(
        _judge(
            _APPEAL,
            "appeal_deadline",
            _APPEAL.label,
            letter,
            facts.appeal_lodged_on,
            facts,
            False,
            due=due,
        )
    )


def _mediation(facts: Facts, requested: date, out: list[Milestone]) -> None:
    """Mediation the family chose (reg 37): held within 30 days of the local authority being
    told; the certificate within 3 working days after it, or after the 30 days if it was not
    held by then; and any agreement reached (reg 42)."""
    held = facts.mediation_held_on
    out.append(
        _judge(
            _MEDIATION_HELD,
            "mediation_held",
            _MEDIATION_HELD.label,
            requested,
            held,
            facts,
            False,
        )
    )
    thirty_days = _MEDIATION_HELD.due(requested, False)
    if held is not None and held <= thirty_days:
        ended = held
    elif held is not None or facts.today > thirty_days:
        ended = thirty_days
    else:
        ended = None
    if ended is None:
        out.append(_waiting(_MEDIATION_AFTER, "mediation_certificate"))
    else:
        out.append(
            _judge(
                _MEDIATION_AFTER,
                "mediation_certificate",
                _MEDIATION_AFTER.label,
                ended,
                facts.mediation_certificate_on,
                facts,
                False,
                due=add_working_days(ended, 3),
            )
        )
    agreement = facts.mediation_agreement
    if agreement is None:
        return
    if agreement.kind == "other":
        out.append(
            _judge(
                _AGREEMENT_OTHER,
                "mediation_agreement:other",
                _AGREEMENT_OTHER.label,
                agreement.on,
                agreement.done_on,
                facts,
                False,
            )
        )
    else:
        _order_steps(
            agreement,
            "mediation_agreement:",
            "SEND Regulations 2014 reg 42 (the periods of reg {})",
            facts,
            False,
            out,
            agreed=True,
        )


def timeline(facts: Facts, *, count_start_as_day_one: bool = False) -> list[Milestone]:
    """Compute every milestone of a case from its facts.

    ``process`` picks the main path ("assessment", "reassessment", "review", "transfer_in" or
    "tribunal_order"); a Tribunal order, mediation/appeal facts and the Tribunal's
    recommendations add their milestones on any path.
    ``count_start_as_day_one`` is the area setting for councils that count the day of receipt as
    day 1 (limits "within ... of" an event end a day earlier).
    """
    out: list[Milestone] = []
    process = facts.process
    if process == "assessment":
        _assessment(facts, count_start_as_day_one, out)
    elif process == "reassessment":
        _assessment(facts, count_start_as_day_one, out, reassessment=True)
    elif process == "review":
        _review(facts, count_start_as_day_one, out)
    elif process == "transfer_in":
        _transfer_in(facts, count_start_as_day_one, out)
    if facts.tribunal_order is not None:
        _tribunal(facts, count_start_as_day_one, out)
    if facts.decision_letter_on is not None:
        _disagreement(facts, out)
    if facts.tribunal_recommendations:
        _recommendations(facts, count_start_as_day_one, out)
    return out

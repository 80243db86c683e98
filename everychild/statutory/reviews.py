"""Annual reviews, amendments and moves between phases of education: the dates a plan's life
runs on, from the rules in the registry (no Django here).

- When the next review is due: within "the period of 12 months starting with" the plan's
  making or the previous review (CFA 2014 s.44(1)), so by the day before the anniversary;
  6 months for a child under 5 where the area has chosen to review them that often
  (Code 9.178). Reviews follow SEND Regulations 2014 regs 19-21.
- The review meeting's own clock: invitations and advice at least 2 weeks before
  (reg 20(3)-(4), 21(3)-(4)), the report within 2 weeks (reg 20(7), 21(7)), the local
  authority's decision within 4 weeks (reg 20(10)).
- Amendments: at least 15 days to comment (reg 22(2)(c)), the amended plan within 8 weeks of
  sending the proposed amendments (reg 22(3)).
- Phase transfer: which children move between phases of education next September, as reg 2
  defines a "transfer between phases of education" (all six transfers), and the reg 18(1) date
  their plan must be reviewed and amended before (15 February, so by 14 February; 31 March
  for secondary school to post-16, so by 30 March; reg 18(3): 31 May 2015 for transfers to
  post-16 on 1 September 2015).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .counting import months_after
from .facts import PHASE_TRANSFERS
from .rules import SEND_REGULATIONS_IN_FORCE, rule

# The engine's statuses (milestones.STATUSES; not imported: milestones imports this module's
# neighbours, and the test asserts they are the same words).
PENDING, OVERDUE, MET, MET_LATE = "pending", "overdue", "met", "met_late"

__all__ = [
    "NATIONAL_MOVES",
    "AmendmentDates",
    "PhaseMove",
    "ReviewDates",
    "ReviewStep",
    "academic_year_group",
    "amendment_dates",
    "earliest_meeting",
    "judge_review_step",
    "next_review_due",
    "phase_move",
    "phase_transfer_due",
    "review_dates",
]


def _due(key: str, start: date, count_start_as_day_one: bool = False) -> date:
    # A plan can count from a date before the 2014 Regulations (a statement of SEN converted
    # to a plan keeps its dates): the first version of the rule applies to it.
    version = rule(key, max(start, SEND_REGULATIONS_IN_FORCE))
    return version.due(start, count_start_as_day_one=count_start_as_day_one)


def _under_five(born: date | None, on: date) -> bool:
    return born is not None and months_after(born, 60) > on


def next_review_due(
    counted_from: date,
    *,
    born: date | None = None,
    six_monthly_under_5: bool = False,
    count_start_as_day_one: bool = False,
) -> date:
    """The latest day for the next review meeting: the last day of the 12 months starting with
    `counted_from` (the plan's making, then the previous review meeting; CFA 2014 s.44(1)),
    the day before the anniversary; or 6 months for a child still
    under 5 on `counted_from` in an area that reviews under-5s every 6 months (Code 9.178)."""
    if six_monthly_under_5 and _under_five(born, counted_from):
        return _due("review_interval_under_5", counted_from, count_start_as_day_one)
    return _due("annual_review_meeting", counted_from, count_start_as_day_one)


@dataclass(frozen=True, slots=True)
class ReviewDates:
    """The clock of one review meeting (reg 20 for a child at school, reg 21 otherwise: the
    periods are the same)."""

    meeting_on: date
    invitations_by: date  # reg 20(3), 21(3)
    advice_by: date  # reg 20(4), 21(4)
    report_by: date  # reg 20(7), 21(7)
    decision_by: date  # reg 20(10)


def review_dates(meeting_on: date, *, count_start_as_day_one: bool = False) -> ReviewDates:
    return ReviewDates(
        meeting_on=meeting_on,
        invitations_by=_due("review_meeting_notice", meeting_on),
        advice_by=_due("review_advice_circulated", meeting_on),
        report_by=_due("review_report", meeting_on, count_start_as_day_one),
        decision_by=_due("review_decision", meeting_on, count_start_as_day_one),
    )


def earliest_meeting(invited_on: date) -> date:
    """The earliest day a review meeting may be held when the invitations go out on
    `invited_on`: the first day whose 2-week notice (reg 20(3), 21(3): invited "at least two
    weeks before the date of the meeting") is on or after `invited_on`. Searched day by day from
    the invitation, since the rule is versioned and may count differently in another period."""
    meeting = invited_on
    while _due("review_meeting_notice", meeting) < invited_on:
        meeting = date.fromordinal(meeting.toordinal() + 1)
    return meeting


@dataclass(frozen=True, slots=True)
class ReviewStep:
    """One step of a review as its timeline shows it: its legal date and how it stands."""

    due: date | None
    done_on: date | None
    status: str  # one of the engine's: pending, overdue, met, met_late
    days_remaining: int | None


def judge_review_step(due: date | None, done_on: date | None, today: date) -> ReviewStep:
    """A review step "by" `due` (invitations and advice 2 weeks before the meeting, reg
    20(3)-(4); the report within 2 weeks of it, reg 20(7); the decision within 4 weeks, reg
    20(10)): met on or before the day, met late after it, overdue when the day has passed
    undone, otherwise pending. No due date (the meeting not yet called) is pending."""
    if done_on is not None:
        status = MET if due is None or done_on <= due else MET_LATE
        return ReviewStep(due, done_on, status, None)
    if due is None:
        return ReviewStep(None, None, PENDING, None)
    days = due.toordinal() - today.toordinal()
    return ReviewStep(due, None, PENDING if days >= 0 else OVERDUE, days)


@dataclass(frozen=True, slots=True)
class AmendmentDates:
    sent_on: date
    comments_close: date  # reg 22(2)(c): the last of the 15 days
    amended_plan_by: date  # reg 22(3)


def amendment_dates(sent_on: date, *, count_start_as_day_one: bool = False) -> AmendmentDates:
    return AmendmentDates(
        sent_on=sent_on,
        comments_close=_due("amendment_comments_close", sent_on),
        amended_plan_by=_due("amended_plan", sent_on, count_start_as_day_one),
    )


def academic_year_group(born: date, on: date) -> int:
    """The National Curriculum year group in the school year containing `on` (0 = reception):
    a child starts reception in the September after their 4th birthday (born 1 September to
    31 August of the following year share a year group)."""
    school_year_starts = on.year if on.month >= 9 else on.year - 1
    cohort = born.year if born.month >= 9 else born.year - 1  # the September before birth
    return school_year_starts - cohort - 5


@dataclass(frozen=True, slots=True)
class PhaseMove:
    """A transfer between phases of education (reg 2) in September of `year`."""

    year: int
    kind: str  # the reg 18(1) date: "school" (15 February) or "post16" (31 March)
    from_phase: str
    to_phase: str
    amended_plan_by: date
    transfer: str = ""  # which reg 2 transfer: a key of facts.PHASE_TRANSFERS


#: Year group now -> the transfer at the end of this school year, where the national pattern
#: alone says so: early years to school, primary to secondary, secondary to post-16. Infant,
#: junior and middle schools are local arrangements: an area names the transfer its child
#: makes (``phase_move(..., transfer=...)``).
NATIONAL_MOVES: dict[int, str] = {
    -1: "early_years_to_school",
    6: "primary_to_secondary",
    11: "secondary_to_post16",
}


def phase_transfer_due(year: int, kind: str) -> date:
    """The last day to review and amend the plan for a transfer in `year` (reg 18(1), 18(3)):
    14 February ("before 15th February ... in any other case"), 30 March for secondary school
    to post-16 ("before 31st March"), 30 May 2015 for post-16 transfers on 1 September 2015.
    `kind` is a reg 18(1) limb ("school" or "post16") or a reg 2 transfer key."""
    if kind in PHASE_TRANSFERS:
        kind = PHASE_TRANSFERS[kind].limb
    key = "phase_transfer_post16" if kind == "post16" else "phase_transfer_school"
    return _due(key, date(year, 1, 1))


def phase_move(
    born: date, on: date, *, transfer: str | None = None, last_year_group: int | None = None
) -> PhaseMove | None:
    """The transfer between phases this child makes next September, counted in the school year
    containing `on`, with the last day the plan naming the new setting may be amended by; None
    when the child stays in the same phase.

    Without `transfer`, the national pattern (:data:`NATIONAL_MOVES`). With it (one of the six
    reg 2 transfers, for a child at an infant, first or middle school), the move is at the end
    of `last_year_group`, by default the transfer's usual one."""
    group = academic_year_group(born, on)
    if transfer is None:
        transfer = NATIONAL_MOVES.get(group)
        if transfer is None:
            return None
    else:
        kind = PHASE_TRANSFERS[transfer]
        leaving = kind.last_year_group if last_year_group is None else last_year_group
        if group != leaving:
            return None
    kind = PHASE_TRANSFERS[transfer]
    year = on.year + 1 if on.month >= 9 else on.year
    return PhaseMove(
        year=year,
        kind=kind.limb,
        from_phase=kind.from_phase,
        to_phase="reception" if transfer == "early_years_to_school" else kind.to_phase,
        amended_plan_by=phase_transfer_due(year, kind.limb),
        transfer=transfer,
    )

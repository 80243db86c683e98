"""Named due-date functions, one per statutory time limit.

Each is a thin, documented wrapper over the rule registry, for callers that need one date (the
public calculator, task reminders, the disagreements app) rather than a whole timeline. Pass
``count_start_as_day_one=True`` for a council that counts the day of receipt as day 1; it only
moves limits that are "within ... of" an event (see ``rules.Rule.day_one_convention``).
"""

from __future__ import annotations

from datetime import date

from . import reviews
from .calendars import add_working_days, is_working_day
from .counting import months_after
from .rules import rule

__all__ = [
    "advice_due",
    "amended_plan_due",
    "amendment_comments_close",
    "annual_review_due",
    "appeal_deadline",
    "consultation_due",
    "decision_whether_to_assess_due",
    "draft_plan_comments_close",
    "final_plan_due",
    "mediation_certificate_due",
    "mediation_contact_due",
    "mediation_held_due",
    "notice_not_to_issue_due",
    "phase_transfer_due",
    "post16_move_amendment_due",
    "reassessment_decision_due",
    "tribunal_time_ends",
    "reassessment_final_plan_due",
    "review_decision_due",
    "review_meeting_notice_due",
    "review_report_due",
    "tribunal_due",
]


def _due(key: str, start: date, count_start_as_day_one: bool = False) -> date:
    return rule(key, start).due(start, count_start_as_day_one=count_start_as_day_one)


def decision_whether_to_assess_due(request_received: date, *, count_start_as_day_one=False):
    """6 weeks from receiving the request (SEND Regulations 2014 reg 4(1), 5(1))."""
    return _due("decision_whether_to_assess", request_received, count_start_as_day_one)


def advice_due(received_by_body_on: date, *, count_start_as_day_one=False) -> date:
    """6 weeks from the adviser receiving the request for advice (reg 8(1))."""
    return _due("advice", received_by_body_on, count_start_as_day_one)


def notice_not_to_issue_due(request_received: date, *, count_start_as_day_one=False) -> date:
    """16 weeks from receiving the request (reg 10(1))."""
    return _due("notice_not_to_issue", request_received, count_start_as_day_one)


def draft_plan_comments_close(served_on: date) -> date:
    """Last day of the 15 days beginning with the day the draft is served (reg 13(1))."""
    return _due("draft_plan_comments_close", served_on)


def consultation_due(sent_on: date, *, count_start_as_day_one=False) -> date:
    """15 days from sending the consultation (the duty to consult: CFA 2014 s.39(2), 40(3); the
    15 days: Code 9.83)."""
    return _due("consultation", sent_on, count_start_as_day_one)


def final_plan_due(request_received: date, *, count_start_as_day_one=False) -> date:
    """20 weeks from receiving the request (reg 13(2))."""
    return _due("final_plan", request_received, count_start_as_day_one)


def reassessment_decision_due(request_received: date, *, count_start_as_day_one=False) -> date:
    """15 days from receiving a request to re-assess (reg 25)."""
    return _due("reassessment_decision", request_received, count_start_as_day_one)


def reassessment_final_plan_due(decision_notice_on: date, *, count_start_as_day_one=False):
    """14 weeks from the notice of the decision to re-assess (reg 27(2); exceptions 27(3))."""
    return _due("reassessment_final_plan", decision_notice_on, count_start_as_day_one)


def annual_review_due(counted_from: date, *, count_start_as_day_one=False) -> date:
    """Last day of "the period of 12 months starting with" the plan's making or last review
    (CFA 2014 s.44(1)): the day before the anniversary. The day-one setting does not move it
    (the period already counts its first day)."""
    return _due("annual_review_meeting", counted_from, count_start_as_day_one)


def review_meeting_notice_due(meeting_on: date) -> date:
    """Latest day to send invitations and advice: 2 weeks before the meeting (reg 20(3)-(4))."""
    return _due("review_meeting_notice", meeting_on)


def review_report_due(meeting_on: date, *, count_start_as_day_one=False) -> date:
    """2 weeks from the review meeting (reg 20(7), 21(7))."""
    return _due("review_report", meeting_on, count_start_as_day_one)


def review_decision_due(meeting_on: date, *, count_start_as_day_one=False) -> date:
    """4 weeks from the review meeting (reg 20(10))."""
    return _due("review_decision", meeting_on, count_start_as_day_one)


def amendment_comments_close(proposed_amendments_sent_on: date) -> date:
    """Last day of the 15 days beginning with the day amendments are sent (reg 22(2)(c))."""
    return _due("amendment_comments_close", proposed_amendments_sent_on)


def amended_plan_due(proposed_amendments_sent_on: date, *, count_start_as_day_one=False):
    """8 weeks from sending the proposed amendments (reg 22(3))."""
    return _due("amended_plan", proposed_amendments_sent_on, count_start_as_day_one)


def phase_transfer_due(year: int, kind: str = "school") -> date:
    """Last day to amend the plan for a transfer between phases in `year`: before 15 February
    (so 14 February), before 31 March (30 March) for secondary school to post-16 (reg 18(1));
    before 31 May 2015 for post-16 transfers on 1 September 2015 (reg 18(3)). `kind` is a
    reg 18(1) limb ("school", "post16") or one of the six reg 2 transfers."""
    return reviews.phase_transfer_due(year, kind)


def post16_move_amendment_due(move_on: date) -> date:
    """At least 5 months before a post-16 move at another time of year (reg 18(2))."""
    return _due("post16_move_amendment", move_on)


def mediation_contact_due(decision_letter_on: date) -> date:
    """2 months from the decision notice to contact the mediation adviser (reg 33)."""
    return _due("mediation_contact", decision_letter_on)


def mediation_certificate_due(contacted_on: date) -> date:
    """3 working days (England and Wales) from the family's contact (reg 34)."""
    return _due("mediation_certificate", contacted_on)


def mediation_held_due(la_informed_on: date) -> date:
    """30 days from the local authority being told the family wants mediation (reg 37)."""
    return _due("mediation_held", la_informed_on)


def appeal_deadline(decision_letter_on: date, mediation_certificate_on: date | None = None):
    """Last day to appeal to the First-tier Tribunal (SEND).

    HESC Rules 2008 r.20(1)(c): 2 months from the decision letter or 1 month from the mediation
    certificate, whichever is later. Then r.12: a time that ends on a day other than a working
    day is met on the next working day (r.12(2)); for a special educational needs appeal, one
    that ends in August is met on the first working day after 31 August, and one that ends
    from 25 December to 1 January on the first working day after 1 January (r.12(3)(a)).
    """
    due = months_after(decision_letter_on, 2)
    if mediation_certificate_on is not None:
        after_certificate = months_after(mediation_certificate_on, 1)
        if after_certificate > due:
            due = after_certificate
    return tribunal_time_ends(due)


def tribunal_time_ends(day: date) -> date:
    """The day a Tribunal time limit that ends on `day` is actually met by (HESC Rules 2008
    r.12(2) and r.12(3)(a), for a special educational needs appeal)."""
    if day.month == 8:
        return add_working_days(date(day.year, 8, 31), 1)
    if day.month == 12 and day.day >= 25:
        return add_working_days(date(day.year + 1, 1, 1), 1)
    if day.month == 1 and day.day == 1:
        return add_working_days(day, 1)
    if not is_working_day(day):
        return add_working_days(day, 1)
    return day


_TRIBUNAL_RULES = {
    ("assess", "notify_assess"): "tribunal_notify_assess",
    ("assess", "decide_not_to_issue"): "tribunal_decide_not_to_issue",
    ("assess", "final_plan"): "tribunal_final_plan_after_assessment",
    ("make_plan", "draft_plan"): "tribunal_draft_plan",
    ("make_plan", "final_plan"): "tribunal_final_plan",
    ("amend_plan", "amend_plan"): "tribunal_amend_plan",
    ("name_school", "name_school"): "tribunal_name_school",
    ("cease", "cease"): "tribunal_cease",
}


def tribunal_due(order_kind: str, step: str, order_on: date, *, count_start_as_day_one=False):
    """Due date of one step of complying with a Tribunal order (reg 44(2)(a)-(f); reg 45 when
    the local authority did not oppose the appeal, counted from its notice to the Tribunal)."""
    try:
        key = _TRIBUNAL_RULES[(order_kind, step)]
    except KeyError:
        raise ValueError(f"a {order_kind!r} order has no step {step!r}") from None
    return _due(key, order_on, count_start_as_day_one)

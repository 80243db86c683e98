"""The named due-date functions (for the calculator page, reminders and disagreements)."""

from __future__ import annotations

from datetime import date

import pytest

from everychild.statutory import deadlines as d

REQUEST = date(2025, 1, 6)


@pytest.mark.parametrize(
    ("function", "start", "due"),
    [
        (d.decision_whether_to_assess_due, REQUEST, date(2025, 2, 17)),
        (d.advice_due, date(2025, 2, 20), date(2025, 4, 3)),
        (d.notice_not_to_issue_due, REQUEST, date(2025, 4, 28)),
        (d.draft_plan_comments_close, date(2025, 4, 1), date(2025, 4, 15)),
        (d.consultation_due, date(2025, 4, 1), date(2025, 4, 16)),
        (d.final_plan_due, REQUEST, date(2025, 5, 26)),
        # Re-assessment: 15 days to decide (reg 25); 14 weeks to the plan (reg 27(2)).
        (d.reassessment_decision_due, date(2025, 3, 3), date(2025, 3, 18)),
        (d.reassessment_final_plan_due, date(2025, 3, 18), date(2025, 6, 24)),
        (d.annual_review_due, date(2024, 2, 29), date(2025, 2, 28)),
        (d.review_meeting_notice_due, date(2025, 2, 20), date(2025, 2, 6)),
        (d.review_report_due, date(2025, 2, 20), date(2025, 3, 6)),
        (d.review_decision_due, date(2025, 2, 20), date(2025, 3, 20)),
        (d.amendment_comments_close, date(2025, 3, 20), date(2025, 4, 3)),
        (d.amended_plan_due, date(2025, 3, 20), date(2025, 5, 15)),
        (d.post16_move_amendment_due, date(2026, 1, 5), date(2025, 8, 5)),
        (d.mediation_contact_due, date(2025, 3, 31), date(2025, 5, 31)),
        (d.mediation_certificate_due, date(2025, 4, 17), date(2025, 4, 24)),
        (d.mediation_held_due, date(2025, 3, 1), date(2025, 3, 31)),
    ],
)
def test_named_deadline(function, start, due):
    assert function(start) == due


def test_day_one_setting_on_named_deadlines():
    assert d.final_plan_due(REQUEST, count_start_as_day_one=True) == date(2025, 5, 25)
    assert d.reassessment_decision_due(date(2025, 3, 3), count_start_as_day_one=True) == date(
        2025, 3, 17
    )


def test_phase_transfer_due():
    """reg 18(1): "before ... 15th February" / "before 31st March" in the calendar year of the
    transfer; reg 18(3): before 31 May 2015 for post-16 transfers on 1 September 2015."""
    assert d.phase_transfer_due(2026) == date(2026, 2, 14)
    assert d.phase_transfer_due(2026, "post16") == date(2026, 3, 30)
    assert d.phase_transfer_due(2026, "secondary_to_post16") == date(2026, 3, 30)
    assert d.phase_transfer_due(2026, "infant_to_junior") == date(2026, 2, 14)
    assert d.phase_transfer_due(2015, "post16") == date(2015, 5, 30)


@pytest.mark.parametrize(
    ("letter", "certificate", "due"),
    [
        (date(2025, 3, 31), None, date(2025, 5, 31)),
        (date(2025, 3, 31), date(2025, 5, 20), date(2025, 6, 20)),  # certificate later
        (date(2025, 3, 31), date(2025, 4, 10), date(2025, 5, 31)),  # letter later
        (date(2024, 12, 31), None, date(2025, 2, 28)),  # clamped
        (date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)),  # equal: either
    ],
)
def test_appeal_deadline_is_the_later_of_the_two(letter, certificate, due):
    assert d.appeal_deadline(letter, certificate) == due


@pytest.mark.parametrize(
    ("kind", "step", "due"),
    [
        ("assess", "notify_assess", date(2025, 3, 17)),
        ("assess", "decide_not_to_issue", date(2025, 5, 12)),
        ("assess", "final_plan", date(2025, 6, 9)),
        ("make_plan", "draft_plan", date(2025, 4, 7)),
        ("make_plan", "final_plan", date(2025, 5, 19)),
        ("amend_plan", "amend_plan", date(2025, 4, 7)),
        ("name_school", "name_school", date(2025, 3, 17)),
    ],
)
def test_tribunal_due(kind, step, due):
    assert d.tribunal_due(kind, step, date(2025, 3, 3)) == due


def test_tribunal_due_refuses_an_unknown_step():
    with pytest.raises(ValueError):
        d.tribunal_due("name_school", "final_plan", date(2025, 3, 3))

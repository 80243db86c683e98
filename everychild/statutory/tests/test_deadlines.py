"""The named due-date functions (for the calculator page, reminders and disagreements)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from everychild.statutory import deadlines as d
from everychild.statutory.calendars import is_working_day
from everychild.statutory.counting import months_after

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
        (date(2025, 3, 31), None, date(2025, 6, 2)),  # Sat 31 May -> Mon 2 Jun (r.12(2))
        (date(2025, 3, 31), date(2025, 5, 20), date(2025, 6, 20)),  # certificate later
        (date(2025, 3, 31), date(2025, 4, 10), date(2025, 6, 2)),  # letter later
        (date(2024, 12, 31), None, date(2025, 2, 28)),  # clamped; a Friday
        (date(2025, 3, 31), date(2025, 4, 30), date(2025, 6, 2)),  # equal: either
        (date(2025, 2, 26), None, date(2025, 4, 28)),  # Sat 26 Apr -> Mon 28 Apr
        (date(2025, 3, 21), None, date(2025, 5, 21)),  # a Wednesday: unchanged
    ],
)
def test_appeal_deadline_is_the_later_of_the_two(letter, certificate, due):
    """HESC Rules 2008 r.20(1)(c): 2 months after the decision notice, or 1 month after the
    mediation certificate if later; r.12(2) moves a non-working day to the next working day."""
    assert d.appeal_deadline(letter, certificate) == due


@pytest.mark.parametrize(
    ("letter", "due"),
    [
        # Ends Fri 1 Aug 2025 -> the first working day after 31 August: Mon 1 Sep 2025.
        (date(2025, 6, 1), date(2025, 9, 1)),
        # Ends Sun 31 Aug 2025 -> Mon 1 Sep 2025 (not a day in August either way).
        (date(2025, 6, 30), date(2025, 9, 1)),
        # Ends Mon 31 Aug 2026 (a bank holiday) -> Tue 1 Sep 2026.
        (date(2026, 6, 30), date(2026, 9, 1)),
        # Ends Thu 25 Dec 2025 -> the first working day after 1 January: Fri 2 Jan 2026.
        (date(2025, 10, 25), date(2026, 1, 2)),
        # Ends Wed 1 Jan 2025 -> Thu 2 Jan 2025.
        (date(2024, 11, 1), date(2025, 1, 2)),
        # Ends Wed 24 Dec 2025, a working day: unchanged.
        (date(2025, 10, 24), date(2025, 12, 24)),
        # Ends Sat 27 Dec 2025 -> Fri 2 Jan 2026, not Mon 29 Dec.
        (date(2025, 10, 27), date(2026, 1, 2)),
    ],
)
def test_appeal_deadline_in_august_or_over_christmas(letter, due):
    """HESC Rules 2008 r.12(3)(a): in a special educational needs case, "if the time for
    starting proceedings by sending the notice of appeal ... ends on a day from 25th December to
    1st January inclusive, or on any day in August, the notice of appeal is done in time if it
    is received on the first working day after 1st January or 31st August, as appropriate"."""
    assert d.appeal_deadline(letter) == due


@given(
    st.dates(min_value=date(2014, 9, 1), max_value=date(2035, 12, 31)),
    st.none() | st.integers(min_value=0, max_value=120),
)
def test_an_appeal_deadline_is_a_working_day_outside_august_and_christmas(letter, after):
    """r.12(2), r.12(3)(a): the last day to appeal is always a working day; a time that ends in
    August, or from 25 December to 1 January, runs to the first working day after 31 August or
    1 January; any other time to the first working day on or after its end."""
    certificate = None if after is None else letter + timedelta(days=after)
    due = d.appeal_deadline(letter, certificate)
    ends = months_after(letter, 2)
    if certificate is not None:
        ends = max(ends, months_after(certificate, 1))
    assert is_working_day(due)
    assert due >= ends
    if ends.month == 8:
        assert (due.month, due.day <= 4) == (9, True)
    elif (ends.month, ends.day) >= (12, 25) or (ends.month, ends.day) == (1, 1):
        assert (due.month, due.day <= 5) == (1, True)
    else:
        # The next working day: only non-working days lie between the end and the due day.
        assert all(not is_working_day(ends + timedelta(days=n)) for n in range((due - ends).days))
        # A time ending in July can run into the first days of August, never further.
        assert (due - ends).days <= 4


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

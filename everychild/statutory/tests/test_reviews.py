"""Review, amendment and phase-transfer dates (CFA 2014 s.44; SEND Regulations 2014 regs 2,
18-22)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from everychild.statutory import reviews

dates = st.dates(min_value=date(2014, 9, 1), max_value=date(2040, 12, 31))


def test_a_plan_is_reviewed_by_the_day_before_its_anniversary():
    """CFA 2014 s.44(1): the plan is reviewed "in the period of 12 months starting with the
    date on which the plan was first made" — the first day counts, so the period ends the day
    before the anniversary."""
    assert reviews.next_review_due(date(2024, 5, 20)) == date(2025, 5, 19)
    assert reviews.next_review_due(date(2025, 3, 14)) == date(2026, 3, 13)
    # There is no 29 February 2025: the 12 months starting with 29 February 2024 end on the
    # last day of February.
    assert reviews.next_review_due(date(2024, 2, 29)) == date(2025, 2, 28)
    # The 12 months starting with 1 March 2023 take in 29 February 2024 and end on it.
    assert reviews.next_review_due(date(2023, 3, 1)) == date(2024, 2, 29)


def test_a_plan_counted_from_before_2014_is_reviewed_by_the_first_rule():
    # A statement of SEN converted to a plan keeps the date it was made.
    assert reviews.next_review_due(date(2010, 6, 1)) == date(2011, 5, 31)


def test_the_day_one_setting_does_not_move_a_period_starting_with_its_first_day():
    """s.44(1) "starting with the date" already counts that date as day 1, so a council's
    day-one habit has nothing left to move (decision 0130)."""
    assert reviews.next_review_due(date(2025, 3, 14), count_start_as_day_one=True) == date(
        2026, 3, 13
    )


def test_under_fives_every_six_months_only_where_the_area_chose_it():
    born = date(2022, 6, 1)
    assert reviews.next_review_due(date(2025, 1, 10), born=born) == date(2026, 1, 9)
    assert reviews.next_review_due(date(2025, 1, 10), born=born, six_monthly_under_5=True) == date(
        2025, 7, 10
    )


def test_a_child_of_five_is_back_on_the_yearly_cycle():
    born = date(2019, 6, 1)
    assert reviews.next_review_due(date(2025, 1, 10), born=born, six_monthly_under_5=True) == date(
        2026, 1, 9
    )


def test_the_review_meetings_own_clock():
    dates_ = reviews.review_dates(date(2026, 3, 10))
    assert dates_.invitations_by == date(2026, 2, 24)  # reg 20(3): 2 weeks before
    assert dates_.advice_by == date(2026, 2, 24)  # reg 20(4)
    assert dates_.report_by == date(2026, 3, 24)  # reg 20(7): within 2 weeks
    assert dates_.decision_by == date(2026, 4, 7)  # reg 20(10): within 4 weeks


def test_amendments_15_days_to_comment_and_8_weeks_to_the_amended_plan():
    dates_ = reviews.amendment_dates(date(2026, 4, 1))
    assert dates_.comments_close == date(2026, 4, 15)  # reg 22(2)(c): 15 days beginning with
    assert dates_.amended_plan_by == date(2026, 5, 27)  # reg 22(3): 8 weeks


@pytest.mark.parametrize(
    ("born", "group"),
    [
        (date(2015, 9, 1), 6),
        (date(2016, 8, 31), 6),
        (date(2016, 9, 1), 5),
        (date(2023, 1, 15), -1),
        (date(2022, 1, 15), 0),
        (date(2011, 3, 2), 11),
    ],
)
def test_year_groups_run_september_to_august(born, group):
    assert reviews.academic_year_group(born, date(2026, 11, 29)) == group


def test_moves_between_phases_and_their_reg_18_dates():
    """reg 18(1): amended "before ... 15th February" (14 February is the last day), or "before
    31st March" (30 March) for secondary school to a post-16 institution."""
    today = date(2026, 11, 29)
    to_secondary = reviews.phase_move(date(2015, 10, 1), today)
    assert (to_secondary.year, to_secondary.kind) == (2027, "school")
    assert to_secondary.transfer == "primary_to_secondary"
    assert to_secondary.amended_plan_by == date(2027, 2, 14)
    to_post16 = reviews.phase_move(date(2011, 3, 2), today)
    assert (to_post16.kind, to_post16.transfer) == ("post16", "secondary_to_post16")
    assert to_post16.amended_plan_by == date(2027, 3, 30)
    starting_school = reviews.phase_move(date(2023, 1, 15), today)
    assert starting_school.to_phase == "reception"
    assert reviews.phase_move(date(2017, 1, 1), today) is None  # year 5 stays put


@pytest.mark.parametrize(
    ("transfer", "born", "last_year_group"),
    [
        ("infant_to_junior", date(2019, 10, 1), None),  # year 2 in 2026/27
        ("primary_to_middle", date(2018, 1, 1), None),  # year 4
        ("primary_to_middle", date(2017, 1, 1), 5),  # an area whose middle schools start in 6
        ("middle_to_secondary", date(2014, 1, 1), None),  # year 8
    ],
)
def test_local_transfers_are_recognised_when_the_area_names_them(transfer, born, last_year_group):
    """reg 2(1) also counts (b) infant to junior, (c) primary to middle and (e) middle to
    secondary school; which year they happen in is the area's arrangement."""
    move = reviews.phase_move(
        born, date(2026, 11, 29), transfer=transfer, last_year_group=last_year_group
    )
    assert (move.transfer, move.kind, move.amended_plan_by) == (
        transfer,
        "school",
        date(2027, 2, 14),
    )
    a_year_earlier = reviews.phase_move(
        born, date(2025, 11, 29), transfer=transfer, last_year_group=last_year_group
    )
    assert a_year_earlier is None


def test_in_the_spring_term_the_move_is_this_september():
    assert reviews.phase_move(date(2015, 10, 1), date(2027, 3, 1)).year == 2027


@given(dates, st.booleans(), st.dates(min_value=date(2005, 1, 1), max_value=date(2040, 1, 1)))
def test_the_next_review_is_never_later_than_12_months(counted_from, six_monthly, born):
    due = reviews.next_review_due(counted_from, born=born, six_monthly_under_5=six_monthly)
    assert counted_from < due <= counted_from + timedelta(days=366)


@given(st.dates(min_value=date(2014, 9, 1), max_value=date(2099, 12, 31)))
def test_a_review_is_due_the_day_before_an_anniversary_or_on_the_last_day_of_february(made):
    """s.44(1): "in the period of 12 months starting with" the date the plan was made. The
    period's last day is the day before the anniversary, or, for a plan made on 29 February,
    the last day of February."""
    due = reviews.next_review_due(made)
    after = due + timedelta(days=1)
    is_day_before_anniversary = (after.year, after.month, after.day) == (
        made.year + 1,
        made.month,
        made.day,
    )
    is_end_of_february = due.month == 2 and after.month == 3
    assert is_day_before_anniversary or is_end_of_february
    # Exactly 365 days are in the period, or 366 if it takes in a 29 February.
    assert (after - made).days in (365, 366)


@given(dates)
def test_the_amended_plan_comes_after_the_comments_close(sent_on):
    dates_ = reviews.amendment_dates(sent_on)
    assert sent_on < dates_.comments_close < dates_.amended_plan_by


@given(dates)
def test_the_review_clock_runs_in_order(meeting_on):
    d = reviews.review_dates(meeting_on)
    assert d.invitations_by < d.meeting_on < d.report_by < d.decision_by


def test_the_review_timeline_of_a_plan_made_before_2014_is_judged_not_refused():
    """A statement of SEN carried over keeps its date: its review timeline is the s.44 one."""
    from everychild.statutory import Facts, timeline

    facts = Facts(
        today=date(2026, 12, 6),
        process="review",
        plan_issued_on=date(2012, 5, 1),
        review_meeting_on=date(2026, 11, 2),
    )
    steps = {m.key: m for m in timeline(facts)}
    assert steps["annual_review_meeting"].due == date(2013, 4, 30)
    assert steps["review_report"].due == date(2026, 11, 16)  # reg 20(7): 2 weeks


# --- The school-led review's steps (reg 20(2)-(10)) -------------------------------------------


def test_invitations_sent_today_allow_a_meeting_2_weeks_on_and_no_sooner():
    """reg 20(3): invited "at least two weeks before the date of the meeting"."""
    assert reviews.earliest_meeting(date(2025, 3, 1)) == date(2025, 3, 15)
    assert reviews.review_dates(date(2025, 3, 15)).invitations_by == date(2025, 3, 1)


@given(dates)
def test_the_earliest_meeting_is_the_first_day_its_notice_is_in_time(invited):
    meeting = reviews.earliest_meeting(invited)
    assert reviews.review_dates(meeting).invitations_by >= invited
    assert reviews.review_dates(meeting - timedelta(days=1)).invitations_by < invited
    assert meeting == invited + timedelta(weeks=2)


def test_a_review_step_is_met_late_overdue_or_pending_by_its_legal_date():
    due = date(2025, 4, 1)
    assert reviews.judge_review_step(due, date(2025, 4, 1), date(2025, 5, 1)).status == "met"
    assert reviews.judge_review_step(due, date(2025, 4, 2), date(2025, 5, 1)).status == "met_late"
    pending = reviews.judge_review_step(due, None, date(2025, 3, 30))
    assert (pending.status, pending.days_remaining) == ("pending", 2)
    overdue = reviews.judge_review_step(due, None, date(2025, 4, 2))
    assert (overdue.status, overdue.days_remaining) == ("overdue", -1)
    # Not yet called: nothing to be late for.
    assert reviews.judge_review_step(None, None, date(2025, 4, 2)).status == "pending"


@given(dates, st.one_of(st.none(), dates), dates)
def test_a_review_step_is_judged_with_the_engines_own_statuses(due, done, today):
    from everychild.statutory.milestones import STATUSES

    step = reviews.judge_review_step(due, done, today)
    assert step.status in STATUSES
    if done is None:
        assert (step.status == "overdue") == (today > due)
    else:
        assert (step.status == "met") == (done <= due)

"""The review of a plan transferred in has a shape (reg 15 with CFA 2014 s.44(1)): "whichever
is the later" of the s.44(1) date and 3 months from the transfer, and once the plan has been
reviewed here, s.44(1) alone."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from everychild.plans.clock import review_due
from everychild.statutory import deadlines
from everychild.statutory.counting import months_after

days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


@given(made=days, gap=st.integers(min_value=0, max_value=900))
def test_the_review_of_a_transferred_plan_is_the_later_of_the_two_dates(made, gap):
    transferred = made + dt.timedelta(days=gap)
    due = review_due(
        issued_on=made,
        last_meeting_on=None,
        born=None,
        six_monthly_under_5=False,
        count_start_as_day_one=False,
        transferred_on=transferred,
    )
    ordinary = deadlines.annual_review_due(made)
    assert due == max(ordinary, months_after(transferred, 3))
    assert due >= ordinary and due > transferred


@given(made=days, gap=st.integers(min_value=0, max_value=400), after=st.integers(1, 300))
def test_once_reviewed_here_the_transfer_no_longer_moves_the_review(made, gap, after):
    transferred = made + dt.timedelta(days=gap)
    reviewed = transferred + dt.timedelta(days=after)
    due = review_due(
        issued_on=made,
        last_meeting_on=reviewed,
        born=None,
        six_monthly_under_5=False,
        count_start_as_day_one=False,
        transferred_on=transferred,
    )
    assert due == deadlines.annual_review_due(reviewed)

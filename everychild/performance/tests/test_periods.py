""" "The last 12 months" is the 12 months to today, and "the last 3 months" three months, on
every page, CSV, the API and the board pack; each says the dates it used (decision 0207)."""

import csv
import io
from datetime import date

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from everychild.accounts.models import Role
from everychild.performance import periods
from everychild.testing import factories

TODAY = date(2026, 11, 30)


def test_the_last_12_months_are_the_12_months_to_today():
    period = periods.resolve_period("last-12-months", TODAY)
    assert (period.start, period.end) == (date(2025, 12, 1), TODAY)
    assert period.name == "the last 12 months, 1 December 2025 to 30 November 2026"
    three = periods.resolve_period("last-3-months", TODAY)
    assert (three.start, three.end) == (date(2026, 9, 1), TODAY)
    # Mid-month they are still whole months back to the day, not back to the 1st.
    mid = periods.last_months(date(2026, 11, 15), 12)
    assert (mid.start, mid.end) == (date(2025, 11, 16), date(2026, 11, 15))


def test_short_months_and_leap_days():
    assert periods.last_months(date(2026, 5, 31), 3).start == date(2026, 3, 1)
    assert periods.last_months(date(2026, 5, 30), 3).start == date(2026, 3, 1)
    assert periods.last_months(date(2026, 4, 30), 3).start == date(2026, 2, 1)
    assert periods.last_months(date(2028, 2, 29), 12).start == date(2027, 3, 1)
    assert periods.resolve_period("2024", TODAY).name == (
        "calendar year 2024, 1 January 2024 to 31 December 2024"
    )


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_twelve_months_to_any_day_are_a_year_of_days(today):
    period = periods.last_months(today, 12)
    assert period.end == today
    # 365 days, or 366 when a 29 February falls inside.
    assert (period.end - period.start).days + 1 in (365, 366)
    three = periods.last_months(today, 3)
    assert 89 <= (three.end - three.start).days + 1 <= 92


@pytest.mark.django_db
def test_pages_csv_and_api_state_the_dates_they_used(client, api_client, area):
    forum = factories.ParentCarerForumFactory(area=area)
    board = factories.make_user(Role.BOARD_MEMBER, forum)
    client.force_login(board)
    with time_machine.travel(date(2026, 11, 30), tick=False):
        page = client.get("/performance/").content.decode()
        assert "1 December 2025 to 30 November 2026" in page
        page = client.get("/performance/", {"period": "last-3-months"}).content.decode()
        assert "1 September 2026 to 30 November 2026" in page
        page = client.get("/performance/measures/plans_issued/").content.decode()
        assert "1 December 2025 to 30 November 2026" in page
        response = client.get("/performance/dashboard.csv", {"period": "last-12-months"})
        row = next(csv.DictReader(io.StringIO(response.content.decode())))
        assert (row["from"], row["to"]) == ("2025-12-01", "2026-11-30")
        api_client.force_authenticate(board)
        body = api_client.get("/api/v1/measures/").json()
        assert body["period"]["from"] == "2025-12-01"
        assert "1 December 2025 to 30 November 2026" in body["period"]["label"]


@pytest.mark.django_db
def test_the_board_pack_states_its_dates(area):
    from everychild.improvement.boardpack import render_html

    html = render_html(area, TODAY)
    assert "the last 3 months, 1 September 2026 to 30 November 2026" in html
    # Its monthly tables say which months they hold, not "the last 12 months".
    assert ": the last 12 months</caption>" not in html

"""The forecast page as the EP manager reads it: the headline, the 8-in-10 range and the
scenario rows say the backlog clears only from a week it stays clear to the end of the
forecast, in agreement with the table of figures beneath them."""

import datetime as dt
import re

import numpy as np
import pytest
from django.urls import reverse

from everychild.advice import charts, selectors
from everychild.advice.models import Scenario

MONDAY = dt.date(2026, 12, 7)  # the first week forecast ends on Sunday 13 December 2026


def _week_ending(week):
    return MONDAY + dt.timedelta(weeks=week) - dt.timedelta(days=1)


def _short(day):
    return f"{day:%-d %b %Y}"


@pytest.fixture
def page(client, area_setup, monkeypatch):
    """Ten requests overdue and ten just received; no arrivals; capacity for ten in the first
    week and none after. The backlog touches zero in the week ending 13 December 2026 and
    is back (the ten new, overdue) from the week ending 17 January 2027 to the end."""
    inputs = selectors.ForecastInputs(
        arrivals=np.zeros(52),
        ages=np.array([10] * 10 + [0] * 10),
        capacity=np.array([10.0] + [0.0] * 51),
        history_weeks=60,
        first_week=MONDAY,
    )
    monkeypatch.setattr(selectors, "forecast_inputs", lambda *a, **k: inputs)
    monkeypatch.setattr(selectors, "backtest", lambda *a, **k: {"ok": False, "message": "-"})
    ep = selectors.managed_service(area_setup["epmanager"])
    # Ten more a week from week 12: the ten are seen in week 13, and nothing is left.
    Scenario.objects.create(
        organisation=ep,
        name="Locums early",
        extra_per_week=10,
        starts_on=MONDAY + dt.timedelta(weeks=12),
    )
    # Ten more a week from week 30: still ten overdue at 26 weeks, cleared in week 31.
    Scenario.objects.create(
        organisation=ep,
        name="Locums late",
        extra_per_week=10,
        starts_on=MONDAY + dt.timedelta(weeks=30),
    )
    client.force_login(area_setup["epmanager"])
    response = client.get(reverse("advice:forecast"))
    assert response.status_code == 200
    return response


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_backlog_that_touches_zero_and_comes_back_is_not_cleared_on_the_touching_week(page):
    text = _text(page.content.decode())
    assert "The backlog does not clear within the 52 weeks forecast" in text
    assert "clears by 13 December 2026" not in text
    assert "between 13 Dec 2026 and 13 Dec 2026" not in text
    # The table beneath agrees: nothing overdue in the touching week, ten from mid-January.
    rows = page.context["baseline"].rows()
    assert rows[1]["central"] == 0 and rows[6]["central"] == 10 and rows[-1]["central"] == 10
    assert "Configured capacity None Not within 52 weeks" in text


def test_a_backlog_that_stays_cleared_clears_in_the_first_week_of_the_cleared_run(page):
    text = _text(page.content.decode())
    early, late = (v for v in page.context["scenarios"])
    assert early.clears_on == _week_ending(13)  # 7 March 2027: the ten are seen that week
    assert [r["central"] for r in early.rows()[13:]] == [0.0] * 40
    assert f"Locums early 10.0 a week from 1 Mar 2027 {_short(_week_ending(13))}" in (text)
    assert late.clears_on == _week_ending(31)


def test_each_scenario_row_agrees_with_its_own_26_week_figure(page):
    text = _text(page.content.decode())
    views = [page.context["baseline"], *page.context["scenarios"]]
    for view in views:
        at_26 = round(float(view.result.central[26]))
        if view.clears_on is not None and view.clears_on <= _week_ending(26):
            assert at_26 == 0
        if at_26 > 0:
            assert view.clears_on is None or view.clears_on > _week_ending(26)
    assert f"{_short(_week_ending(31))} 10 " in text  # Locums late: clears after 26 weeks
    assert f"{_short(_week_ending(13))} 0 " in text  # Locums early: clear at 26 weeks


def test_the_chart_labels_its_weeks_with_four_figure_years(page):
    chart = charts.forecast_chart(page.context["baseline"], page.context["scenarios"])
    assert ">5 Dec 2027<" in chart  # the last week's label, always shown
    assert not re.search(
        r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2}\b", chart
    )
    assert "does not clear within the 52 weeks forecast" in chart

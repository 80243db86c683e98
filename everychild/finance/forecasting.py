"""The service that runs the forecast: a Forecaster (the pure engine in finance/forecast/) built
from an area's records, a scenario's levers, and goal-seeking over them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from everychild.finance import selectors
from everychild.finance.forecast.forecast import Forecaster
from everychild.finance.forecast.goalseek import GoalSeekResult
from everychild.finance.forecast.levers import Lever
from everychild.finance.models import Scenario

# The seed for simulations unless one is chosen: the day Part 3 of the Children and Families
# Act 2014 came into force. The same data and seed give the same bands.
DEFAULT_SEED = 20140901
DEFAULT_RUNS = 1000
DEFAULT_HORIZON = 10


def default_runs() -> int:
    """Simulation runs for a forecast made from a page or the API: 1,000 unless the setting
    EVERYCHILD_FORECAST_RUNS says otherwise (the tests use fewer)."""
    return int(getattr(settings, "EVERYCHILD_FORECAST_RUNS", DEFAULT_RUNS))


def levers_of(scenario: Scenario) -> list[Lever]:
    return [row.as_lever() for row in scenario.levers.all()]


def forecaster_for(area, as_of: dt.date, *, horizon: int = DEFAULT_HORIZON) -> Forecaster:
    """Raises ForecastError (with the reason) when the records cannot support a forecast."""
    return Forecaster(
        selectors.forecast_history(area),
        selectors.finance_inputs(area, as_of),
        as_of,
        horizon=horizon,
    )


def goal_seek(
    area, scenario: Scenario, template: Lever, target_year: int, as_of: dt.date, *, horizon=None
) -> GoalSeekResult:
    forecaster = forecaster_for(area, as_of, horizon=horizon or DEFAULT_HORIZON)
    levers = [lv for lv in levers_of(scenario) if lv.kind != template.kind]
    return forecaster.goal_seek(levers, template, target_year)

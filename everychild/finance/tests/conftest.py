"""The finance tests' world: the demonstration area at 5 % of BCP's size, with its finance
records and forecasts (a few seconds to build, once per module, rolled back after)."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import transaction

from everychild.accounts.models import User
from everychild.children.models import Child
from everychild.demo.finance import seed_demo_finance
from everychild.demo.seed import seed_demo_area
from everychild.finance.models import Scenario

TODAY = dt.date(2026, 11, 27)
RUNS = 60


@pytest.fixture(autouse=True)
def _fewer_runs(settings):
    """Forecasts made from pages and the API in these tests simulate fewer futures."""
    settings.EVERYCHILD_FORECAST_RUNS = 100


@pytest.fixture
def on_today():
    """Pages work out 'this financial year' from today: hold today where the world is."""
    moment = dt.datetime(2026, 11, 27, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    with time_machine.travel(moment, tick=True):
        yield TODAY


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        seed = seed_demo_area(password="demo-password-123", scale=0.05, today=TODAY)
        seed_demo_finance(today=TODAY, runs=RUNS)
        yield {
            "area": seed.area,
            "users": {u.email: u for u in User.objects.filter(email__endswith="@demo.test")},
            "scenarios": {s.name: s for s in Scenario.objects.filter(area=seed.area)},
            # Identifiers no finance page or export may show.
            "child_marks": [
                mark
                for child in Child.objects.filter(area=seed.area).order_by("pk")[:200]
                for mark in (child.upn, f"{child.first_name} {child.last_name}")
                if mark
            ],
        }
        transaction.set_rollback(True)

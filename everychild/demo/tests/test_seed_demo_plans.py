"""The demonstration's plans as a caseworker and a family read them (seed_demo_plans): what the
seeder writes must be what the law allows the service to record."""

import datetime as dt

import pytest

from everychild.demo.plans import seed_plans
from everychild.testing import factories

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def _born_in_year(group: int) -> dt.date:
    """A birthday in March of the cohort in National Curriculum year `group` on TODAY (in the
    autumn term: the school year began in September of TODAY's year)."""
    return dt.date(TODAY.year - 4 - group, 3, 1)


def test_a_phase_transfer_names_a_setting_of_the_next_phase(client, area, caseworker, time_machine):
    # SEND Regulations 2014 reg 18(1): the plan is amended to name the school of the next
    # phase, so a move to secondary never names the primary school being left.
    time_machine.move_to(TODAY)
    primary = factories.SchoolFactory(area=area, name="Tidebanks Primary School")
    secondaries = [
        factories.SchoolFactory(area=area, name=f"Harbour {n} Academy", phase="secondary")
        for n in range(2)
    ]
    college = factories.CollegeFactory(area=area, name="Quayside College")
    for n in range(20):
        child = factories.ChildFactory(area=area, date_of_birth=_born_in_year(6))
        factories.EHCPlanFactory(child=child, setting=primary, issued_on=dt.date(2025, 3, 1 + n))
        child = factories.ChildFactory(area=area, date_of_birth=_born_in_year(11))
        factories.EHCPlanFactory(
            child=child, setting=secondaries[0], issued_on=dt.date(2025, 3, 1 + n)
        )

    seed_plans(area, today=TODAY)

    client.force_login(caseworker)
    response = client.get("/plans/phase-transfers/")
    named = {
        (row.move.transfer, row.record.named_setting.name)
        for row in response.context["rows"]
        if row.record is not None and row.record.named_setting is not None
    }
    moves = {transfer for transfer, _ in named}
    assert moves == {"primary_to_secondary", "secondary_to_post16"}, "some settings are named"
    for transfer, name in named:
        if transfer == "primary_to_secondary":
            assert name in {school.name for school in secondaries}
        else:
            assert name == college.name
    assert primary.name not in response.content.decode()

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.children import services as children_services
from everychild.support import services
from everychild.testing import factories


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def school(area):
    return factories.SchoolFactory(area=area)


@pytest.fixture
def other_school(area):
    return factories.SchoolFactory(area=area)


@pytest.fixture
def senco(school):
    return factories.make_user(Role.SENCO, school)


@pytest.fixture
def other_senco(other_school):
    return factories.make_user(Role.SENCO, other_school)


@pytest.fixture
def pupil(area, school):
    return factories.ChildFactory(area=area, current_setting=school)


@pytest.fixture
def support_plan(senco, pupil):
    return services.start_plan(
        actor=senco,
        child=pupil,
        started_on=days_ago(60),
        primary_need="SLCN",
        child_views="I like drawing. Loud rooms are hard.",
        family_views="She is anxious about reading aloud.",
    )


def with_thread(plan, actor):
    """The plan with one need, one outcome answering it and one line of provision."""
    plan = services.add_to_thread(
        actor=actor,
        plan=plan,
        version=plan.version,
        kind="needs",
        fields={"text": "Finds it hard to follow spoken instructions"},
    )
    plan = services.add_to_thread(
        actor=actor,
        plan=plan,
        version=plan.version,
        kind="outcomes",
        fields={
            "text": "Follows a two-step instruction in class",
            "needs": ["b1"],
            "by_when": timezone.localdate() + dt.timedelta(days=90),
            "measured_by": "Teacher observation, 4 of 5 times",
        },
    )
    return services.add_to_thread(
        actor=actor,
        plan=plan,
        version=plan.version,
        kind="provision",
        fields={
            "what": "Small-group language sessions",
            "how_often": "3 sessions of 20 minutes a week",
            "how_long": "One term",
            "by_whom": "Teaching assistant trained by the speech and language therapist",
            "outcomes": ["e1"],
        },
    )


def move(actor, child, setting, *, on: dt.date | None = None):
    """The child moves to `setting` (on `on`, today if not given), recorded on their record by
    the council as the child's details page does."""
    child.refresh_from_db()
    with time_machine.travel(on or timezone.localdate(), tick=False):
        children_services.update_child(
            actor=actor, child=child, version=child.version, current_setting=setting
        )
    child.refresh_from_db()
    return child

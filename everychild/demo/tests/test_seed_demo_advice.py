"""The demonstration EP service's waiting list settings: set up once, on the seeded area."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from everychild.advice.models import AdviceItem, AdviceWork, Capacity, PriorityRule, Scenario

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def test_the_ep_service_is_set_up_once(time_machine):
    time_machine.move_to(TODAY)
    call_command("seed_demo_area", seed=3, password="pw-123456", scale=0.03, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo_advice", stdout=out)
    assert "EP service set up" in out.getvalue()
    assert PriorityRule.objects.count() == 3 and Scenario.objects.count() == 2
    capacities = Capacity.objects.count()
    again = io.StringIO()
    call_command("seed_demo_advice", stdout=again)
    assert "already set up" in again.getvalue()
    assert Capacity.objects.count() == capacities
    # Some drafts in progress have the EP's advice as items, for the suggestions panel.
    structured = AdviceWork.objects.filter(submitted_on__isnull=False)
    assert structured.exists()
    assert all(work.advice_request.assessment_request.stage == "draft_plan" for work in structured)
    assert AdviceItem.objects.filter(work__in=structured, section="F").exists()
    assert AdviceItem.objects.count() == structured.count() * 4

"""The demonstration's improvement plan (seed_demo_improvement_plan) tells a true story: an
action is completed only where its success criteria were met on the day, or with the owner's
explanation kept beside the criteria it answers for, on its page and in the board pack."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from everychild.accounts.models import User
from everychild.demo.improvement import seed_improvement_plan
from everychild.demo.seed import seed_demo_area
from everychild.improvement import selectors
from everychild.improvement.boardpack import render_html
from everychild.improvement.models import ActionStatus, ImprovementAction

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        area = seed_demo_area(seed=7, password="demo-password-1", scale=0.03, today=TODAY).area
        seed_improvement_plan(area, today=TODAY)
        yield area
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded, db):
    return _seeded


def test_every_completed_action_met_its_criteria_or_says_why_not(seeded):
    completed = ImprovementAction.objects.filter(
        priority__area=seeded, status=ActionStatus.COMPLETED
    ).prefetch_related("success_criteria", "updates")
    assert completed
    for action in completed:
        completion = selectors.completion(action)
        assert completion is not None and completion.author == action.owner
        assert completion.at.date() == action.completed_on
        unmet = selectors.unmet_criteria(action, action.completed_on)
        assert bool(completion.explanation) == bool(unmet), action
        assert [c["description"] for c in completion.unmet_criteria] == [
            r.criterion.description for r in unmet
        ]


def test_the_completed_actions_page_and_the_board_pack_say_the_same(client, seeded):
    action = ImprovementAction.objects.get(priority__area=seeded, status=ActionStatus.COMPLETED)
    action = selectors.action_for(User.objects.get(email="manager@demo.test"), action.pk)
    completion = selectors.completion(action)
    # The demonstration's backlog was not yet at none on the day the action was completed.
    assert completion.explanation and completion.unmet_criteria
    client.force_login(User.objects.get(email="board@demo.test"))
    page = " ".join(client.get(f"/improvement/actions/{action.pk}/").content.decode().split())
    pack = " ".join(render_html(seeded, timezone.localdate()).split())
    for text in (page, pack):
        assert action.title in text
        assert escape(completion.explanation) in text
    assert "Latest figure" in page
    for item in completion.unmet_criteria:
        said = f"{item['description']} (target {item['target']})"
        assert f"Not met when it was completed: {said}" in page
        assert f"Not met when it was completed: {said}" in pack

"""Whether an action worked: each success criterion beside its measure's latest figure, met or
not met or not yet measured, in words; an action marked completed while a criterion is measured
and not met needs an explanation, kept with who gave it and when; the board pack says the same."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.improvement import services
from everychild.improvement.boardpack import render_html
from everychild.improvement.models import ActionStatus, ActionUpdate, ImprovementAction
from everychild.testing import factories

pytestmark = pytest.mark.django_db

EXPLAIN = "Explain why the action is complete when its success criterion"


@pytest.fixture
def backlog(area):
    """Two assessments open more than 30 weeks, and an action to clear them judged by three
    criteria: below 5 (met), none at all (not met), and plans issued within 20 weeks (no plan
    has been issued, so not yet measured)."""
    today = timezone.localdate()
    la = factories.LocalAuthorityFactory(area=area)
    forum = factories.ParentCarerForumFactory(area=area)
    health = factories.NHSProviderFactory(area=area)
    manager = factories.make_user(Role.TEAM_MANAGER, la, full_name="Morgan Manager")
    for n in range(2):
        factories.AssessmentRequestFactory(
            child=factories.ChildFactory(area=area, last_name=f"Secretname{n}"),
            received_on=today - timedelta(weeks=40 + n),
        )
    priority = services.create_priority(actor=manager, area=area, number=1, title="Timeliness")
    action = services.create_action(
        actor=manager,
        priority=priority,
        title="Clear the long waits",
        owner_organisation=la,
        owner=manager,
        starts_on=today - timedelta(days=200),
        due_on=today + timedelta(days=30),
    )
    for description, measure_id, target in (
        ("Fewer than 5 open over 30 weeks", "open_past_30_weeks", 4),
        ("None open over 30 weeks", "open_past_30_weeks", 0),
        ("Nine in ten plans within 20 weeks", "plans_within_20_weeks", 90),
    ):
        services.add_success_criterion(
            actor=manager,
            action=action,
            description=description,
            measure_id=measure_id,
            target=target,
            target_by=today + timedelta(days=30),
        )
    return {
        "action": action,
        "manager": manager,
        "board": factories.make_user(Role.BOARD_MEMBER, forum),
        "health": factories.make_user(Role.HEALTH_ADVISER, health),
        "today": today,
        "area": area,
    }


def _complete(backlog, explanation=""):
    return services.update_action(
        actor=backlog["manager"],
        action=backlog["action"],
        version=backlog["action"].version,
        note="The extra coordinators are in post for good.",
        status=ActionStatus.COMPLETED,
        today=backlog["today"],
        explanation=explanation,
    )


# --- the service -----------------------------------------------------------------------------


def test_completing_an_action_whose_criterion_is_not_met_needs_an_explanation(backlog):
    with pytest.raises(ValidationError) as refused:
        _complete(backlog)
    assert refused.value.message_dict["explanation"] == [
        f"{EXPLAIN} “None open over 30 weeks” is not met"
    ]
    action = ImprovementAction.objects.get(pk=backlog["action"].pk)
    assert (action.status, action.completed_on) == (ActionStatus.NOT_STARTED, None)
    assert action.version == 1
    assert not ActionUpdate.objects.filter(action=action, changes__has_key="status").exists()


def test_the_explanation_is_kept_with_who_gave_it_and_when(backlog):
    done = _complete(backlog, "  The work is done; action 1.2 carries the last two cases.  ")
    assert done.status == ActionStatus.COMPLETED and done.completed_on == backlog["today"]
    update = ActionUpdate.objects.filter(action=done).first()
    assert update.author == backlog["manager"]
    assert update.at.date() == timezone.localdate()
    assert update.explanation == "The work is done; action 1.2 carries the last two cases."
    assert [c["description"] for c in update.unmet_criteria] == ["None open over 30 weeks"]
    assert update.unmet_criteria[0]["target"] == "0"


def test_an_action_whose_criteria_are_met_or_not_yet_measured_completes_without_one(backlog):
    backlog["action"].success_criteria.filter(description="None open over 30 weeks").delete()
    done = _complete(backlog)
    assert done.status == ActionStatus.COMPLETED
    assert ActionUpdate.objects.filter(action=done).first().explanation == ""


def test_an_explanation_is_not_kept_where_none_was_needed(backlog):
    backlog["action"].success_criteria.filter(description="None open over 30 weeks").delete()
    done = _complete(backlog, "Nothing to explain")
    assert ActionUpdate.objects.filter(action=done).first().explanation == ""


def test_other_updates_are_not_asked_for_an_explanation(backlog):
    updated = services.update_action(
        actor=backlog["manager"],
        action=backlog["action"],
        version=1,
        note="Half way there.",
        status=ActionStatus.IN_PROGRESS,
        today=backlog["today"],
    )
    assert updated.status == ActionStatus.IN_PROGRESS


# --- the pages -------------------------------------------------------------------------------


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_action_page_shows_each_criterion_beside_its_latest_figure(client, backlog):
    client.force_login(backlog["manager"])
    page = _text(client.get(f"/improvement/actions/{backlog['action'].pk}/"))
    day = f"{backlog['today']:%-d %B %Y}"
    assert "Latest figure" in page and "Met?" in page
    assert (
        'Fewer than 5 open over 30 weeks</td> <td class="govuk-table__cell"><a class="govuk-link"'
        in page
    )
    assert f'2<br><span class="govuk-body-s">For {day}</span>' in page
    assert ">Met</strong>" in page and ">Not met</strong>" in page
    assert ">Not yet measured</strong>" in page
    assert "There is no figure for these days yet." in page


def test_the_board_sees_small_figures_withheld_and_a_partner_sees_only_the_judgement(
    client, backlog
):
    client.force_login(backlog["board"])
    page = _text(client.get(f"/improvement/actions/{backlog['action'].pk}/"))
    assert "fewer than 5<br>" in page and ">Not met</strong>" in page
    # A health adviser owns actions but sees no performance figures: the judgement only.
    health = backlog["health"]
    theirs = services.create_action(
        actor=backlog["manager"],
        priority=backlog["action"].priority,
        title="Health advice on time",
        owner_organisation=health.memberships.get().organisation,
        owner=health,
        starts_on=backlog["today"],
        due_on=backlog["today"],
    )
    services.add_success_criterion(
        actor=health,
        action=theirs,
        description="None open over 30 weeks",
        measure_id="open_past_30_weeks",
        target=0,
        target_by=backlog["today"],
    )
    client.force_login(health)
    page = _text(client.get(f"/improvement/actions/{theirs.pk}/"))
    assert "Shown to those who see the area's performance figures" in page
    assert ">Not met</strong>" in page and "fewer than 5" not in page


def test_completing_on_the_form_without_an_explanation_shows_an_error_summary(client, backlog):
    action = backlog["action"]
    client.force_login(backlog["manager"])
    url = f"/improvement/actions/{action.pk}/update/"
    form = {
        "note": "Coordinators in post.",
        "status": "completed",
        "rag": "green",
        "due_on-day": action.due_on.day,
        "due_on-month": action.due_on.month,
        "due_on-year": action.due_on.year,
        "version": 1,
    }
    page = _text(client.post(url, form))
    assert "There is a problem" in page
    assert f'<a href="#id_explanation">{EXPLAIN} “None open over 30 weeks” is not met</a>' in page
    assert ImprovementAction.objects.get(pk=action.pk).status == ActionStatus.NOT_STARTED

    response = client.post(url, {**form, "explanation": "Action 1.2 carries the last cases."})
    assert response.status_code == 302
    page = _text(client.get(f"/improvement/actions/{action.pk}/"))
    assert "Completed although success criteria were not met" in page
    assert "Action 1.2 carries the last cases." in page
    assert "Explained by Morgan Manager on" in page


def test_the_update_form_submitted_empty_shows_the_criteria_and_asks_for_the_explanation(
    client, backlog
):
    client.force_login(backlog["manager"])
    page = _text(client.post(f"/improvement/actions/{backlog['action'].pk}/update/", {}))
    assert "There is a problem" in page
    assert "Say what has happened since the last update." in page
    assert "Its success criteria today" in page and ">Not met</strong>" in page
    assert 'name="explanation"' in page


NOT_MET = "Completed, criteria not met"


def test_the_plan_and_the_progress_report_say_the_criteria_were_not_met_and_link_to_why(
    client, backlog
):
    action = _complete(backlog, "Action 1.2 carries the last cases.")
    why = (
        f'<a class="govuk-link" href="/improvement/actions/{action.pk}/#completion">'
        "Why it was completed"
    )
    client.force_login(backlog["board"])
    meeting = backlog["today"] + timedelta(days=14)
    for url in ("/improvement/", f"/improvement/report/?meeting={meeting:%Y-%m-%d}"):
        page = _text(client.get(url))
        assert f">{NOT_MET}</strong>" in page, url
        assert why in page, url
        assert ">Completed</strong>" not in page, url
    page = _text(client.get(f"/improvement/actions/{action.pk}/"))
    assert '<div class="govuk-inset-text" id="completion">' in page
    assert "Action 1.2 carries the last cases." in page


def test_an_action_completed_with_its_criteria_met_reads_completed(client, backlog):
    backlog["action"].success_criteria.filter(description="None open over 30 weeks").delete()
    _complete(backlog)
    client.force_login(backlog["board"])
    meeting = backlog["today"] + timedelta(days=14)
    for url in ("/improvement/", f"/improvement/report/?meeting={meeting:%Y-%m-%d}"):
        page = _text(client.get(url))
        assert ">Completed</strong>" in page, url
        assert NOT_MET not in page and "Why it was completed" not in page, url


def test_an_action_reopened_after_completing_with_criteria_not_met_reads_in_progress(
    client, backlog
):
    action = _complete(backlog, "Action 1.2 carries the last cases.")
    services.update_action(
        actor=backlog["manager"],
        action=action,
        version=action.version,
        note="Two cases are still open: back to work.",
        status=ActionStatus.IN_PROGRESS,
        today=backlog["today"],
    )
    client.force_login(backlog["board"])
    page = _text(client.get("/improvement/"))
    assert ">In progress</strong>" in page
    assert NOT_MET not in page


# --- the board pack --------------------------------------------------------------------------


def test_the_board_pack_lists_completed_actions_with_their_criteria_and_explanation(backlog):
    _complete(backlog, "Action 1.2 carries the last cases.")
    html = " ".join(render_html(backlog["area"], backlog["today"]).split())
    assert "Completed (1)" in html
    assert "1.1 Clear the long waits" in html
    assert (
        f"None open over 30 weeks (target 0 by {backlog['today'] + timedelta(days=30):%-d %b %Y}):"
        f" Not met: fewer than 5 for {backlog['today']:%-d %B %Y}." in html
    )
    assert "Action 1.2 carries the last cases. (Morgan Manager," in html
    assert "Secretname" not in html


def test_the_board_pack_as_at_a_day_before_completion_does_not_list_it(backlog):
    _complete(backlog, "Action 1.2 carries the last cases.")
    html = render_html(backlog["area"], backlog["today"] - timedelta(days=1))
    assert "Completed (0)" in html


def test_a_criterion_of_a_measure_that_no_longer_exists_is_not_yet_measured(client, backlog):
    backlog["action"].success_criteria.filter(measure_id="plans_within_20_weeks").update(
        measure_id="retired_measure"
    )
    client.force_login(backlog["manager"])
    page = _text(client.get(f"/improvement/actions/{backlog['action'].pk}/"))
    assert "The measure no longer exists." in page
    assert ">Met</strong>" in page

"""The improvement plan: the local authority writes actions and names their owners; each
partner organisation sees and updates its own; the board sees all of it and changes none;
every update is kept; bad input changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.improvement import selectors, services
from everychild.improvement.models import ActionStatus, ActionUpdate, ImprovementAction, Rag
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(area, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    health = factories.NHSProviderFactory(area=area)
    forum = factories.ParentCarerForumFactory(area=area)
    people = {
        "manager": factories.make_user(Role.TEAM_MANAGER, la, full_name="Morgan Manager"),
        "epmanager": factories.make_user(Role.EP_MANAGER, ep, full_name="Erin Psychologist"),
        "health": factories.make_user(Role.HEALTH_ADVISER, health, full_name="Hana Health"),
        "board": factories.make_user(Role.BOARD_MEMBER, forum, full_name="Bea Board"),
        "caseworker": factories.make_user(Role.CASEWORKER, la),
    }
    priority = services.create_priority(
        actor=people["manager"], area=area, number=1, title="Timeliness", source="Direction"
    )
    actions = {
        "la": services.create_action(
            actor=people["manager"],
            priority=priority,
            title="Decide within 6 weeks",
            owner_organisation=la,
            owner=people["manager"],
            starts_on=today - timedelta(days=100),
            due_on=today - timedelta(days=5),
        ),
        "ep": services.create_action(
            actor=people["manager"],
            priority=priority,
            title="Clear the EP backlog",
            owner_organisation=ep,
            owner=people["epmanager"],
            starts_on=today - timedelta(days=100),
            due_on=today + timedelta(days=30),
        ),
        "health": services.create_action(
            actor=people["manager"],
            priority=priority,
            title="Health advice in 6 weeks",
            owner_organisation=health,
            owner=people["health"],
            starts_on=today - timedelta(days=50),
            due_on=today + timedelta(days=300),
        ),
    }
    return {"area": area, "priority": priority, "actions": actions, "today": today, **people}


# --- writing the plan ----------------------------------------------------------------------


def test_actions_are_numbered_within_their_priority(plan):
    assert [a.reference for a in plan["actions"].values()] == ["1.1", "1.2", "1.3"]
    assert ActionUpdate.objects.filter(action=plan["actions"]["ep"]).count() == 1


def test_a_due_date_before_the_start_is_refused(plan):
    la = plan["actions"]["la"].owner_organisation
    before = ImprovementAction.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_action(
            actor=plan["manager"],
            priority=plan["priority"],
            title="Backwards",
            owner_organisation=la,
            owner=plan["manager"],
            starts_on=date(2026, 3, 1),
            due_on=date(2026, 2, 1),
        )
    assert error.value.error_dict["due_on"][0].code == "due_before_start"
    assert ImprovementAction.objects.count() == before


def test_an_owner_outside_the_partnership_is_refused(plan, other_area):
    elsewhere = factories.LocalAuthorityFactory(area=other_area)
    outsider = factories.make_user(Role.TEAM_MANAGER, elsewhere)
    with pytest.raises(ValidationError) as error:
        services.create_action(
            actor=plan["manager"],
            priority=plan["priority"],
            title="Someone else's job",
            owner_organisation=elsewhere,
            owner=outsider,
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 2, 1),
        )
    assert error.value.error_dict["owner_organisation"][0].code == "outside_partnership"


def test_an_owner_who_does_not_work_for_the_organisation_is_refused(plan):
    ep = plan["actions"]["ep"].owner_organisation
    with pytest.raises(ValidationError) as error:
        services.create_action(
            actor=plan["manager"],
            priority=plan["priority"],
            title="Mixed up",
            owner_organisation=ep,
            owner=plan["health"],
            starts_on=date(2026, 1, 1),
            due_on=date(2026, 2, 1),
        )
    assert error.value.error_dict["owner"][0].code == "owner_not_in_organisation"


def test_only_the_local_authority_writes_the_plan(plan):
    for who in ("epmanager", "board", "caseworker"):
        with pytest.raises(PermissionDenied):
            services.create_action(
                actor=plan[who],
                priority=plan["priority"],
                title="Mine",
                owner_organisation=plan["actions"]["ep"].owner_organisation,
                owner=plan["epmanager"],
                starts_on=date(2026, 1, 1),
                due_on=date(2026, 2, 1),
            )


# --- updating an action ----------------------------------------------------------------------


def test_an_owner_updates_their_action_and_the_history_keeps_it(plan):
    action = plan["actions"]["ep"]
    updated = services.update_action(
        actor=plan["epmanager"],
        action=action,
        version=action.version,
        note="Two locums started.",
        status=ActionStatus.IN_PROGRESS,
        rag=Rag.AMBER,
    )
    assert (updated.status, updated.rag, updated.version) == ("in_progress", "amber", 2)
    latest = ActionUpdate.objects.filter(action=action).first()
    assert latest.note == "Two locums started." and latest.author == plan["epmanager"]
    assert latest.changes == {
        "status": ["not_started", "in_progress"],
        "rag": ["green", "amber"],
    }


def test_a_partner_cannot_update_another_partners_action(plan):
    action = plan["actions"]["la"]
    with pytest.raises(PermissionDenied):
        services.update_action(
            actor=plan["epmanager"], action=action, version=action.version, note="Not mine"
        )
    for who in ("board", "caseworker", "health"):
        with pytest.raises(PermissionDenied):
            services.update_action(actor=plan[who], action=action, version=1, note="No")


def test_an_update_from_a_stale_form_is_refused(plan):
    action = plan["actions"]["ep"]
    services.update_action(actor=plan["epmanager"], action=action, version=1, note="First")
    with pytest.raises(services.StaleUpdate):
        services.update_action(actor=plan["epmanager"], action=action, version=1, note="Again")
    assert ActionUpdate.objects.filter(action=action, note="Again").count() == 0


def test_an_update_needs_a_note(plan):
    action = plan["actions"]["ep"]
    with pytest.raises(ValidationError):
        services.update_action(actor=plan["epmanager"], action=action, version=1, note="  ")


def test_completing_an_action_records_the_day(plan):
    action = plan["actions"]["ep"]
    done = services.update_action(
        actor=plan["epmanager"],
        action=action,
        version=1,
        note="Backlog cleared.",
        status=ActionStatus.COMPLETED,
        today=date(2026, 11, 1),
    )
    assert done.completed_on == date(2026, 11, 1)


# --- who sees what ---------------------------------------------------------------------------


def test_each_partner_sees_its_own_actions_and_the_board_sees_all(plan):
    def seen(who):
        return {a.title for view in selectors.plan(plan[who], plan["area"]) for a in view.actions}

    everything = {a.title for a in plan["actions"].values()}
    assert seen("board") == everything
    assert seen("manager") == everything
    assert seen("epmanager") == everything  # a manager who sees the partnership's figures
    assert seen("health") == {"Health advice in 6 weeks"}
    assert seen("caseworker") == set()


def test_overdue_actions(plan):
    overdue = selectors.overdue(plan["board"], plan["area"], plan["today"])
    assert [a.title for a in overdue] == ["Decide within 6 weeks"]


def test_the_trajectory_comes_from_the_success_criteria(plan):
    action = plan["actions"]["ep"]
    services.add_success_criterion(
        actor=plan["epmanager"],
        action=action,
        description="Backlog below 10",
        measure_id="ep_advice_backlog",
        target=10,
        target_by=date(2026, 3, 31),
    )
    services.add_success_criterion(
        actor=plan["manager"],
        action=action,
        description="No backlog",
        measure_id="ep_advice_backlog",
        target=0,
        target_by=date(2026, 12, 31),
    )
    points = selectors.trajectory(plan["area"], "ep_advice_backlog")
    assert [(p.on, p.value) for p in points] == [
        (date(2026, 3, 31), 10.0),
        (date(2026, 12, 31), 0.0),
    ]
    with pytest.raises(ValidationError):
        services.add_success_criterion(
            actor=plan["epmanager"],
            action=action,
            description="?",
            measure_id="no_such_measure",
            target=1,
            target_by=date(2026, 1, 1),
        )


def test_the_progress_report_counts_evidence_due_two_weeks_before(plan):
    action = plan["actions"]["ep"]
    services.add_evidence(
        actor=plan["epmanager"], action=action, title="Recovery plan", url="https://x.test/plan"
    )
    meeting = plan["today"] + timedelta(days=20)  # evidence due in 6 days: this counts
    report = selectors.progress_report(plan["board"], plan["area"], meeting)
    assert report.evidence_due_on == meeting - timedelta(weeks=2)
    lines = {line.action.title: line for _, lines in report.lines for line in lines}
    assert [e.title for e in lines["Clear the EP backlog"].evidence_in_time] == ["Recovery plan"]
    assert lines["Decide within 6 weeks"].needs_evidence
    assert lines["Decide within 6 weeks"].overdue_at_meeting
    early = selectors.progress_report(
        plan["board"], plan["area"], plan["today"] + timedelta(days=3)
    )
    lines = {line.action.title: line for _, lines in early.lines for line in lines}
    assert lines["Clear the EP backlog"].evidence_late  # added after that meeting's deadline


# --- the pages -----------------------------------------------------------------------------


def test_the_owner_updates_an_action_on_its_page(client, plan):
    action = plan["actions"]["ep"]
    client.force_login(plan["epmanager"])
    form = client.get(f"/improvement/actions/{action.pk}/update/")
    assert form.status_code == 200
    response = client.post(
        f"/improvement/actions/{action.pk}/update/",
        {
            "note": "Trainees qualified.",
            "status": "in_progress",
            "rag": "green",
            "due_on": action.due_on.isoformat(),
            "version": action.version,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/improvement/actions/{action.pk}/").content.decode()
    assert "Trainees qualified." in page and "Update this action" in page


def test_an_empty_update_shows_an_error_summary_and_changes_nothing(client, plan):
    action = plan["actions"]["ep"]
    client.force_login(plan["epmanager"])
    response = client.post(
        f"/improvement/actions/{action.pk}/update/",
        {"note": "", "status": "completed", "rag": "red", "due_on": "31/02/2026", "version": 1},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Say what has happened since the last update." in text
    assert "Enter a real date" in text
    action.refresh_from_db()
    assert action.status == "not_started" and action.version == 1


def test_a_partner_cannot_open_another_partners_update_page(client, plan):
    client.force_login(plan["epmanager"])  # sees the whole plan, changes only the EP's actions
    la_action = plan["actions"]["la"]
    assert client.get(f"/improvement/actions/{la_action.pk}/").status_code == 200
    assert client.get(f"/improvement/actions/{la_action.pk}/update/").status_code == 403
    client.force_login(plan["health"])  # sees only the NHS provider's actions
    assert client.get(f"/improvement/actions/{la_action.pk}/").status_code == 404
    assert client.get(f"/improvement/actions/{la_action.pk}/update/").status_code == 404
    own = plan["actions"]["health"]
    assert client.get(f"/improvement/actions/{own.pk}/update/").status_code == 200


def test_the_board_sees_every_action_and_changes_none(client, plan):
    client.force_login(plan["board"])
    text = client.get("/improvement/").content.decode()
    for action in plan["actions"].values():
        assert action.title in text
    ep_action = plan["actions"]["ep"]
    assert (
        "Update this action"
        not in client.get(f"/improvement/actions/{ep_action.pk}/").content.decode()
    )
    assert client.get(f"/improvement/actions/{ep_action.pk}/update/").status_code == 403
    assert client.get("/improvement/actions/new/").status_code == 403
    assert "Decide within 6 weeks" in client.get("/improvement/overdue/").content.decode()


def test_evidence_is_uploaded_and_served_only_to_those_who_see_the_action(client, plan):
    action = plan["actions"]["health"]
    client.force_login(plan["health"])
    upload = SimpleUploadedFile("clinic-rota.pdf", b"%PDF-1.4 rota", "application/pdf")
    response = client.post(
        f"/improvement/actions/{action.pk}/evidence/", {"title": "Clinic rota", "file": upload}
    )
    assert response.status_code == 302
    evidence = action.evidence.get()
    download = client.get(f"/improvement/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 rota"
    client.force_login(plan["caseworker"])
    assert client.get(f"/improvement/evidence/{evidence.pk}/").status_code == 403
    client.force_login(plan["board"])
    assert client.get(f"/improvement/evidence/{evidence.pk}/").status_code == 200


def test_evidence_needs_a_link_or_a_file_not_both(client, plan):
    action = plan["actions"]["health"]
    client.force_login(plan["health"])
    response = client.post(f"/improvement/actions/{action.pk}/evidence/", {"title": "Nothing"})
    assert "Give a link or upload a file" in response.content.decode()
    assert not action.evidence.exists()


def test_the_manager_adds_an_action_with_an_owner(client, plan):
    client.force_login(plan["manager"])
    ep_action = plan["actions"]["ep"]
    membership = plan["epmanager"].memberships.get()
    response = client.post(
        "/improvement/actions/new/",
        {
            "priority": plan["priority"].pk,
            "title": "Commission locums",
            "owner_organisation": ep_action.owner_organisation_id,
            "owner": membership.pk,
            "starts_on": "2026-01-05",
            "due_on": "2026-01-04",
        },
    )
    assert "The due date must be the same as or after the start date." in response.content.decode()
    assert not ImprovementAction.objects.filter(title="Commission locums").exists()


def test_milestones_and_the_progress_report_page(client, plan):
    action = plan["actions"]["ep"]
    client.force_login(plan["epmanager"])
    client.post(
        f"/improvement/actions/{action.pk}/milestones/",
        {"title": "Locums start", "due_on": "2026-01-10"},
    )
    milestone = action.milestones.get()
    client.post(f"/improvement/actions/{action.pk}/milestones/{milestone.pk}/met/")
    milestone.refresh_from_db()
    assert milestone.completed_on == timezone.localdate()
    page = client.get("/improvement/report/", {"meeting": "2026-12-10"}).content.decode()
    assert "Evidence was due by" in page and "26 November 2026" in page
    bad = client.get("/improvement/report/", {"meeting": "soon"}).content.decode()
    assert "There is a problem" in bad

"""My tasks (issue 19): what is due from a caseworker, from the clock and the records."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework import clock, worklist
from everychild.casework.models import AssessmentRequest, CaseEvent, EventKind, Letter
from everychild.casework.tests.conftest import days_ago
from everychild.casework.tests.test_query_counts import open_cases
from everychild.families import services as family_services
from everychild.families.models import FamilyAnswer
from everychild.plans.services.reviews import next_review_due
from everychild.plans.worklist import CONVENE_WITHIN_DAYS
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def build(build, caseworker):
    """The casework builder, its requests allocated to the caseworker."""
    record = build.request

    def request(child=None, **kwargs):
        case = record(child, **kwargs)
        # Allocation is a manager's step; the list is about what follows from it.
        AssessmentRequest.objects.filter(pk=case.pk).update(caseworker=caseworker)
        case.refresh_from_db()
        return case

    build.request = request
    return build


def kinds(tasks):
    return [t.kind for t in tasks]


def test_a_request_waiting_for_its_decision_is_prepared_a_week_before_its_legal_date(
    build, caseworker
):
    case = build.request(received_days_ago=20)
    [task] = worklist.tasks_for(caseworker)
    due = clock.clock_for(case).milestone("decision_whether_to_assess").due
    assert task.kind == "decision"
    assert task.legal_date == due
    assert task.act_by == due - dt.timedelta(days=worklist.PANEL_PAPERS_DAYS)
    assert task.child == f"{case.child.first_name} {case.child.last_name}"
    # The caseworker prepares it on the case page; the decision page is the panel's.
    assert task.link == f"/cases/{case.pk}/"


def test_the_panel_sees_the_decisions_to_make_and_nothing_else(build, decision_maker):
    case = build.request(received_days_ago=20)
    other = build.decide(build.request(received_days_ago=100), days_after=20)
    build.advice(other, days_after_decision=2)
    tasks = worklist.tasks_for(decision_maker)
    assert [(t.kind, t.case_id) for t in tasks] == [("decision", case.pk)]
    assert tasks[0].what.startswith("Decide whether to assess")


def complete(build, *, received_days_ago=80, advice_in=True):
    """A case assessed, its advice asked for (and given), with no draft and no decision yet
    whether to issue a plan."""
    case = build.decide(build.request(received_days_ago=received_days_ago), days_after=20)
    advice = build.advice(case)
    if advice_in:
        build.provided(advice, days_after=20)
    case.refresh_from_db()
    return case


def test_the_panel_decides_whether_to_issue_once_the_assessment_is_complete(build, decision_maker):
    case = complete(build)
    complete(build, advice_in=False)  # advice still awaited: not ready for the panel
    [task] = worklist.tasks_for(decision_maker)
    case_clock = clock.clock_for(case)
    assert (task.kind, task.case_id) == ("issue", case.pk)
    assert task.what == "Decide whether to issue a plan, with reasons"
    # The agenda's date (the final plan's 20 weeks), and the 16 weeks by which a decision not
    # to issue must be told (reg 10(1)) as the day to act by.
    assert task.legal_date == case_clock.milestone("final_plan").due
    assert task.act_by == case_clock.milestone("notice_not_to_issue").due
    assert task.link == f"/cases/{case.pk}/issue-decision/"
    assert task.kind_label == "Decision whether to issue"


def test_the_decision_to_issue_goes_from_the_list_once_recorded(build, decision_maker):
    case = complete(build)
    case = build.draft(case, served_on=days_ago(3))
    [task] = worklist.tasks_for(decision_maker)
    assert task.kind == "issue" and task.act_by is None  # a draft served: reg 10(1) is met
    build.decide_to_issue(case, on=days_ago(1))
    assert worklist.tasks_for(decision_maker) == []


def test_the_decision_to_issue_is_the_task_of_whoever_the_area_names(
    build, area, caseworker, decision_maker, team_manager
):
    case = complete(build)
    assert "issue" not in kinds(worklist.tasks_for(caseworker))  # the panel's, by default
    area.issue_decided_by = "caseworker"
    area.save()
    assert "issue" not in kinds(worklist.tasks_for(decision_maker))
    [task] = [t for t in worklist.tasks_for(caseworker) if t.kind == "issue"]
    assert task.case_id == case.pk
    area.issue_decided_by = "manager"
    area.save()
    assert "issue" not in kinds(worklist.tasks_for(caseworker))
    team = worklist.tasks_for(team_manager, caseworker=worklist.ALL)
    assert [t.case_id for t in team if t.kind == "issue"] == [case.pk]


def test_the_panel_list_reads_the_same_queries_however_many_decisions_to_issue(
    build, decision_maker
):
    def count():
        with CaptureQueriesContext(connection) as captured:
            worklist.tasks_for(decision_maker)
        return len(captured.captured_queries)

    complete(build)
    count()  # the first call fills the per-process caches (memberships, area settings)
    few = count()
    for _ in range(4):
        complete(build)
    build.request(received_days_ago=10)
    assert count() == few


def test_late_advice_is_to_chase_and_goes_when_it_arrives(build, caseworker):
    case = build.decide(build.request(received_days_ago=90), days_after=20)
    advice = build.advice(case, days_after_decision=2)  # 6 weeks ended some days ago
    tasks = worklist.tasks_for(caseworker)
    chase = [t for t in tasks if t.kind == "advice"]
    assert len(chase) == 1 and chase[0].is_overdue(dt.date.today())
    assert "late" in chase[0].what
    build.provided(advice, days_after=10)
    assert "advice" not in kinds(worklist.tasks_for(caseworker))


def test_a_decision_without_its_letter_is_a_letter_to_send(build, caseworker):
    build.decide(build.request(received_days_ago=30), days_after=20)
    tasks = worklist.tasks_for(caseworker)
    [letter] = [t for t in tasks if t.kind == "letter"]
    assert "decision to assess" in letter.what


def test_overdue_first_then_by_legal_date(build, caseworker):
    build.request(received_days_ago=60)  # decision overdue
    build.request(received_days_ago=5)
    build.request(received_days_ago=20)
    tasks = worklist.tasks_for(caseworker)
    today = dt.date.today()
    assert tasks[0].is_overdue(today)
    later = [t.due for t in tasks[1:]]
    assert later == sorted(later)


def test_only_the_callers_own_cases_and_never_another_areas(build, caseworker, la):
    build.request(received_days_ago=20)
    colleague = factories.make_user(Role.CASEWORKER, la)
    assert worklist.tasks_for(colleague) == []
    other_area = factories.OtherAreaFactory()
    stranger = factories.make_user(Role.CASEWORKER, area=other_area)
    assert worklist.tasks_for(stranger) == []
    assert worklist.tasks_for(stranger, caseworker=worklist.ALL) == []


def test_a_manager_sees_any_caseworkers_tasks_and_all_of_them(build, caseworker, team_manager):
    build.request(received_days_ago=20)
    assert worklist.tasks_for(team_manager) == []  # holds no cases
    assert len(worklist.tasks_for(team_manager, caseworker=str(caseworker.pk))) == 1
    everyone = worklist.tasks_for(team_manager, caseworker=worklist.ALL)
    assert [t.caseworker for t in everyone] == ["Casey Worker"]


def test_the_list_is_audited_as_a_read_of_each_case(build, caseworker):
    case = build.request(received_days_ago=20)
    before = AuditEntry.objects.count()
    worklist.tasks_for(caseworker)
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.child_id == case.child_id and entry.action == "view"


# --- Family comments, a meeting and a school ------------------------------------------------


@pytest.fixture
def commented(build):
    case = build.assessed_to_draft(draft_days_ago=3)
    parent = factories.FamilyLinkFactory(child=case.child).user
    response = family_services.save_draft_response(
        actor=parent,
        case=case,
        comments={"F": "Speech and language therapy weekly, please."},
        wants_meeting=True,
        preferred_setting="Hillside Primary",
        send=True,
    )
    return case, response


def test_family_comments_a_meeting_and_a_school_each_become_a_task(commented, caseworker):
    case, _ = commented
    tasks = [t for t in worklist.tasks_for(caseworker) if t.case_id == case.pk]
    assert {"comments", "meeting", "preferred_setting"} <= set(kinds(tasks))
    final_due = clock.clock_for(case).milestone("final_plan").due
    meeting = next(t for t in tasks if t.kind == "meeting")
    assert meeting.legal_date == final_due
    assert meeting.act_by == clock.comments_close(case.draft_plan_served_on)
    school = next(t for t in tasks if t.kind == "preferred_setting")
    assert "Hillside Primary" in school.what


def test_what_the_family_sent_is_in_the_chronology(commented):
    case, _ = commented
    sent = set(CaseEvent.objects.filter(assessment_request=case).values_list("kind", flat=True))
    assert {
        EventKind.FAMILY_COMMENTED,
        EventKind.FAMILY_ASKED_FOR_MEETING,
        EventKind.FAMILY_NAMED_SETTING,
    } <= sent


def test_answering_clears_the_task_records_who_and_is_audited(commented, caseworker):
    case, response = commented
    answer = family_services.mark_answered(
        actor=caseworker, case=case, subject="meeting", response=response
    )
    assert answer.answered_by == caseworker
    tasks = [t for t in worklist.tasks_for(caseworker) if t.case_id == case.pk]
    assert "meeting" not in kinds(tasks) and "comments" in kinds(tasks)
    assert CaseEvent.objects.filter(
        assessment_request=case, kind=EventKind.FAMILY_ANSWERED
    ).exists()
    assert AuditEntry.objects.filter(detail__step="family_answered").exists()
    with pytest.raises(family_services.AlreadyAnswered):
        family_services.mark_answered(
            actor=caseworker, case=case, subject="meeting", response=response
        )
    assert FamilyAnswer.objects.count() == 1


def test_another_areas_caseworker_cannot_mark_it_answered(commented):
    case, response = commented
    stranger = factories.make_user(Role.CASEWORKER, area=factories.OtherAreaFactory())
    with pytest.raises(PermissionDenied):
        family_services.mark_answered(
            actor=stranger, case=case, subject="comments", response=response
        )
    assert not FamilyAnswer.objects.exists()


def test_a_family_message_is_a_task_until_answered(build, caseworker):
    case = build.decide(build.request(received_days_ago=30), days_after=20)
    parent = factories.FamilyLinkFactory(child=case.child).user
    message = family_services.send_message(actor=parent, case=case, body="When is the EP visit?")
    assert "message" in kinds(worklist.tasks_for(caseworker))
    assert CaseEvent.objects.filter(kind=EventKind.FAMILY_MESSAGE).exists()
    family_services.mark_answered(actor=caseworker, case=case, subject="message", message=message)
    assert "message" not in kinds(worklist.tasks_for(caseworker))


def test_a_review_meeting_held_is_a_review_to_decide_within_4_weeks(caseworker, area):
    case = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area), caseworker=caseworker, stage="plan_issued"
    )
    plan = factories.EHCPlanFactory(child=case.child, assessment_request=case)
    review = plan.reviews.create(due_on=days_ago(5), meeting_on=days_ago(10))
    [task] = [t for t in worklist.tasks_for(caseworker) if t.kind == "review"]
    assert task.legal_date == review.meeting_on + dt.timedelta(weeks=4)
    assert task.link == f"/plans/reviews/{review.pk}/"


# --- Queries ---------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_caseload(area, caseworker):
    def count():
        with CaptureQueriesContext(connection) as captured:
            worklist.tasks_for(caseworker)
        return len(captured.captured_queries)

    open_cases(4, area, caseworker)
    count()  # the first call fills the per-process caches (memberships, area settings)
    few = count()
    open_cases(16, area, caseworker, start=4)
    many = count()
    assert many == few, (few, many)


# --- The page and the API ----------------------------------------------------------------------


def test_my_tasks_page_lists_the_task_with_its_link(client, build, caseworker):
    case = build.request(received_days_ago=20)
    client.force_login(caseworker)
    page = client.get("/cases/tasks/").content.decode()
    assert "My tasks" in page
    assert "Prepare the request for the panel" in page
    assert f'href="/cases/{case.pk}/"' in page
    filtered = client.get("/cases/tasks/?kind=advice").content.decode()
    assert "Prepare the request for the panel" not in filtered


def test_a_manager_chooses_whose_tasks(client, build, caseworker, team_manager):
    build.request(received_days_ago=20)
    client.force_login(team_manager)
    page = client.get("/cases/tasks/?caseworker=all").content.decode()
    assert "Casey Worker" in page and "Prepare the request" in page


def test_the_api_gives_the_same_list(client, build, caseworker):
    case = build.request(received_days_ago=20)
    client.force_login(caseworker)
    body = client.get("/api/v1/tasks/").json()
    [task] = body["results"]
    assert task["kind"] == "decision" and task["case_id"] == case.pk
    assert task["link"].endswith(f"/cases/{case.pk}/")
    assert task["what_to_do"] and task["legal_date"]


def test_the_api_gives_the_panel_its_decisions_to_issue(client, build, decision_maker):
    case = complete(build)
    client.force_login(decision_maker)
    [task] = client.get("/api/v1/tasks/?kind=issue").json()["results"]
    assert task["kind"] == "issue" and task["case_id"] == case.pk
    assert task["link"].endswith(f"/cases/{case.pk}/issue-decision/")
    page = client.get("/cases/tasks/").content.decode()
    assert "Decide whether to issue a plan" in page
    assert f'href="/cases/{case.pk}/issue-decision/"' in page


def test_the_api_refuses_an_unknown_kind_and_others_tasks_for_a_caseworker(client, caseworker):
    client.force_login(caseworker)
    bad = client.get("/api/v1/tasks/?kind=nonsense")
    assert bad.status_code == 400 and "kind" in str(bad.json())
    assert client.get("/api/v1/tasks/?caseworker=all").status_code == 403


def test_a_letter_made_takes_the_letter_task_away(build, caseworker):
    case = build.decide(build.request(received_days_ago=30), days_after=20)
    Letter.objects.create(
        assessment_request=case,
        kind=Letter.Kind.DECISION_TO_ASSESS,
        dated_on=days_ago(1),
        html="<p>Letter</p>",
    )
    assert "letter" not in kinds(worklist.tasks_for(caseworker))


# --- Reviews the council convenes (reg 20, 21) -----------------------------------------------


def _plan_due_in_a_month(area, caseworker, *, setting):
    case = factories.AssessmentRequestFactory(
        child=factories.ChildFactory(area=area, current_setting=setting),
        caseworker=caseworker,
        stage="plan_issued",
    )
    return factories.EHCPlanFactory(
        child=case.child, assessment_request=case, issued_on=days_ago(7 * 48)
    )


def test_a_review_the_school_convenes_is_not_the_caseworkers_to_invite(caseworker, area):
    _plan_due_in_a_month(area, caseworker, setting=factories.SchoolFactory(area=area))
    assert "convene" not in kinds(worklist.tasks_for(caseworker))


def test_where_the_council_convenes_the_caseworker_invites_2_weeks_before_the_review(
    caseworker, area
):
    area.reviews_convened_by = "council"
    area.save()
    plan = _plan_due_in_a_month(area, caseworker, setting=factories.SchoolFactory(area=area))
    [task] = [t for t in worklist.tasks_for(caseworker) if t.kind == "convene"]
    due = next_review_due(plan)  # the engine's: within 12 months of issue (s.44, reg 18)
    assert dt.timedelta(days=14) < due - days_ago(0) <= dt.timedelta(days=CONVENE_WITHIN_DAYS)
    assert task.legal_date == due and task.act_by == due - dt.timedelta(days=14)
    assert task.link == f"/plans/{plan.pk}/annual-review/invite/"
    assert task.kind_label == "Review to convene"
    # Once the invitations have gone, the task has gone.
    plan.reviews.create(due_on=due, invitations_sent_on=days_ago(0))
    assert "convene" not in kinds(worklist.tasks_for(caseworker))


def test_a_child_at_no_school_is_always_the_councils_to_convene(caseworker, area):
    _plan_due_in_a_month(area, caseworker, setting=None)
    assert "convene" in kinds(worklist.tasks_for(caseworker))


def test_the_manager_names_who_convenes_and_an_unknown_choice_changes_nothing(
    client, team_manager, area
):
    client.force_login(team_manager)
    owners = {
        "assess_decided_by": "panel",
        "issue_decided_by": "panel",
        "final_plan_issued_by": "caseworker",
    }
    refused = client.post("/cases/team/decisions/", {**owners, "reviews_convened_by": "nobody"})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    area.refresh_from_db()
    assert area.reviews_convened_by == "school"
    response = client.post("/cases/team/decisions/", {**owners, "reviews_convened_by": "council"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.reviews_convened_by == "council"
    assert AuditEntry.objects.filter(detail__after__reviews_convened_by="council").exists()


# --- A page at a time (decision 0282) -----------------------------------------------------------


def _listed(response) -> list:
    return [row["task"] for group in response.context["groups"] for row in group["rows"]]


def _audited_cases(since: int) -> set[str]:
    return set(
        AuditEntry.objects.filter(
            pk__gt=since, record_type="casework.AssessmentRequest"
        ).values_list("record_id", flat=True)
    )


def test_every_caseworkers_tasks_page_after_page_are_the_whole_list_in_order(
    client, area, la, caseworker, team_manager, monkeypatch
):
    from everychild.casework import views

    other = factories.make_user(Role.CASEWORKER, la, full_name="Alex Another")
    open_cases(12, area, caseworker)  # a quarter of them not yet allocated
    open_cases(9, area, other, start=12)
    whole = sorted(
        worklist.tasks_for(team_manager, caseworker=worklist.ALL, audited=False),
        key=lambda task: task.caseworker or "Not yet allocated",
    )
    assert len({task.caseworker for task in whole}) == 3 and len(whole) > 8
    monkeypatch.setattr(views, "TASKS_PAGE_SIZE", 4)
    client.force_login(team_manager)
    shown, number = [], 1
    while True:
        since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(f"/cases/tasks/?caseworker=all&page={number}")
        assert response.status_code == 200
        rows = _listed(response)
        # The audit names exactly the cases shown on the page, not the whole list.
        assert _audited_cases(since) == {str(task.case_id) for task in rows}
        # The counts and each caseworker's total are of the whole list, on every page.
        assert response.context["counts"]["total"] == len(whole)
        for group in response.context["groups"]:
            assert group["total"] == sum(
                1 for t in whole if (t.caseworker or "Not yet allocated") == group["name"]
            )
        shown += rows
        page = response.context["page"]
        if not page.has_next():
            break
        assert f"page={number + 1}" in response.content.decode()
        number += 1
    assert shown == whole
    assert number == -(-len(whole) // 4)


def test_a_page_of_tasks_out_of_range_or_not_a_number_shows_the_last_or_first(
    client, area, caseworker, monkeypatch
):
    from everychild.casework import views

    open_cases(12, area, caseworker)
    whole = worklist.tasks_for(caseworker, audited=False)
    monkeypatch.setattr(views, "TASKS_PAGE_SIZE", 4)
    client.force_login(caseworker)
    last = client.get("/cases/tasks/?page=999")
    assert last.status_code == 200
    assert _listed(last) == whole[(len(whole) - 1) // 4 * 4 :]
    first = client.get("/cases/tasks/?page=nonsense")
    assert first.status_code == 200 and _listed(first) == whole[:4]
    assert f"Showing 1 to 4 of {len(whole)} tasks" in first.content.decode()


def test_every_caseworkers_tasks_page_reads_the_same_queries_however_many_cases(
    client, area, la, caseworker, team_manager
):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/cases/tasks/?caseworker=all&page=2").status_code == 200
        return len(captured.captured_queries)

    client.force_login(team_manager)
    open_cases(8, area, caseworker)
    count()  # fills the per-process caches
    few = count()
    open_cases(40, area, caseworker, start=8)
    assert count() == few

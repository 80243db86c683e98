"""Decisions have owners (issue 19, decision 0192): deciding to assess, deciding whether to
issue a plan and issuing the final plan are separate decisions, each recorded by the role the
area's settings name, with reasons; no final plan without a recorded decision to issue; the
panel's meetings, their agenda and papers, and the decisions recorded at them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.areas.models import DecisionOwner
from everychild.casework import selectors, services
from everychild.casework.models import (
    AssessmentRequest,
    CaseDocument,
    CaseEvent,
    EventKind,
    PanelMeeting,
    Stage,
)
from everychild.casework.tests.conftest import days_ago
from everychild.plans import services as plan_services
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def refused(call, field: str, code: str) -> str:
    """Run `call`, expect a ValidationError on `field` with `code`, and nothing written."""
    events, audits = CaseEvent.objects.count(), AuditEntry.objects.count()
    versions = dict(AssessmentRequest.objects.values_list("pk", "version"))
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.error_dict
    assert field in errors, errors
    assert errors[field][0].code == code, errors
    assert CaseEvent.objects.count() == events and AuditEntry.objects.count() == audits
    assert dict(AssessmentRequest.objects.values_list("pk", "version")) == versions
    return errors[field][0].messages[0]


def owners(area, **chosen):
    for field, value in chosen.items():
        setattr(area, field, value)
    area.save()


def assessed(build):
    """A case decided, its advice in and its draft served 20 days ago: complete, with no
    decision whether to issue yet."""
    case = build.request(received_days_ago=120)
    case = build.decide(case, days_after=20)
    build.provided(build.advice(case), days_after=20)
    return build.draft(case, served_on=days_ago(20))


def to_issue(actor, case, **kwargs):
    case.refresh_from_db()
    return services.decide_to_issue(
        actor=actor,
        case=case,
        version=case.version,
        decided_on=kwargs.pop("decided_on", days_ago(19)),
        reasons=kwargs.pop("reasons", "The assessment shows that a plan is necessary."),
        **kwargs,
    )


def issue(actor, case, on=None):
    case.refresh_from_db()
    return plan_services.issue_final_plan(
        actor=actor, case=case, version=case.version, issued_on=on or days_ago(1)
    )


# --- The decision to issue ---------------------------------------------------------------------


def test_the_final_plan_is_refused_without_a_decision_to_issue_and_nothing_is_written(
    build, caseworker, decision_maker
):
    case = assessed(build)
    message = refused(lambda: issue(caseworker, case), "issued_on", "no_decision_to_issue")
    assert "No decision to issue a plan has been recorded" in message
    case = to_issue(decision_maker, case)
    case = issue(caseworker, case)
    assert case.stage == Stage.PLAN_ISSUED
    assert case.plan.issued_on == days_ago(1)


def test_the_decision_to_issue_is_recorded_with_who_when_and_why(build, decision_maker):
    case = to_issue(decision_maker, assessed(build), reasons="Needs call for a plan.")
    case.refresh_from_db()
    assert case.decision_to_issue_on == days_ago(19)
    assert case.decision_to_issue_by == decision_maker
    assert case.decision_to_issue_reasons == "Needs call for a plan."
    assert case.stage == Stage.DRAFT_PLAN  # a decision, not the plan itself
    event = case.events.order_by("-pk").first()
    assert event.kind == EventKind.DECISION_TO_ISSUE and event.actor == decision_maker


def test_the_decision_to_issue_is_refused_before_the_assessment_is_complete(build, decision_maker):
    case = build.request(received_days_ago=100)
    refused(lambda: to_issue(decision_maker, case), "decided_on", "not_assessing")
    case = build.decide(case, days_after=10)
    build.advice(case)  # awaited
    message = refused(lambda: to_issue(decision_maker, case), "decided_on", "advice_awaited")
    assert "Psychological advice" in message


def test_the_decision_to_issue_is_made_once_and_rules_out_not_issuing(build, decision_maker):
    case = to_issue(decision_maker, assessed(build))
    refused(lambda: to_issue(decision_maker, case), "decided_on", "already_decided")
    case.refresh_from_db()
    refused(
        lambda: services.decide_not_to_issue(
            actor=decision_maker,
            case=case,
            version=case.version,
            decided_on=days_ago(1),
            reasons="Changed our mind.",
        ),
        "decided_on",
        "already_decided",
    )


def test_the_decision_to_issue_keeps_the_case_version(build, decision_maker):
    case = assessed(build)
    stale = case.version
    to_issue(decision_maker, case)
    with pytest.raises(services.CaseChanged):
        services.decide_to_issue(
            actor=decision_maker,
            case=case,
            version=stale,
            decided_on=days_ago(1),
            reasons="Again",
        )


def test_a_decision_not_to_issue_records_who_made_it(build, decision_maker):
    case = assessed(build)
    case = services.decide_not_to_issue(
        actor=decision_maker,
        case=case,
        version=case.version,
        decided_on=days_ago(2),
        reasons="Needs can be met from the school's resources.",
    )
    case.refresh_from_db()
    assert case.stage == Stage.NOT_ISSUING and case.not_to_issue_by == decision_maker


# --- The area's settings name who records each decision ----------------------------------------


def test_by_default_the_panel_decides_and_the_caseworker_issues(
    build, caseworker, team_manager, decision_maker
):
    case = assessed(build)
    for someone in (caseworker, team_manager):
        with pytest.raises(PermissionDenied, match="only the panel"):
            to_issue(someone, case)
    case = to_issue(decision_maker, case)
    with pytest.raises(PermissionDenied, match="caseworker with delegated authority"):
        issue(decision_maker, case)
    assert issue(caseworker, case).stage == Stage.PLAN_ISSUED


def test_an_area_may_name_its_managers_for_the_decision_to_issue(
    area, build, caseworker, team_manager, decision_maker
):
    owners(area, issue_decided_by=DecisionOwner.MANAGER)
    case = assessed(build)
    for someone in (caseworker, decision_maker):
        with pytest.raises(PermissionDenied, match="SEND team manager"):
            to_issue(someone, case)
    assert to_issue(team_manager, case).decision_to_issue_by == team_manager


def test_an_area_may_have_the_panel_issue_the_final_plan(area, build, caseworker, decision_maker):
    owners(area, final_plan_issued_by=DecisionOwner.PANEL)
    case = to_issue(decision_maker, assessed(build))
    with pytest.raises(PermissionDenied):
        issue(caseworker, case)
    assert issue(decision_maker, case).stage == Stage.PLAN_ISSUED


def test_an_area_may_delegate_the_decision_to_assess_to_caseworkers(
    area, build, caseworker, decision_maker
):
    owners(area, assess_decided_by=DecisionOwner.CASEWORKER)
    case = build.request()
    case = services.decide_whether_to_assess(
        actor=caseworker,
        case=case,
        version=case.version,
        decision="assess",
        decided_on=days_ago(10),
        reasons="Delegated decision.",
    )
    assert case.decided_by == caseworker


def test_an_unknown_owner_is_denied_to_everyone(area, build, caseworker, decision_maker):
    AreaModel = type(area)
    AreaModel.objects.filter(pk=area.pk).update(issue_decided_by="nobody")
    case = assessed(build)
    case.area.refresh_from_db()
    for someone in (caseworker, decision_maker):
        with pytest.raises(PermissionDenied):
            to_issue(someone, case)


def test_only_the_areas_managers_change_who_decides(area, caseworker, team_manager, other_area):
    chosen = {
        "assess_decided_by": DecisionOwner.PANEL,
        "issue_decided_by": DecisionOwner.MANAGER,
        "final_plan_issued_by": DecisionOwner.CASEWORKER,
    }
    with pytest.raises(PermissionDenied):
        services.change_decision_owners(actor=caseworker, area=area, **chosen)
    with pytest.raises(PermissionDenied):
        services.change_decision_owners(actor=team_manager, area=other_area, **chosen)
    with pytest.raises(ValidationError):
        services.change_decision_owners(
            actor=team_manager, area=area, **{**chosen, "issue_decided_by": "anyone"}
        )
    area.refresh_from_db()
    assert area.issue_decided_by == DecisionOwner.PANEL  # nothing changed
    services.change_decision_owners(actor=team_manager, area=area, **chosen)
    area.refresh_from_db()
    assert area.issue_decided_by == DecisionOwner.MANAGER


# --- The panel meeting --------------------------------------------------------------------------


def test_only_panel_members_hold_a_meeting(area, caseworker, decision_maker, other_area):
    with pytest.raises(PermissionDenied):
        services.hold_panel_meeting(
            actor=caseworker, area=area, held_on=days_ago(0), members="Casey"
        )
    with pytest.raises(PermissionDenied):
        services.hold_panel_meeting(
            actor=decision_maker, area=other_area, held_on=days_ago(0), members="Priya"
        )
    with pytest.raises(ValidationError):
        services.hold_panel_meeting(actor=decision_maker, area=area, held_on=None, members="")
    assert not PanelMeeting.objects.exists()


def test_the_agenda_lists_each_decision_with_its_papers_and_the_meeting_keeps_them(
    area, build, caseworker, decision_maker
):
    waiting = build.request(received_days_ago=30)
    complete = assessed(build)
    CaseDocument.objects.create(
        assessment_request=complete,
        title="Parent's views",
        stored_name="x" * 32,
        file="cases/x",
        original_name="views.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    still_assessing = build.decide(build.request(received_days_ago=60), days_after=10)
    build.advice(still_assessing)  # advice awaited: not on the agenda to issue
    meeting = services.hold_panel_meeting(
        actor=decision_maker, area=area, held_on=days_ago(0), members="Priya Panel (chair)"
    )
    agenda = selectors.panel_agenda(decision_maker, area.pk)
    assert [item.case for item in agenda["assess"]] == [waiting]
    assert [item.case for item in agenda["issue"]] == [complete]
    [item] = agenda["issue"]
    assert item.due == complete.received_on + dt.timedelta(weeks=20)
    assert [a.kind for a in item.advice] == ["ep"]
    assert [d.title for d in item.documents] == ["Parent's views"]
    assert item.may_decide
    # Decisions recorded from the agenda point to the meeting, which lists them.
    complete.refresh_from_db()
    to_issue(decision_maker, complete, meeting=meeting)
    waiting.refresh_from_db()
    services.decide_whether_to_assess(
        actor=decision_maker,
        case=waiting,
        version=waiting.version,
        decision="not_assess",
        decided_on=days_ago(0),
        reasons="Needs met at SEN support.",
        meeting=meeting,
    )
    words = {(row["case"], row["words"]) for row in selectors.decisions_at(meeting)}
    assert words == {
        (complete, "Decided to issue an EHC plan"),
        (waiting, "Decided not to assess"),
    }
    agenda = selectors.panel_agenda(decision_maker, area.pk)
    assert agenda["assess"] == [] and agenda["issue"] == []


def test_a_decision_cannot_point_to_another_areas_meeting(build, decision_maker, other_area):
    elsewhere = PanelMeeting.objects.create(area=other_area, held_on=days_ago(1), members="X")
    case = assessed(build)
    with pytest.raises(PermissionDenied):
        to_issue(decision_maker, case, meeting=elsewhere)


# --- The pages ----------------------------------------------------------------------------------


def test_the_panel_pages_are_for_the_areas_panel(client, area, build, caseworker, decision_maker):
    complete = assessed(build)
    client.force_login(caseworker)
    assert client.get("/cases/panel/").status_code == 403
    client.force_login(decision_maker)
    page = client.get("/cases/panel/")
    assert page.status_code == 200
    response = client.post(
        "/cases/panel/", {"held_on": "", "members": ""}
    )  # bad input: the error summary, nothing written
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert not PanelMeeting.objects.exists()
    response = client.post(
        "/cases/panel/",
        {"held_on": days_ago(0).strftime("%d/%m/%Y"), "members": "Priya Panel (chair)"},
    )
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/panel/{meeting.pk}/"
    page = client.get(f"/cases/panel/{meeting.pk}/").content.decode()
    assert complete.reference in page
    assert f"/cases/{complete.pk}/issue-decision/?meeting={meeting.pk}" in page
    client.force_login(caseworker)
    assert client.get(f"/cases/panel/{meeting.pk}/").status_code == 403
    # Another area's panel does not find it.
    other_la = factories.LocalAuthorityFactory(area=factories.OtherAreaFactory())
    client.force_login(factories.make_user(Role.DECISION_MAKER, other_la))
    assert client.get(f"/cases/panel/{meeting.pk}/").status_code == 404


def test_the_decision_pages_follow_the_areas_settings(
    client, area, build, caseworker, team_manager, decision_maker
):
    case = assessed(build)
    client.force_login(caseworker)
    assert client.get(f"/cases/{case.pk}/issue-decision/").status_code == 403
    client.force_login(decision_maker)
    assert client.get(f"/cases/{case.pk}/issue-decision/").status_code == 200
    owners(area, issue_decided_by=DecisionOwner.MANAGER)
    assert client.get(f"/cases/{case.pk}/issue-decision/").status_code == 403
    client.force_login(team_manager)
    assert client.get(f"/cases/{case.pk}/issue-decision/").status_code == 200


def test_managers_change_who_decides_on_their_page(client, area, caseworker, team_manager):
    client.force_login(caseworker)
    assert client.get("/cases/team/decisions/").status_code == 403
    client.force_login(team_manager)
    assert client.get("/cases/team/decisions/").status_code == 200
    bad = client.post("/cases/team/decisions/", {"assess_decided_by": "panel"})
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    area.refresh_from_db()
    assert area.final_plan_issued_by == DecisionOwner.CASEWORKER
    done = client.post(
        "/cases/team/decisions/",
        {
            "assess_decided_by": "panel",
            "issue_decided_by": "manager",
            "final_plan_issued_by": "manager",
            "reviews_convened_by": "school",
        },
    )
    assert done.status_code == 302
    area.refresh_from_db()
    assert area.issue_decided_by == "manager" and area.final_plan_issued_by == "manager"

"""Every casework step: what it records (the change, a chronology entry, an audit entry), and
every refusal, with the message saying what to fix and nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import (
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseEvent,
    CaseException,
    Consultation,
    Decision,
    EventKind,
    RequestSource,
    Stage,
)
from everychild.casework.tests.conftest import days_ago
from everychild.plans import services as plan_services
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def refused(call, field: str, code: str | None = None, match: str | None = None):
    """Run `call`, expect a ValidationError on `field`, and check nothing was written."""
    events, audits, cases = CaseEvent.objects.count(), AuditEntry.objects.count(), []
    versions = dict(AssessmentRequest.objects.values_list("pk", "version"))
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.error_dict
    assert field in errors, errors
    if code is not None:
        assert errors[field][0].code == code, errors
    if match is not None:
        assert match in errors[field][0].messages[0], errors[field][0].messages
    assert CaseEvent.objects.count() == events
    assert AuditEntry.objects.count() == audits
    assert dict(AssessmentRequest.objects.values_list("pk", "version")) == versions
    del cases
    return errors[field][0].messages[0]


def last_event(case) -> CaseEvent:
    return CaseEvent.objects.filter(assessment_request=case).order_by("-pk").first()


# --- The request ----------------------------------------------------------------------------


def test_recording_a_request_starts_the_case_with_an_event_and_an_audit_entry(
    caseworker, area, child
):
    case = services.record_request(
        actor=caseworker,
        area=area,
        child=child,
        source=RequestSource.FAMILY,
        received_on=days_ago(3),
        requested_by="Sam Parent",
        reason="Not making progress at school.",
    )
    assert case.stage == Stage.AWAITING_DECISION
    assert case.version == 1
    assert case.reference == f"839/{days_ago(3).year}/00001"
    event = last_event(case)
    assert event.kind == EventKind.REQUEST_RECEIVED
    assert event.happened_on == days_ago(3)
    assert "child, young person or parent" in event.summary
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.child_id, entry.actor_id) == ("create", child.pk, caseworker.pk)
    assert entry.detail == {"step": "request_received", "case": case.pk}


def test_references_count_up_within_the_year(build):
    first = build.request(received_days_ago=5)
    second = build.request(received_days_ago=5)
    assert int(second.reference.rsplit("/", 1)[1]) == int(first.reference.rsplit("/", 1)[1]) + 1


def test_a_transfer_in_runs_the_clock_from_the_date_of_transfer(caseworker, area, child):
    case = services.record_request(
        actor=caseworker,
        area=area,
        child=child,
        source=RequestSource.OTHER,
        received_on=days_ago(10),
        requested_by="Dorset Council SEND team",
        reason="The family moved here during an assessment.",
        transferred_in=True,
        transferred_from="Dorset Council",
    )
    assert case.transferred_in and case.received_on == days_ago(10)
    assert last_event(case).kind == EventKind.TRANSFERRED_IN
    assert "Dorset Council" in last_event(case).summary


def test_a_transfer_in_needs_the_authority_it_came_from(caseworker, area, child):
    refused(
        lambda: services.record_request(
            actor=caseworker,
            area=area,
            child=child,
            source="5",
            received_on=days_ago(1),
            requested_by="x",
            reason="y",
            transferred_in=True,
        ),
        "transferred_from",
        "required",
    )


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"source": "9"}, "source", "unknown_code"),
        ({"received_on": None}, "received_on", "required"),
        ({"received_on": "2025-01-01"}, "received_on", "invalid_date"),
        ({"received_on": dt.date(2014, 8, 31)}, "received_on", "before_2014"),
        ({"requested_by": "  "}, "requested_by", "required"),
        ({"reason": ""}, "reason", "required"),
    ],
)
def test_a_request_with_bad_values_is_refused(caseworker, area, child, changes, field, code):
    values = {
        "source": RequestSource.SETTING,
        "received_on": days_ago(1),
        "requested_by": "Jo Smith",
        "reason": "Needs",
        **changes,
    }
    refused(
        lambda: services.record_request(actor=caseworker, area=area, child=child, **values),
        field,
        code,
    )


def test_a_request_dated_in_the_future_or_before_birth_is_refused(caseworker, area):
    child = factories.ChildFactory(area=area, date_of_birth=days_ago(3 * 365))
    base = {"source": "1", "requested_by": "x", "reason": "y"}
    message = refused(
        lambda: services.record_request(
            actor=caseworker, area=area, child=child, received_on=days_ago(-1), **base
        ),
        "received_on",
        "future",
    )
    assert "cannot be in the future" in message
    refused(
        lambda: services.record_request(
            actor=caseworker,
            area=area,
            child=child,
            received_on=child.date_of_birth - dt.timedelta(days=1),
            **base,
        ),
        "received_on",
        "out_of_order",
        match="child's date of birth",
    )


def test_a_second_open_request_for_the_same_child_is_refused(build):
    case = build.request()
    message = refused(lambda: build.request(case.child), "child", "open_case_exists")
    assert case.reference in message


def test_only_the_areas_caseworkers_and_managers_record_requests(
    area, other_area, child, decision_maker
):
    elsewhere = factories.make_user(Role.CASEWORKER, area=other_area)
    for actor in (elsewhere, decision_maker, factories.make_user(Role.SENCO, area=area)):
        with pytest.raises(PermissionDenied):
            services.record_request(
                actor=actor,
                area=area,
                child=child,
                source="1",
                received_on=days_ago(1),
                requested_by="x",
                reason="y",
            )
    assert not AssessmentRequest.objects.exists()


def test_a_child_of_another_area_cannot_be_given_a_request_here(caseworker, area, other_area):
    stranger = factories.ChildFactory(area=other_area)
    refused(
        lambda: services.record_request(
            actor=caseworker,
            area=area,
            child=stranger,
            source="1",
            received_on=days_ago(1),
            requested_by="x",
            reason="y",
        ),
        "child",
        "wrong_area",
    )


def test_correcting_the_request_records_which_fields_changed(build, caseworker):
    case = build.request(received_days_ago=10)
    case = services.update_request(
        actor=caseworker,
        case=case,
        version=case.version,
        received_on=days_ago(12),
        reason="Corrected reason",
        requested_by=case.requested_by,
    )
    assert (case.received_on, case.version) == (days_ago(12), 2)
    event = last_event(case)
    assert event.kind == EventKind.REQUEST_CHANGED
    assert event.data == {"fields": ["reason", "received_on"]}


def test_the_request_date_cannot_move_after_the_decision(build, caseworker):
    case = build.decide(build.request(received_days_ago=40), days_after=10)
    refused(
        lambda: services.update_request(
            actor=caseworker, case=case, version=case.version, received_on=days_ago(20)
        ),
        "received_on",
        "out_of_order",
        match="after the decision",
    )


# --- Allocation -----------------------------------------------------------------------------


def test_a_manager_allocates_and_reallocates(build, team_manager, caseworker, la):
    case = build.request()
    case = services.allocate(
        actor=team_manager, case=case, version=case.version, caseworker=caseworker
    )
    assert case.caseworker == caseworker
    assert last_event(case).summary == "Allocated to Casey Worker"
    other = factories.make_user(Role.CASEWORKER, la, full_name="Other Worker")
    case = services.allocate(actor=team_manager, case=case, version=case.version, caseworker=other)
    assert last_event(case).summary == "Allocated to Other Worker (reallocated)"
    refused(
        lambda: services.allocate(
            actor=team_manager, case=case, version=case.version, caseworker=other
        ),
        "caseworker",
        "unchanged",
    )


def test_allocation_refuses_a_non_manager_and_someone_outside_the_team(
    build, team_manager, caseworker, other_area
):
    case = build.request()
    with pytest.raises(PermissionDenied):
        services.allocate(actor=caseworker, case=case, version=case.version, caseworker=caseworker)
    outsider = factories.make_user(Role.CASEWORKER, area=other_area)
    refused(
        lambda: services.allocate(
            actor=team_manager, case=case, version=case.version, caseworker=outsider
        ),
        "caseworker",
        "not_a_caseworker",
    )


# --- The decision ---------------------------------------------------------------------------


def test_the_panel_decides_to_assess(build, decision_maker):
    case = build.request(received_days_ago=20)
    case = services.decide_whether_to_assess(
        actor=decision_maker,
        case=case,
        version=case.version,
        decision=Decision.ASSESS,
        decided_on=days_ago(2),
        reasons="Needs are likely to require special provision.",
    )
    assert (case.stage, case.decision, case.decided_by) == (
        Stage.ASSESSING,
        "assess",
        decision_maker,
    )
    assert last_event(case).kind == EventKind.DECISION_TO_ASSESS
    assert last_event(case).actor == decision_maker


def test_the_panel_decides_not_to_assess_and_the_case_closes(build):
    case = build.decide(build.request(), decision=Decision.NOT_ASSESS)
    assert case.stage == Stage.NOT_ASSESSING
    assert last_event(case).kind == EventKind.DECISION_NOT_TO_ASSESS


def test_there_is_no_second_decision(build, decision_maker):
    case = build.decide(build.request())
    message = refused(lambda: build.decide(case, decision=Decision.NOT_ASSESS), "decision")
    assert "cannot be made twice" in message


def test_a_decision_needs_the_decision_maker_role(build, caseworker, team_manager):
    case = build.request()
    for actor in (caseworker, team_manager):
        with pytest.raises(PermissionDenied):
            services.decide_whether_to_assess(
                actor=actor,
                case=case,
                version=case.version,
                decision="assess",
                decided_on=days_ago(1),
                reasons="x",
            )
    case.refresh_from_db()
    assert case.decision == ""


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        ({"decision": "maybe"}, "decision", "unknown_code"),
        ({"decided_on": days_ago(-1)}, "decided_on", "future"),
        ({"decided_on": days_ago(200)}, "decided_on", "out_of_order"),
        ({"reasons": " "}, "reasons", "required"),
    ],
)
def test_a_decision_with_bad_values_is_refused(build, decision_maker, values, field, code):
    case = build.request(received_days_ago=100)
    args = {"decision": "assess", "decided_on": days_ago(1), "reasons": "Because", **values}
    refused(
        lambda: services.decide_whether_to_assess(
            actor=decision_maker, case=case, version=case.version, **args
        ),
        field,
        code,
    )


# --- Advice ---------------------------------------------------------------------------------


def test_advice_is_asked_for_and_recorded_as_received(build, ep_service):
    case = build.decide(build.request())
    advice = build.advice(case, ep_service)
    assert last_event(case).kind == EventKind.ADVICE_REQUESTED
    assert last_event(case).data["organisation"] == ep_service.name
    advice = build.provided(advice, days_after=20)
    assert advice.provided_on == advice.received_by_body_on + dt.timedelta(days=20)
    assert last_event(case).kind == EventKind.ADVICE_PROVIDED


def test_advice_is_refused_before_the_decision_to_assess(build, caseworker, ep_service):
    case = build.request()
    message = refused(
        lambda: services.request_advice(
            actor=caseworker,
            case=case,
            version=case.version,
            kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
            organisation=ep_service,
            received_by_body_on=days_ago(1),
        ),
        "__all__",
        "not_assessing",
    )
    assert "after the decision to assess" in message


def test_advice_must_be_asked_of_the_right_kind_of_body_once(build, caseworker, ep_service, school):
    case = build.decide(build.request())

    def ask(kind, org, on=None):
        return lambda: services.request_advice(
            actor=caseworker,
            case=case,
            version=case.version,
            kind=kind,
            organisation=org,
            received_by_body_on=on or case.decision_on + dt.timedelta(days=1),
        )

    refused(ask(AdviceKind.HEALTH, ep_service), "organisation", "wrong_organisation")
    refused(ask(AdviceKind.EDUCATION, ep_service), "organisation", "wrong_organisation")
    refused(ask("astrology", ep_service), "kind", "unknown_code")
    refused(
        ask(AdviceKind.EDUCATIONAL_PSYCHOLOGY, ep_service, case.decision_on - dt.timedelta(1)),
        "received_by_body_on",
        "out_of_order",
    )
    ask(AdviceKind.EDUCATION, school)()
    case.refresh_from_db()
    refused(ask(AdviceKind.EDUCATION, school), "organisation", "duplicate")


def test_advice_received_before_it_was_asked_for_or_twice_is_refused(build, caseworker):
    case = build.decide(build.request())
    advice = build.advice(case)
    refused(
        lambda: services.record_advice_provided(
            actor=caseworker,
            advice=advice,
            version=case.version,
            provided_on=advice.received_by_body_on - dt.timedelta(days=1),
        ),
        "provided_on",
        "out_of_order",
    )
    build.provided(advice)
    case.refresh_from_db()
    refused(
        lambda: services.record_advice_provided(
            actor=caseworker, advice=advice, version=case.version, provided_on=days_ago(1)
        ),
        "provided_on",
        "already_provided",
    )


def test_a_request_for_advice_is_cancelled_with_a_reason(build, caseworker):
    case = build.decide(build.request())
    advice = build.advice(case)
    refused(
        lambda: services.cancel_advice_request(
            actor=caseworker,
            advice=advice,
            version=case.version,
            cancelled_on=days_ago(1),
            reason="",
        ),
        "reason",
        "required",
    )
    services.cancel_advice_request(
        actor=caseworker,
        advice=advice,
        version=case.version,
        cancelled_on=days_ago(1),
        reason="Already assessed last month",
    )
    advice.refresh_from_db()
    assert advice.cancelled_on == days_ago(1)
    assert last_event(case).kind == EventKind.ADVICE_CANCELLED


# --- Exceptions -----------------------------------------------------------------------------


def test_a_case_exception_is_recorded_with_dates_and_reason(build, caseworker):
    case = build.request(received_days_ago=60)
    item = services.record_exception(
        actor=caseworker,
        case=case,
        version=case.version,
        regulation="10(4)(d)",
        starts_on=days_ago(50),
        ends_on=days_ago(10),
        reason="The family was abroad caring for a relative.",
    )
    assert item.recorded_by == caseworker
    kinds = list(
        CaseEvent.objects.filter(assessment_request=case).values_list("kind", "happened_on")
    )
    assert (EventKind.EXCEPTION_RECORDED, days_ago(50)) in kinds
    # Recorded after it ended: the end is in the chronology on its own day.
    assert (EventKind.EXCEPTION_ENDED, days_ago(10)) in kinds


def test_exceptions_are_refused_when_impossible(build, caseworker):
    case = build.decide(build.request(received_days_ago=60))
    advice = build.advice(case)

    def record(**kwargs):
        args = {
            "regulation": "10(4)(c)",
            "starts_on": days_ago(20),
            "reason": "Bereavement",
            **kwargs,
        }
        return lambda: services.record_exception(
            actor=caseworker, case=case, version=case.version, **args
        )

    refused(record(regulation="10(4)(a)"), "regulation", "unknown_code")  # closures: detected
    refused(record(starts_on=days_ago(61)), "starts_on", "out_of_order")
    refused(record(starts_on=days_ago(-2)), "starts_on", "future")
    refused(record(ends_on=days_ago(30)), "ends_on", "out_of_order")
    refused(
        record(regulation="10(4)(d)", starts_on=days_ago(20), ends_on=days_ago(5)),
        "ends_on",
        "too_short",
    )
    refused(record(regulation="8(2)(c)"), "advice", "required")
    refused(record(advice=advice), "advice", "not_advice")
    refused(record(reason=""), "reason", "required")
    # The advice's own exception, on the advice.
    item = record(regulation="8(2)(c)", advice=advice, reason="Missed the EP appointment")()
    assert item.advice_request == advice


def test_an_exception_is_ended(build, caseworker):
    case = build.request(received_days_ago=60)
    item = services.record_exception(
        actor=caseworker,
        case=case,
        version=case.version,
        regulation="10(4)(c)",
        starts_on=days_ago(30),
        reason="Hospital stay",
    )
    case.refresh_from_db()
    services.end_exception(
        actor=caseworker, exception=item, version=case.version, ends_on=days_ago(3)
    )
    item.refresh_from_db()
    assert item.ends_on == days_ago(3)
    assert last_event(case).kind == EventKind.EXCEPTION_ENDED


# --- Draft, consultations, final plan -------------------------------------------------------


def test_the_draft_waits_for_the_decision_and_all_the_advice(build, caseworker):
    case = build.request(received_days_ago=90)
    refused(lambda: build.draft(case, served_on=days_ago(1)), "served_on", "not_assessing")
    case = build.decide(case)
    advice = build.advice(case)
    message = refused(
        lambda: build.draft(case, served_on=days_ago(1)), "served_on", "advice_awaited"
    )
    assert "Psychological advice" in message
    build.provided(advice, days_after=10)
    refused(
        lambda: build.draft(case, served_on=advice.received_by_body_on),
        "served_on",
        "out_of_order",
        match="the last advice received",
    )
    case = build.draft(case, served_on=days_ago(1))
    assert case.stage == Stage.DRAFT_PLAN
    assert last_event(case).kind == EventKind.DRAFT_PLAN_SERVED
    refused(lambda: build.draft(case, served_on=days_ago(1)), "served_on", "already_served")


def test_the_final_plan_waits_for_the_familys_15_days(build, caseworker):
    case = build.assessed_to_draft(draft_days_ago=10)  # the window is still open
    message = refused(
        lambda: plan_services.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(0)
        ),
        "issued_on",
        "comment_window_open",
    )
    closes = case.draft_plan_served_on + dt.timedelta(days=14)
    assert f"run until {closes.day} {closes:%B %Y}" in message
    assert "unless" not in message and "only if the family agrees" in message


def test_the_final_plan_can_be_issued_the_day_after_the_window_closes(build, caseworker):
    case = build.assessed_to_draft(draft_days_ago=15)
    case = plan_services.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=days_ago(0)
    )
    assert case.stage == Stage.PLAN_ISSUED
    assert last_event(case).kind == EventKind.FINAL_PLAN_ISSUED
    refused(
        lambda: plan_services.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(0)
        ),
        "issued_on",
        "already_issued",
    )


def test_the_family_may_agree_to_an_earlier_final_plan(build, caseworker):
    case = build.assessed_to_draft(draft_days_ago=5)
    refused(
        lambda: services.record_family_agreement(
            actor=caseworker,
            case=case,
            version=case.version,
            agreed_on=case.draft_plan_served_on - dt.timedelta(days=1),
        ),
        "agreed_on",
        "out_of_order",
    )
    case = services.record_family_agreement(
        actor=caseworker, case=case, version=case.version, agreed_on=days_ago(2)
    )
    assert last_event(case).kind == EventKind.FAMILY_AGREED_EARLY_ISSUE
    # Not before the day they agreed...
    refused(
        lambda: plan_services.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(3)
        ),
        "issued_on",
        "comment_window_open",
    )
    case = plan_services.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=days_ago(1)
    )
    assert case.stage == Stage.PLAN_ISSUED


def test_no_final_plan_before_a_decision_to_assess(build, caseworker):
    case = build.request()
    refused(
        lambda: plan_services.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(1)
        ),
        "issued_on",
        "not_assessing",
    )
    case = build.decide(case)
    refused(
        lambda: plan_services.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(1)
        ),
        "issued_on",
        "no_decision_to_issue",
    )
    case = build.decide_to_issue(case, on=days_ago(2))
    refused(
        lambda: plan_services.issue_final_plan(
            actor=caseworker, case=case, version=case.version, issued_on=days_ago(1)
        ),
        "issued_on",
        "no_draft",
    )


def test_a_setting_is_consulted_and_answers(build, caseworker, school):
    case = build.request()
    case = build.decide(case)
    refused(
        lambda: services.send_consultation(
            actor=caseworker, case=case, version=case.version, setting=school, sent_on=days_ago(1)
        ),
        "setting",
        "no_draft",
    )
    case = build.assessed_to_draft(draft_days_ago=20)
    item = services.send_consultation(
        actor=caseworker, case=case, version=case.version, setting=school, sent_on=days_ago(19)
    )
    assert last_event(case).kind == EventKind.CONSULTATION_SENT
    case.refresh_from_db()
    refused(
        lambda: services.send_consultation(
            actor=caseworker, case=case, version=case.version, setting=school, sent_on=days_ago(1)
        ),
        "setting",
        "duplicate",
    )
    refused(
        lambda: services.record_consultation_answer(
            actor=caseworker,
            consultation=item,
            version=case.version,
            answered_on=days_ago(2),
            outcome="perhaps",
        ),
        "outcome",
        "unknown_code",
    )
    services.record_consultation_answer(
        actor=caseworker,
        consultation=item,
        version=case.version,
        answered_on=days_ago(5),
        outcome=Consultation.Outcome.AGREED,
    )
    assert "agreed it can meet" in last_event(case).summary


def test_only_a_setting_can_be_consulted(build, caseworker, ep_service):
    case = build.assessed_to_draft(draft_days_ago=20)
    refused(
        lambda: services.send_consultation(
            actor=caseworker,
            case=case,
            version=case.version,
            setting=ep_service,
            sent_on=days_ago(1),
        ),
        "setting",
        "not_a_setting",
    )


def test_the_panel_decides_not_to_issue(build, decision_maker, caseworker):
    case = build.decide(build.request())
    with pytest.raises(PermissionDenied):
        services.decide_not_to_issue(
            actor=caseworker, case=case, version=case.version, decided_on=days_ago(1), reasons="x"
        )
    case = services.decide_not_to_issue(
        actor=decision_maker,
        case=case,
        version=case.version,
        decided_on=days_ago(1),
        reasons="Needs can be met from the school's resources.",
    )
    assert case.stage == Stage.NOT_ISSUING
    assert last_event(case).kind == EventKind.DECISION_NOT_TO_ISSUE


def test_a_request_is_withdrawn_and_then_nothing_more_happens(build, caseworker):
    case = build.request(received_days_ago=30)
    refused(
        lambda: services.withdraw(
            actor=caseworker,
            case=case,
            version=case.version,
            withdrawn_on=days_ago(31),
            reason="x",
        ),
        "withdrawn_on",
        "out_of_order",
    )
    case = services.withdraw(
        actor=caseworker,
        case=case,
        version=case.version,
        withdrawn_on=days_ago(1),
        reason="The family moved abroad.",
    )
    assert case.stage == Stage.WITHDRAWN
    message = refused(lambda: build.decide(case), "__all__", "closed")
    assert "closed (withdrawn)" in message


def test_a_reassessment_follows_an_issued_plan(build, caseworker):
    case = build.assessed_to_draft(draft_days_ago=20)
    refused(
        lambda: services.request_reassessment(
            actor=caseworker,
            case=case,
            source="1",
            received_on=days_ago(1),
            requested_by="x",
            reason="y",
        ),
        "__all__",
        "no_plan",
    )
    case = plan_services.issue_final_plan(
        actor=caseworker, case=case, version=case.version, issued_on=days_ago(3)
    )
    again = services.request_reassessment(
        actor=caseworker,
        case=case,
        source=RequestSource.FAMILY,
        received_on=days_ago(1),
        requested_by="Parent",
        reason="Needs have changed a great deal.",
    )
    assert again.reassessment_of == case and again.child == case.child
    assert last_event(again).kind == EventKind.REASSESSMENT_REQUESTED
    refused(
        lambda: services.request_reassessment(
            actor=caseworker,
            case=case,
            source="1",
            received_on=days_ago(1),
            requested_by="x",
            reason="y",
        ),
        "child",
        "open_case_exists",
    )


# --- Who may take a step --------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SENCO, Role.PARENT, Role.EDUCATIONAL_PSYCHOLOGIST])
def test_people_outside_the_la_cannot_take_any_step(build, role, area):
    case = build.decide(build.request())
    advice = build.advice(case)
    outsider = (
        factories.make_user(role, advice.organisation)
        if role == Role.EDUCATIONAL_PSYCHOLOGIST
        else factories.make_user(role, area=area)
    )
    steps = [
        lambda: services.update_request(actor=outsider, case=case, version=None, reason="x"),
        lambda: services.record_advice_provided(
            actor=outsider, advice=advice, version=None, provided_on=days_ago(1)
        ),
        lambda: services.serve_draft_plan(
            actor=outsider, case=case, version=None, served_on=days_ago(1)
        ),
        lambda: services.withdraw(
            actor=outsider, case=case, version=None, withdrawn_on=days_ago(1), reason="x"
        ),
        lambda: services.add_note(actor=outsider, case=case, text="x"),
    ]
    if role == Role.EDUCATIONAL_PSYCHOLOGIST:
        # The agency asked records its own advice as given (the advice portal's submission,
        # decision 0050); every other step stays the LA's.
        del steps[1]
    for step in steps:
        with pytest.raises(PermissionDenied):
            step()
    assert AdviceRequest.objects.get(pk=advice.pk).provided_on is None


def test_a_caseworker_of_another_area_cannot_change_the_case(build, other_area):
    case = build.request()
    elsewhere = factories.make_user(Role.CASEWORKER, area=other_area)
    with pytest.raises(PermissionDenied):
        services.update_request(actor=elsewhere, case=case, version=case.version, reason="x")


def test_notes_are_added_and_audited_without_their_text(build, caseworker):
    case = build.request()
    refused(lambda: services.add_note(actor=caseworker, case=case, text="  "), "text", "required")
    note = services.add_note(actor=caseworker, case=case, text="Spoke to mum: she is worried.")
    assert note.author == caseworker
    entry = AuditEntry.objects.order_by("-seq").first()
    assert "worried" not in entry.canonical()


def test_every_step_writes_exactly_one_event_and_one_audit_entry(build, caseworker):
    case = build.request()
    for call in (
        lambda c: build.decide(c),
        lambda c: build.advice(c),
    ):
        events, audits = CaseEvent.objects.count(), AuditEntry.objects.count()
        call(AssessmentRequest.objects.get(pk=case.pk))
        assert CaseEvent.objects.count() == events + 1
        assert AuditEntry.objects.count() == audits + 1


def test_recorded_exceptions_are_counted_by_the_case_version(build, caseworker):
    case = build.request()
    before = case.version
    services.record_exception(
        actor=caseworker,
        case=case,
        version=case.version,
        regulation="10(4)(c)",
        starts_on=days_ago(5),
        reason="x",
    )
    case.refresh_from_db()
    assert case.version == before + 1
    assert CaseException.objects.filter(assessment_request=case).count() == 1


def test_a_seed_or_import_keeps_its_own_reference_and_allocation_date(
    caseworker, team_manager, area, child
):
    case = services.record_request(
        actor=caseworker,
        area=area,
        child=child,
        source="2",
        received_on=days_ago(30),
        requested_by="SENCO",
        reason="Needs",
        reference="839/2024/00042",
    )
    assert case.reference == "839/2024/00042"
    case = services.allocate(
        actor=team_manager,
        case=case,
        version=None,
        caseworker=caseworker,
        allocated_on=days_ago(28),
    )
    assert last_event(case).happened_on == days_ago(28)
    refused(
        lambda: services.allocate(
            actor=team_manager,
            case=case,
            version=None,
            caseworker=team_manager,
            allocated_on=days_ago(31),
        ),
        "allocated_on",
        "out_of_order",
    )
    other = factories.ChildFactory(area=area)
    refused(
        lambda: services.record_request(
            actor=caseworker,
            area=area,
            child=other,
            source="2",
            received_on=days_ago(3),
            requested_by="SENCO",
            reason="Needs",
            reference="839/2024/00042",
        ),
        "reference",
        "duplicate",
    )

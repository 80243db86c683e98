"""Two people editing the same case: the second save is refused with "this case changed since
you opened it", nothing of theirs is written, and nothing they typed is lost."""

import html
import threading

import pytest
from django.db import connection

from everychild.casework import services
from everychild.casework.models import AssessmentRequest, CaseEvent
from everychild.casework.services import CaseChanged
from everychild.casework.tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def test_the_second_save_from_a_stale_copy_is_refused(build, caseworker, team_manager):
    case = build.request(received_days_ago=10)
    mine = AssessmentRequest.objects.get(pk=case.pk)
    theirs = AssessmentRequest.objects.get(pk=case.pk)
    services.update_request(
        actor=team_manager, case=theirs, version=theirs.version, reason="Their reason"
    )
    events = CaseEvent.objects.count()
    with pytest.raises(CaseChanged) as caught:
        services.update_request(
            actor=caseworker, case=mine, version=mine.version, reason="My reason"
        )
    assert "This case changed since you opened it" in str(caught.value)
    assert caught.value.current_version == mine.version + 1
    case.refresh_from_db()
    assert case.reason == "Their reason"  # the first save stands
    assert CaseEvent.objects.count() == events  # the refused save wrote nothing


def test_every_kind_of_step_checks_the_version(build, caseworker, decision_maker):
    case = build.decide(build.request(received_days_ago=60))
    advice = build.advice(case)
    stale = case.version - 1
    steps = [
        lambda: services.request_advice(
            actor=caseworker,
            case=case,
            version=stale,
            kind="health",
            organisation=advice.organisation,
            received_by_body_on=days_ago(1),
        ),
        lambda: services.record_advice_provided(
            actor=caseworker, advice=advice, version=stale, provided_on=days_ago(1)
        ),
        lambda: services.cancel_advice_request(
            actor=caseworker, advice=advice, version=stale, cancelled_on=days_ago(1), reason="x"
        ),
        lambda: services.record_exception(
            actor=caseworker,
            case=case,
            version=stale,
            regulation="10(4)(c)",
            starts_on=days_ago(1),
            reason="x",
        ),
        lambda: services.withdraw(
            actor=caseworker, case=case, version=stale, withdrawn_on=days_ago(1), reason="x"
        ),
        lambda: services.decide_not_to_issue(
            actor=decision_maker, case=case, version=stale, decided_on=days_ago(1), reasons="x"
        ),
    ]
    for step in steps:
        with pytest.raises(CaseChanged):
            step()
    case.refresh_from_db()
    assert case.version == stale + 1


def test_the_page_refuses_the_second_save_and_keeps_what_was_typed(
    client, build, caseworker, team_manager
):
    case = build.request(received_days_ago=10)
    opened_at = case.version
    # Someone else saves while this caseworker has the form open.
    services.update_request(
        actor=team_manager, case=case, version=case.version, reason="Manager's correction"
    )
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/change/",
        {
            "version": opened_at,
            "source": "2",
            "requested_by": "Jo Smith, SENCO",
            "received_on": days_ago(10).strftime("%d/%m/%Y"),
            "reason": "My long careful explanation",
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "There is a problem" in page
    assert "This case changed since you opened it" in page
    assert "My long careful explanation" in page  # nothing is lost
    assert "Request details changed" in page  # what the other person did
    # The form now carries the current version, so saving again (deliberately) works.
    assert f'name="version" value="{opened_at + 1}"' in page
    case.refresh_from_db()
    assert case.reason == "Manager's correction"
    again = client.post(
        f"/cases/{case.pk}/change/",
        {
            "version": opened_at + 1,
            "source": "2",
            "requested_by": "Jo Smith, SENCO",
            "received_on": days_ago(10).strftime("%d/%m/%Y"),
            "reason": "My long careful explanation",
        },
    )
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.reason == "My long careful explanation"


def test_the_api_answers_409_with_a_structured_error(api_client, build, caseworker, team_manager):
    case = build.request(received_days_ago=10)
    services.update_request(actor=team_manager, case=case, version=1, reason="First")
    api_client.force_authenticate(caseworker)
    response = api_client.patch(
        f"/api/v1/requests/{case.pk}/", {"version": 1, "reason": "Second"}, format="json"
    )
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["field"] == "version" and error["code"] == "case_changed"
    assert "changed since you opened it" in error["message"]


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins(area, la):
    """Two threads with the same version: the row lock lets exactly one through."""
    from everychild.accounts.models import Role
    from everychild.testing import factories

    caseworker = factories.make_user(Role.CASEWORKER, la)
    child = factories.ChildFactory(area=area)
    case = services.record_request(
        actor=caseworker,
        area=area,
        child=child,
        source="1",
        received_on=days_ago(5),
        requested_by="Parent",
        reason="Original",
    )
    outcomes = []
    barrier = threading.Barrier(2)

    def save(reason):
        try:
            barrier.wait()
            services.update_request(
                actor=caseworker,
                case=AssessmentRequest.objects.get(pk=case.pk),
                version=1,
                reason=reason,
            )
            outcomes.append("saved")
        except CaseChanged:
            outcomes.append("refused")
        except Exception as error:  # SQLite may report the lock as busy instead
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(r,)) for r in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    case.refresh_from_db()
    assert outcomes.count("saved") == 1, outcomes
    assert case.version == 2
    assert CaseEvent.objects.filter(assessment_request=case, kind="request_changed").count() == 1

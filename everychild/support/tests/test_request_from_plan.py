"""A request for an EHC needs assessment made from a support plan (decision 0221): the SENCO's
form starts from the plan's history, the request records the plan it came from, and the
council's caseworker sees the plan's cycles, outcomes and advice beside the request."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest
from everychild.support import services
from everychild.support.models import RequestFromSupport
from everychild.support.tests.conftest import days_ago, with_thread
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ep_service(area):
    return factories.EPServiceFactory(area=area, name="Area EP Service")


@pytest.fixture
def history(senco, support_plan, ep_service):
    """Two cycles, the first reviewed, and an EP consultation answered."""
    plan = with_thread(support_plan, senco)
    cycle = services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(50),
        assessed="Language screen: follows one-step instructions only",
        planned="Small-group language sessions three times a week",
    )
    plan.refresh_from_db()
    services.review_cycle(
        actor=senco,
        cycle=cycle,
        version=plan.version,
        reviewed_on=days_ago(20),
        done="Twelve small-group sessions held",
        results={"e1": "not_yet"},
        summary="Little progress; ask the EP",
    )
    plan.refresh_from_db()
    services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(19),
        assessed="EP observation in class",
        planned="Visual timetable and pre-teaching of vocabulary",
    )
    plan.refresh_from_db()
    asked = services.ask_for_consultation(
        actor=senco,
        plan=plan,
        version=plan.version,
        organisation=ep_service,
        kind="ep",
        question="Little progress after a cycle of language work. What next?",
    )
    ep = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, ep_service)
    services.answer_consultation(
        actor=ep, consultation=asked, answer="Assess working memory; consider a request."
    )
    plan.refresh_from_db()
    return plan


def _new(plan):
    return reverse("schools:new-request") + f"?support_plan={plan.pk}"


def test_the_form_starts_from_the_plan_history(client, senco, history):
    client.force_login(senco)
    page = client.get(_new(history)).content.decode()
    # The steps of both cycles and the advice sought, the views, needs and provision.
    assert "Cycle 1: Language screen: follows one-step instructions only" in page
    assert "Cycle 1: Twelve small-group sessions held" in page
    assert "Follows a two-step instruction in class: Not yet" in page
    assert "Cycle 2: EP observation in class" in page
    assert "Area EP Service" in page and "Assess working memory" in page
    assert "I like drawing. Loud rooms are hard." in page
    assert "She is anxious about reading aloud." in page
    assert "Primary need: Speech, language and communication needs" in page
    assert "Small-group language sessions" in page
    assert "The council will see the support plan beside the request" in page
    assert AuditEntry.objects.filter(
        actor=senco, child_id=history.child_id, detail__page="request_from_support_plan"
    ).exists()


def test_the_request_records_the_plan_it_came_from(client, senco, history):
    client.force_login(senco)
    page = client.get(_new(history))
    form = page.context["form"]
    data = {
        key: value
        for key, value in (
            (name, form[name].value()) for name in form.fields if not name.startswith("document")
        )
        if value not in (None, "")
    }
    for name, value in list(data.items()):
        if hasattr(value, "strftime"):
            data[name] = value.strftime("%d/%m/%Y")
    data["rows"] = form.row_count
    data["support_plan"] = history.pk
    # The SENCO edits before sending, and records the family's agreement.
    data["reason"] = "Edited: little progress after two cycles and EP advice."
    data.update(consent="on", consent_given_by="Sam Jones, mother", consent_given_on="1/9/2026")
    response = client.post(reverse("schools:new-request"), data)
    assert response.status_code == 302, response.context["form"].errors
    case = AssessmentRequest.objects.get(child=history.child)
    assert case.reason.startswith("Edited:")
    link = RequestFromSupport.objects.get(assessment_request=case)
    assert link.plan == history
    kinds = [s.kind for s in case.school_request.evidence.all()]
    assert kinds.count("advice") == 1 and kinds.count("review") == 1
    assert len(kinds) == 7  # assess, plan, do, review; assess, plan; advice


def test_another_settings_senco_cannot_start_from_the_plan(client, other_senco, history):
    client.force_login(other_senco)
    assert client.get(_new(history)).status_code == 404


def test_the_service_refuses_a_senco_not_of_the_childs_setting(other_senco, history):
    with pytest.raises(PermissionDenied):
        services.request_from_plan(
            actor=other_senco, plan=history, setting=other_senco.memberships.first().organisation
        )


def test_the_caseworker_sees_the_plan_beside_the_request(client, senco, school, history, area):
    case = services.request_from_plan(
        actor=senco,
        plan=history,
        setting=school,
        reason="Little progress after two cycles.",
        consent_given_by="Sam Jones, mother",
        consent_given_on=days_ago(3),
        family_views="We agree.",
        evidence=[
            {
                "kind": "review",
                "started_on": days_ago(20),
                "ended_on": None,
                "what": "Review",
                "outcome": "",
            }
        ],
    )
    caseworker = factories.make_user(Role.CASEWORKER, area=area)
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "The support plan this request was made from" in page
    assert "Twelve small-group sessions held" in page
    assert "Follows a two-step instruction in class: <strong>Not yet</strong>" in page
    assert "Assess working memory" in page
    assert reverse("support:plan", args=[history.pk]) in page
    assert AuditEntry.objects.filter(
        actor=caseworker, detail__page="case_support_evidence", record_id=str(history.pk)
    ).exists()
    # The link opens the plan for the caseworker (their area's plans, to read).
    assert client.get(reverse("support:plan", args=[history.pk])).status_code == 200


def test_a_case_without_a_support_plan_shows_no_panel(client, area):
    case = factories.AssessmentRequestFactory(area=area)
    caseworker = factories.make_user(Role.CASEWORKER, area=area)
    client.force_login(caseworker)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "SEN support before the request" not in page


def _sent(senco, plan, school, **extra):
    return services.request_from_plan(
        actor=senco,
        plan=plan,
        setting=school,
        reason="Little progress after two cycles.",
        consent_given_by="Sam Jones, mother",
        consent_given_on=days_ago(30),
        family_views="We agree.",
        evidence=[
            {"kind": "review", "started_on": days_ago(40), "ended_on": None, "what": "Review"}
        ],
        **extra,
    )


def test_a_request_sent_earlier_and_recorded_now_keeps_its_day(senco, school, history):
    """The demonstration's history (decision 0241): the clock runs from the day received."""
    case = _sent(senco, history, school, received_on=days_ago(21))
    assert case.received_on == days_ago(21)
    assert RequestFromSupport.objects.get(assessment_request=case).made_on == days_ago(21)


def test_a_request_cannot_be_received_in_the_future(senco, school, history):
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _sent(senco, history, school, received_on=days_ago(-1))
    assert not AssessmentRequest.objects.exists() and not RequestFromSupport.objects.exists()

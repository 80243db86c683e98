"""Allocation within capacity, appointments, the advice and submission through casework."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from everychild.advice import selectors, services
from everychild.advice.models import AdviceItem, Appointment
from everychild.casework.models import CaseEvent, CaseException
from everychild.children.policy import visible_children
from everychild.notifications.models import Message


def _ready(setup):
    advice = setup["advice"]["ep"]
    services.allocate(actor=setup["epmanager"], advice=advice, professional=setup["ep"])
    advice.refresh_from_db()
    return advice


def test_only_a_manager_allocates_in_a_service_that_has_one(area_setup):
    with pytest.raises(PermissionDenied):
        services.allocate(
            actor=area_setup["ep"], advice=area_setup["advice"]["ep"], professional=area_setup["ep"]
        )


def test_allocation_respects_capacity_and_leave(area_setup):
    today = timezone.localdate()
    manager, ep = area_setup["epmanager"], area_setup["ep"]
    services.set_capacity(
        actor=manager,
        organisation=area_setup["ep_org"]
        if "ep_org" in area_setup
        else area_setup["advice"]["ep"].organisation,
        professional=ep,
        per_week="1",
        starts_on=today - dt.timedelta(days=30),
    )
    org = area_setup["advice"]["ep"].organisation
    monday = today - dt.timedelta(days=today.weekday())
    services.add_leave(
        actor=manager,
        organisation=org,
        professional=ep,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
    )
    with pytest.raises(ValidationError, match="capacity for 0"):
        services.allocate(actor=manager, advice=area_setup["advice"]["ep"], professional=ep)


def test_bad_capacity_and_leave_are_refused_with_the_reason(area_setup):
    org = area_setup["advice"]["ep"].organisation
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="negative"):
        services.set_capacity(
            actor=area_setup["epmanager"],
            organisation=org,
            professional=area_setup["ep"],
            per_week="-2",
            starts_on=today,
        )
    with pytest.raises(ValidationError, match="on or after the first"):
        services.add_leave(
            actor=area_setup["epmanager"],
            organisation=org,
            professional=area_setup["ep"],
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
        )


def test_a_missed_appointment_is_a_reg_8_2_exception_on_the_case(area_setup):
    advice = _ready(area_setup)
    with pytest.raises(ValidationError, match="evidence"):
        services.record_appointment(
            actor=area_setup["ep"], advice=advice, on=timezone.localdate(), outcome="missed"
        )
    services.record_appointment(
        actor=area_setup["ep"],
        advice=advice,
        on=timezone.localdate(),
        outcome="missed",
        evidence="Offered by letter and phone; confirmed by e-mail.",
    )
    exception = CaseException.objects.get(advice_request=advice)
    assert exception.regulation == "8(2)(c)"
    assert Appointment.objects.get(advice_request=advice).exception == exception


def test_provision_must_be_quantified_and_in_the_right_section(area_setup):
    advice = _ready(area_setup)
    with pytest.raises(ValidationError, match="section F, G, H1, H2"):
        services.add_item(
            actor=area_setup["ep"], advice=advice, kind="provision", section="B", text="Help"
        )
    with pytest.raises(ValidationError, match="specific and quantified"):
        services.add_item(
            actor=area_setup["ep"], advice=advice, kind="provision", section="F", text="Help"
        )


def test_submitting_marks_the_advice_given_notifies_and_ends_access(area_setup):
    advice = _ready(area_setup)
    ep = area_setup["ep"]
    with pytest.raises(ValidationError, match="at least one need"):
        services.submit(actor=ep, advice=advice)
    services.add_item(actor=ep, advice=advice, kind="need", section="B", text="Reading")
    services.add_item(
        actor=ep,
        advice=advice,
        kind="provision",
        section="F",
        text="Phonics",
        amount="30 minutes",
        frequency="3 times a week",
        delivered_by="a trained TA",
    )
    assert visible_children(ep).filter(pk=advice.assessment_request.child_id).exists()
    services.submit(actor=ep, advice=advice, summary="Summary")
    advice.refresh_from_db()
    assert advice.provided_on == timezone.localdate()
    assert CaseEvent.objects.filter(
        assessment_request=advice.assessment_request, kind="advice_provided"
    ).exists()
    message = Message.objects.get(key=f"advice-submitted:{advice.pk}")
    assert message.to == "cw@la.test"
    assert advice.assessment_request.child.first_name not in message.body
    assert not visible_children(ep).filter(pk=advice.assessment_request.child_id).exists()
    # Read back, but no longer changed.
    row = selectors.advice_for_agency(ep, advice.pk)
    assert row.status == "submitted"
    with pytest.raises(PermissionDenied):
        services.add_item(actor=ep, advice=advice, kind="need", section="B", text="More")
    received = list(selectors.advice_received_for(advice.assessment_request))
    assert [w.advice_request_id for w in received] == [advice.pk]
    assert {i.kind for i in received[0].items.all()} == {
        AdviceItem.Kind.NEED,
        AdviceItem.Kind.PROVISION,
    }


@pytest.mark.django_db
def test_the_case_page_links_to_advice_given_through_the_portal(area_setup, client):
    advice = _ready(area_setup)
    ep = area_setup["ep"]
    services.add_item(actor=ep, advice=advice, kind="need", section="B", text="Reading")
    services.add_item(
        actor=ep,
        advice=advice,
        kind="provision",
        section="F",
        text="Phonics",
        amount="30 minutes",
        frequency="3 times a week",
        delivered_by="a trained TA",
    )
    case_url = f"/cases/{advice.assessment_request_id}/"
    client.force_login(area_setup["caseworker"])
    assert "Read the advice" not in client.get(case_url).content.decode()
    services.submit(actor=ep, advice=advice, summary="Summary")
    page = client.get(case_url).content.decode()
    assert f'href="/advice/received/{advice.pk}/"' in page

"""Professionals invited to a school-led annual review IN the service give their advice there
themselves (issue 19; decision 0260): the convener chooses the area's EP service, health or
social care service or the council; that service's staff are told by e-mail (reference, date
and link only), see the invitation on their advice queue, and give their advice there. A
service sees only the reviews it was invited to, and nothing of the plan."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.notifications.models import Message
from everychild.plans import services
from everychild.plans.models import AnnualReview
from everychild.plans.tests.conftest import days_ago
from everychild.testing import factories


@pytest.fixture
def plan(area, school):
    child = factories.ChildFactory(area=area, current_setting=school, first_name="Ada")
    plan = factories.issued_plan(child, issued_on=days_ago(340))
    plan.assessment_request = factories.AssessmentRequestFactory(child=child)
    plan.save(update_fields=["assessment_request"])
    return plan


@pytest.fixture
def senco(school):
    return factories.make_user(Role.SENCO, school, full_name="Sita Senco")


@pytest.fixture
def ep_service(area):
    return factories.EPServiceFactory(area=area, name="BCP Educational Psychology")


@pytest.fixture
def psychologist(ep_service):
    return factories.make_user(
        Role.EDUCATIONAL_PSYCHOLOGIST, ep_service, full_name="Eve Psych", email="eve@ep.test"
    )


def invite(senco, plan, *services_invited):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.send_review_invitations(
            actor=senco,
            plan=plan,
            meeting_on=days_ago(-21),
            sent_on=days_ago(0),
            invitees=[("parent", "Mrs Lovelace"), *services_invited],
        )


def page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


# --- (1) The invitation names the area's service ---------------------------------------------


def test_the_convener_invites_the_areas_ep_service_which_stands_for_the_name(
    plan, senco, ep_service
):
    review = invite(senco, plan, ("ep", "", ep_service))
    ep = review.invitees.get(role="ep")
    assert ep.organisation == ep_service
    assert ep.name == "BCP Educational Psychology"


def test_a_service_of_another_area_or_the_wrong_kind_is_refused(plan, senco, area):
    elsewhere = factories.EPServiceFactory(area=factories.OtherAreaFactory())
    for row, service in (
        ("ep", elsewhere),
        ("health", factories.EPServiceFactory(area=area)),  # an EP service is not health
        ("school", factories.SchoolFactory(area=area)),
    ):
        with pytest.raises(ValidationError) as refused:
            invite(senco, plan, (row, "", service))
        assert refused.value.error_dict["invitees"][0].code == "service"
    assert not AnnualReview.objects.exists()


def test_the_invitation_form_offers_the_areas_services_and_keeps_free_text(
    client, plan, senco, ep_service, area
):
    health = factories.NHSProviderFactory(area=area, name="Poole Hospital SLT")
    factories.NHSProviderFactory(area=factories.OtherAreaFactory(), name="Far Away Trust")
    client.force_login(senco)
    status, form = page(client, f"/plans/{plan.pk}/annual-review/invite/")
    assert status == 200
    assert "BCP Educational Psychology" in form and "Poole Hospital SLT" in form
    assert "Far Away Trust" not in form
    posted = client.post(
        f"/plans/{plan.pk}/annual-review/invite/",
        {
            "version": plan.review_version,
            "meeting_on": days_ago(-21).strftime("%d/%m/%Y"),
            "sent_on": days_ago(0).strftime("%d/%m/%Y"),
            "parent": "Mrs Lovelace",
            "health": "Dr Khan, speech therapy",
            "health_service": health.pk,
            "ep_service": ep_service.pk,
            "social_care": "Sam Social, outside the service",
        },
    )
    assert posted.status_code == 302
    invited = {i.role: i for i in AnnualReview.objects.get().invitees.all()}
    assert (invited["health"].name, invited["health"].organisation) == (
        "Dr Khan, speech therapy",
        health,
    )
    assert invited["ep"].organisation == ep_service
    assert invited["social_care"].organisation is None


# --- (3) The service is told, with no child's details -----------------------------------------


def test_each_service_invited_is_told_once(plan, senco, ep_service, psychologist, area):
    health = factories.NHSProviderFactory(area=area)
    nurse = factories.make_user(Role.HEALTH_ADVISER, health, email="nurse@nhs.test")
    review = invite(senco, plan, ("ep", "", ep_service), ("health", "", health))
    told = Message.objects.filter(template="review_advice_invitation")
    assert sorted(told.values_list("to", flat=True)) == ["eve@ep.test", "nurse@nhs.test"]
    assert told.get(user=nurse).body.count(f"/advice/reviews/{review.pk}/") == 1


def test_the_invited_services_staff_are_told_without_the_childs_details(
    plan, senco, ep_service, psychologist
):
    review = invite(senco, plan, ("ep", "", ep_service))
    [message] = Message.objects.filter(template="review_advice_invitation")
    assert message.to == "eve@ep.test"
    assert plan.assessment_request.reference in message.subject
    assert f"/advice/reviews/{review.pk}/" in message.body
    assert "Ada" not in message.subject + message.body
    assert plan.child.last_name not in message.subject + message.body
    # Nobody outside the service invited is told; the family have their own notice.
    assert not Message.objects.filter(template="review_advice_invitation").exclude(to="eve@ep.test")


# --- (2) The service's own queue and advice page ----------------------------------------------


def test_the_ep_gives_their_advice_on_their_own_queue(
    client, plan, senco, ep_service, psychologist
):
    review = invite(senco, plan, ("ep", "", ep_service))
    client.force_login(psychologist)
    status, queue = page(client, "/advice/")
    assert status == 200
    assert "Annual reviews your service is invited to" in queue
    assert plan.child.full_name in queue and "Advice asked" in queue
    assert AuditEntry.objects.filter(
        actor=psychologist, child_id=plan.child_id, detail__list="review_invitations"
    ).exists()
    client.force_login(senco)
    run = page(client, f"/plans/{plan.pk}/annual-review/")[1]
    assert "they can give it on their own advice queue" in run
    client.force_login(psychologist)
    status, asked = page(client, f"/advice/reviews/{review.pk}/")
    assert status == 200
    assert plan.assessment_request.reference in asked
    # Only what is asked: not the plan's sections.
    assert "Section B" not in asked
    # Empty: the error summary, nothing kept.
    empty = client.post(f"/advice/reviews/{review.pk}/", {"version": review.version})
    assert empty.status_code == 200
    assert "There is a problem" in empty.content.decode()
    assert "Enter your advice and information for the review." in empty.content.decode()
    assert not review.invitees.get(role="ep").advice
    posted = client.post(
        f"/advice/reviews/{review.pk}/",
        {"version": review.version, "advice": "Reading age up a year; keep the small group."},
    )
    assert posted.status_code == 302
    ep = review.invitees.get(role="ep")
    assert ep.advice == "Reading age up a year; keep the small group."
    assert ep.advice_recorded_by == psychologist
    assert ep.advice_received_on == days_ago(0)
    assert AuditEntry.objects.filter(
        actor=psychologist, child_id=plan.child_id, detail__step="advice"
    ).exists()
    assert AuditEntry.objects.filter(
        actor=psychologist, detail__page="review_invitation", child_id=plan.child_id
    ).exists()
    # The convener reads it on the review's page.
    client.force_login(senco)
    assert "Reading age up a year" in page(client, f"/plans/{plan.pk}/annual-review/")[1]
    # Given once: the EP's page now reads it back, with no form.
    client.force_login(psychologist)
    again = page(client, f"/advice/reviews/{review.pk}/")[1]
    assert "received" in again and "Send the advice" not in again


def test_an_ep_not_invited_and_another_service_see_nothing_and_are_refused(
    client, plan, senco, ep_service, psychologist, area
):
    review = invite(senco, plan, ("ep", "", ep_service))
    other_ep = factories.EPServiceFactory(area=area, name="Another EP service")
    health = factories.NHSProviderFactory(area=area)
    for outsider in (
        factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, other_ep),
        factories.make_user(Role.HEALTH_ADVISER, health),
    ):
        client.force_login(outsider)
        queue = page(client, "/advice/")[1]
        assert plan.child.full_name not in queue
        assert "not invited to any annual review" in queue
        assert page(client, f"/advice/reviews/{review.pk}/")[0] == 404
        posted = client.post(
            f"/advice/reviews/{review.pk}/", {"version": review.version, "advice": "Mine"}
        )
        assert posted.status_code == 404
        # Nor through the service directly.
        with pytest.raises(PermissionDenied):
            services.record_review_advice(
                actor=outsider,
                review=review,
                invitee_id=review.invitees.get(role="ep").pk,
                advice="Mine",
                received_on=days_ago(0),
            )
    assert not review.invitees.get(role="ep").advice


def test_a_professional_cannot_give_another_invitees_advice(
    plan, senco, ep_service, psychologist, area
):
    review = invite(senco, plan, ("ep", "", ep_service), ("health", "Dr Khan, outside"))
    with pytest.raises(PermissionDenied):
        services.record_review_advice(
            actor=psychologist,
            review=review,
            invitee_id=review.invitees.get(role="health").pk,
            advice="Not mine to give",
            received_on=days_ago(0),
        )


def test_a_parent_and_a_signed_out_visitor_cannot_open_the_page(client, plan, senco, ep_service):
    review = invite(senco, plan, ("ep", "", ep_service))
    assert client.get(f"/advice/reviews/{review.pk}/").status_code in (302, 403)
    client.force_login(factories.make_user(Role.PARENT))
    assert client.get(f"/advice/reviews/{review.pk}/").status_code in (403, 404)


def test_after_the_meeting_the_page_says_so_and_advice_is_refused(
    client, plan, senco, ep_service, psychologist
):
    review = invite(senco, plan, ("ep", "", ep_service))
    AnnualReview.objects.filter(pk=review.pk).update(meeting_on=days_ago(0))
    client.force_login(psychologist)
    assert "advice is no longer gathered" in page(client, f"/advice/reviews/{review.pk}/")[1]
    posted = client.post(
        f"/advice/reviews/{review.pk}/", {"version": review.version, "advice": "Late"}
    )
    assert posted.status_code == 200
    assert not review.invitees.get(role="ep").advice


def test_the_council_invited_tells_the_plans_caseworker_who_gives_it_on_the_review_page(
    plan, senco, la, caseworker
):
    plan.assessment_request.caseworker = caseworker
    plan.assessment_request.save(update_fields=["caseworker"])
    review = invite(senco, plan, ("la_education", "", la))
    assert review.invitees.get(role="la_education").organisation == la
    [message] = Message.objects.filter(template="review_advice_invitation")
    assert message.to == caseworker.email
    assert f"/plans/{plan.pk}/annual-review/" in message.body
    # The council's staff are not an advice service: no queue entry for them.
    assert "Ada" not in message.body


def test_a_page_opened_before_the_convener_recorded_the_same_advice_is_refused(
    client, plan, senco, ep_service, psychologist
):
    """No lost edits: the convener typed in the EP's advice (received on paper) while the EP's
    page was open; the EP's save is refused with the error summary and the first is kept."""
    review = invite(senco, plan, ("ep", "", ep_service))
    opened_at = review.version
    ep = review.invitees.get(role="ep")
    services.record_review_advice(
        actor=senco, review=review, invitee_id=ep.pk, advice="On paper", received_on=days_ago(0)
    )
    client.force_login(psychologist)
    posted = client.post(
        f"/advice/reviews/{review.pk}/", {"version": opened_at, "advice": "Typed here"}
    )
    assert posted.status_code == 200
    assert "There is a problem" in posted.content.decode()
    ep.refresh_from_db()
    assert (ep.advice, ep.advice_recorded_by) == ("On paper", senco)

"""Help before a statutory assessment: a SENCO asks one of the area's services for advice;
the service sees only what it was asked (not the child's other records, not other services'
requests); its answer joins the plan's record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from everychild.accounts.models import Role
from everychild.support import services
from everychild.support.models import Consultation
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ep_service(area):
    return factories.EPServiceFactory(area=area)


@pytest.fixture
def ep(ep_service):
    return factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, ep_service)


def _ask(senco, plan, organisation):
    plan.refresh_from_db()
    return services.ask_for_consultation(
        actor=senco,
        plan=plan,
        version=plan.version,
        organisation=organisation,
        kind="ep",
        question="Two cycles of small-group work and little progress in reading. What next?",
    )


def test_the_service_asked_answers_and_the_answer_joins_the_record(
    client, senco, ep, ep_service, support_plan
):
    asked = _ask(senco, support_plan, ep_service)
    client.force_login(ep)
    queue = client.get(reverse("support:consultation-queue")).content.decode()
    assert support_plan.child.full_name in queue
    page = client.get(reverse("support:consultation", args=[asked.pk])).content.decode()
    assert "little progress in reading" in page
    # The service does not gain the child's record or the plan's own page.
    assert client.get(reverse("children:detail", args=[support_plan.child_id])).status_code == 404
    assert client.get(reverse("support:plan", args=[support_plan.pk])).status_code == 404

    client.post(
        reverse("support:consultation", args=[asked.pk]),
        {"answer": "Try a structured phonics programme daily; assess working memory."},
    )
    asked.refresh_from_db()
    assert asked.answered_on is not None and asked.answered_by == ep
    client.force_login(senco)
    plan_page = client.get(reverse("support:plan", args=[support_plan.pk])).content.decode()
    assert "structured phonics programme" in plan_page


def test_another_service_sees_nothing_and_cannot_answer(senco, ep_service, support_plan, area):
    asked = _ask(senco, support_plan, ep_service)
    other = factories.make_user(Role.HEALTH_ADVISER, factories.NHSProviderFactory(area=area))
    with pytest.raises(PermissionDenied):
        services.answer_consultation(actor=other, consultation=asked, answer="Not mine")
    asked.refresh_from_db()
    assert asked.answer == ""


def test_only_the_areas_services_can_be_asked(senco, support_plan, other_area):
    elsewhere = factories.EPServiceFactory(area=other_area)
    with pytest.raises(ValidationError) as refused:
        _ask(senco, support_plan, elsewhere)
    assert "organisation" in refused.value.message_dict
    assert not Consultation.objects.exists()


def test_an_answer_is_given_once(senco, ep, ep_service, support_plan):
    asked = _ask(senco, support_plan, ep_service)
    services.answer_consultation(actor=ep, consultation=asked, answer="First")
    with pytest.raises(ValidationError, match="answered already"):
        services.answer_consultation(actor=ep, consultation=asked, answer="Second")
    asked.refresh_from_db()
    assert asked.answer == "First"

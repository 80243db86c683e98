"""A school gives the educational advice the council asks of it (reg 6(1)(b)) through the
advice portal, as needs, outcomes and provision or as a document; its SENCO sees only the
requests addressed to their own setting (decision 0194)."""

import pytest
from django.urls import reverse

from everychild.accounts.models import Role
from everychild.casework.models import AdviceKind
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(area):
    return factories.SchoolFactory(area=area, name="Testfield Primary")


@pytest.fixture
def senco(school):
    return factories.make_user(Role.SENCO, school)


@pytest.fixture
def advice(area, school, caseworker):
    child = factories.ChildFactory(area=area, current_setting=school)
    case = factories.AssessmentRequestFactory(child=child, caseworker=caseworker)
    return factories.AdviceRequestFactory(
        assessment_request=case, kind=AdviceKind.EDUCATION, organisation=school
    )


def test_the_senco_gives_structured_advice_and_the_caseworker_reads_it(
    client, senco, advice, caseworker
):
    client.force_login(senco)
    queue = client.get(reverse("advice:queue")).content.decode()
    assert advice.assessment_request.reference in queue
    for item in (
        {"kind": "need", "section": "B", "text": "Difficulty decoding unfamiliar words"},
        {"kind": "outcome", "section": "E", "text": "Reads a book for his age by Year 6"},
        {
            "kind": "provision",
            "section": "F",
            "text": "Small-group phonics with a trained teaching assistant",
            "amount": "20 minutes",
            "frequency": "daily",
            "delivered_by": "a trained teaching assistant",
        },
    ):
        answer = client.post(reverse("advice:item-add", args=[advice.pk]), item)
        assert answer.status_code == 302
    answer = client.post(reverse("advice:submit", args=[advice.pk]), {"summary": ""}, follow=True)
    assert "Advice submitted to the council." in answer.content.decode()
    advice.refresh_from_db()
    assert advice.provided_on is not None
    assert advice.assessment_request.events.filter(kind="advice_provided").exists()

    client.force_login(caseworker)
    page = client.get(reverse("advice:received", args=[advice.pk])).content.decode()
    assert "Small-group phonics with a trained teaching assistant" in page
    assert "20 minutes" in page


def test_another_setting_and_an_agency_cannot_see_the_settings_request(client, advice, area):
    for user in (
        factories.make_user(Role.SENCO, factories.SchoolFactory(area=area)),
        factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, factories.EPServiceFactory(area=area)),
    ):
        client.force_login(user)
        assert client.get(reverse("advice:request", args=[advice.pk])).status_code == 404
        assert (
            advice.assessment_request.reference
            not in client.get(reverse("advice:queue")).content.decode()
        )
        answer = client.post(
            reverse("advice:item-add", args=[advice.pk]),
            {"kind": "need", "section": "B", "text": "x"},
        )
        assert answer.status_code == 404
    client.force_login(factories.make_user(Role.PARENT))
    assert client.get(reverse("advice:request", args=[advice.pk])).status_code == 403


def test_submitting_without_a_need_and_provision_says_what_is_missing(client, senco, advice):
    client.force_login(senco)
    answer = client.post(reverse("advice:submit", args=[advice.pk]), {"summary": ""})
    assert "Add at least one need and one recommended provision" in answer.content.decode()
    advice.refresh_from_db()
    assert advice.provided_on is None

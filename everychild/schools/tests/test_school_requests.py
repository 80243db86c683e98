"""A school's request for assessment (reg 3, 4; Code of Practice 9.8-9.14) and the setting's
view of its requests: what a SENCO notices, and what another setting, a parent or the council
see."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import (
    AssessmentRequest,
    CaseDocument,
    RequestSource,
    SchoolRequest,
)
from everychild.children.models import Child
from everychild.core.dates import today
from everychild.testing import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def school(area):
    return factories.SchoolFactory(area=area, name="Testfield Primary")


@pytest.fixture
def senco(school):
    return factories.make_user(Role.SENCO, school)


@pytest.fixture
def pupil(area, school):
    return factories.ChildFactory(area=area, current_setting=school)


def _evidence(**override):
    row = {
        "kind": "assess",
        "started_on": dt.date(2025, 9, 8),
        "ended_on": dt.date(2025, 10, 20),
        "what": "Reading and language assessed by the SENCO (York Assessment of Reading)",
        "outcome": "Reading age 3 years below chronological age",
    }
    row.update(override)
    return row


def _request(senco, school, **override):
    values = {
        "actor": senco,
        "setting": school,
        "reason": "Little progress after three cycles of SEN support.",
        "consent_given_by": "Sam Jones, mother",
        "consent_given_on": dt.date(2025, 11, 3),
        "family_views": "We want an assessment: he is unhappy at school.",
        "evidence": [_evidence(), _evidence(kind="review", what="Review of the support plan")],
    }
    values.update(override)
    return services.record_school_request(**values)


def test_a_school_request_is_the_one_request_on_the_clock(senco, school, pupil):
    case = _request(senco, school, child=pupil)
    assert case.source == RequestSource.SETTING
    assert case.received_on == today()
    assert case.child == pupil
    assert case.reference
    sent = SchoolRequest.objects.get(assessment_request=case)
    assert sent.setting == school and sent.consent_given_by == "Sam Jones, mother"
    assert [s.kind for s in sent.evidence.all()] == ["assess", "review"]
    assert case.events.filter(kind="request_received").exists()


def test_the_details_of_a_known_child_join_the_request_to_their_record(senco, school, area):
    known = factories.ChildFactory(
        area=area, first_name="Ellis", last_name="Jones", upn=factories.upn_for(42)
    )
    case = _request(
        senco,
        school,
        child_details={
            "first_name": "Ellis",
            "last_name": "Jones",
            "date_of_birth": dt.date(2016, 1, 1),
            "upn": factories.upn_for(42).lower(),
        },
    )
    assert case.child == known
    assert Child.objects.filter(area=area).count() == 1


def test_an_unknown_child_gets_a_new_record_at_the_setting(senco, school, area):
    case = _request(
        senco,
        school,
        child_details={
            "first_name": "Robin",
            "last_name": "Hart",
            "date_of_birth": dt.date(2016, 4, 2),
            "postcode": "bh1 1aa",
        },
    )
    assert case.child.current_setting == school
    assert case.child.area == area and case.child.postcode == "BH1 1AA"


def test_without_the_familys_agreement_or_evidence_nothing_is_sent(senco, school, pupil):
    with pytest.raises(ValidationError) as refused:
        _request(senco, school, child=pupil, consent_given_by="")
    assert "consent_given_by" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _request(senco, school, child=pupil, evidence=[dict.fromkeys(_evidence(), "")])
    assert "evidence_1_what" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _request(
            senco,
            school,
            child=pupil,
            evidence=[_evidence(ended_on=dt.date(2025, 1, 1))],
        )
    assert "evidence_1_ended_on" in refused.value.message_dict
    assert not AssessmentRequest.objects.exists()


def test_a_senco_asks_only_for_their_own_pupils(senco, school, area):
    elsewhere = factories.ChildFactory(
        area=area, current_setting=factories.SchoolFactory(area=area)
    )
    with pytest.raises(ValidationError):
        _request(senco, school, child=elsewhere)
    other_school = factories.SchoolFactory(area=area)
    with pytest.raises(PermissionDenied):
        _request(senco, other_school, child=elsewhere)
    with pytest.raises(PermissionDenied):
        _request(factories.make_user(Role.PARENT), school, child=elsewhere)


def test_a_disguised_document_is_refused_and_nothing_is_sent(senco, school, pupil):
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError):
        _request(senco, school, child=pupil, documents=(fake,))
    assert not AssessmentRequest.objects.exists()


def test_the_senco_makes_a_request_in_the_browser_form_and_follows_it(
    client, senco, school, pupil, caseworker
):
    client.force_login(senco)
    page = client.get(reverse("schools:new-request"))
    assert pupil.full_name in page.content.decode()
    answer = client.post(
        reverse("schools:new-request"),
        {
            "pupil": pupil.pk,
            "reason": "No progress after SEN support.",
            "consent": "on",
            "consent_given_by": "Sam Jones, mother",
            "consent_given_on": "3/11/2025",
            "family_views": "We agree.",
            "evidence_1_kind": "plan",
            "evidence_1_started_on": "8/9/2025",
            "evidence_1_what": "Support plan: small-group phonics daily",
            "evidence_1_outcome": "Some progress in phonics",
            "document_1": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
        },
        follow=True,
    )
    text = answer.content.decode()
    assert "Your request has been sent to the council" in text
    assert "Deciding whether to assess" in text
    assert "Support plan: small-group phonics daily" in text
    case = AssessmentRequest.objects.get()
    assert CaseDocument.objects.filter(assessment_request=case, uploaded_by=senco).count() == 1
    listing = client.get(reverse("schools:requests")).content.decode()
    assert case.reference in listing

    client.force_login(caseworker)
    case_page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert f"What {school.name} sent" in case_page
    assert "Sam Jones, mother" in case_page
    assert "Support plan: small-group phonics daily" in case_page


def test_a_form_missing_the_familys_agreement_says_what_is_wrong(client, senco, pupil):
    client.force_login(senco)
    answer = client.post(reverse("schools:new-request"), {"pupil": pupil.pk, "reason": "Why"})
    text = answer.content.decode()
    assert "Confirm that the family knows about the request and agrees to it." in text
    assert 'href="#id_consent"' in text
    assert not AssessmentRequest.objects.exists()


def test_another_setting_a_parent_and_an_adviser_see_none_of_it(client, senco, school, pupil, area):
    case = _request(senco, school, child=pupil)
    sent = case.school_request
    other_senco = factories.make_user(Role.SENCO, factories.SchoolFactory(area=area))
    client.force_login(other_senco)
    assert client.get(reverse("schools:request", args=[sent.pk])).status_code == 404
    assert case.reference not in client.get(reverse("schools:requests")).content.decode()
    for role, org in (
        (Role.PARENT, None),
        (Role.EDUCATIONAL_PSYCHOLOGIST, factories.EPServiceFactory(area=area)),
    ):
        client.force_login(factories.make_user(role, org))
        assert client.get(reverse("schools:request", args=[sent.pk])).status_code == 403
        assert client.get(reverse("schools:new-request")).status_code == 403
    # The SENCO sees the setting's request, not the council's case file.
    client.force_login(senco)
    assert client.get(reverse("schools:request", args=[sent.pk])).status_code == 200
    assert client.get(reverse("casework:case", args=[case.pk])).status_code in (403, 404)


def test_reading_the_request_is_audited(client, senco, school, pupil):
    case = _request(senco, school, child=pupil)
    client.force_login(senco)
    client.get(reverse("schools:request", args=[case.school_request.pk]))
    assert AuditEntry.objects.filter(actor=senco, child_id=pupil.pk, action="view").exists()

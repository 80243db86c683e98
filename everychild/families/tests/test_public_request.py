"""Asking for an EHC needs assessment without an account."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.casework.models import AssessmentRequest, RequestSource
from everychild.children.models import Child
from everychild.families import services
from everychild.families.forms import ChildStepForm, YouStepForm
from everychild.families.models import PublicRequest
from everychild.notifications.models import Message
from everychild.testing import factories

pytestmark = pytest.mark.django_db

ANSWERS = {
    "child": {
        "first_name": "Mabel",
        "last_name": "Quarrington",
        "date_of_birth": "14/2/2017",
        "postcode": "bh1 1aa",
    },
    "you": {
        "relationship": "parent",
        "contact_name": "Rosa Quarrington",
        "contact_email": "rosa@example.org",
        "contact_phone": "",
    },
    "setting": {"setting_name": "Seaview Primary"},
    "why": {"reason": "She cannot read yet and is very anxious at school."},
    "consent": {"consent": "on"},
}


def step(name):
    return reverse("families:request-step", kwargs={"step": name})


def answer_everything(client, **overrides):
    for name, values in ANSWERS.items():
        response = client.post(step(name), {**values, **overrides.get(name, {})})
        assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("families:request-check"))


@pytest.fixture
def la_area(la):
    return la.area


def test_a_request_made_online_joins_the_las_queue_with_a_reference(client, la_area):
    check = answer_everything(client)
    page = check.content.decode()
    assert (
        "Check your answers" in page and "Mabel Quarrington" in page and "14 February 2017" in page
    )
    response = client.post(reverse("families:request-check"), follow=True)
    page = response.content.decode()
    case = AssessmentRequest.objects.get()
    assert case.reference in page and "Request sent" in page
    assert case.source == RequestSource.FAMILY
    assert case.area == la_area and case.received_on == dt.date.today()
    assert case.events.filter(kind="request_received").exists()
    public = PublicRequest.objects.get()
    assert public.child == case.child and public.contact_email == "rosa@example.org"
    assert case.child.postcode == "BH1 1AA"
    # The confirmation e-mail: the reference, never the child's name.
    message = Message.objects.get(template="family_request_received")
    assert message.to == "rosa@example.org" and case.reference in message.body
    assert "Mabel" not in message.body + message.subject
    assert "Quarrington" not in message.body + message.subject
    # The answers are gone from the session once sent.
    assert client.get(reverse("families:request-check")).status_code == 302


def test_a_known_child_is_never_matched_or_revealed(client, la_area):
    known = factories.ChildFactory(
        area=la_area,
        first_name="Mabel",
        last_name="Quarrington",
        date_of_birth=dt.date(2017, 2, 14),
    )
    factories.AssessmentRequestFactory(child=known)
    answer_everything(client)
    response = client.post(reverse("families:request-check"), follow=True)
    assert "Request sent" in response.content.decode()
    # A new record, marked as from the public form; the known child's case is untouched.
    assert Child.objects.filter(last_name="Quarrington").count() == 2
    new = AssessmentRequest.objects.exclude(child=known).get()
    assert new.public_request.child != known


def test_bad_input_gets_an_error_per_field_and_keeps_what_was_typed(client, la_area):
    response = client.post(
        step("child"), {"first_name": "Mabel", "last_name": "", "date_of_birth": "31/2/2017"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the child or young person&#x27;s last name." in page
    assert "Enter date of birth as a real date" in page
    assert 'value="Mabel"' in page and 'value="31/2/2017"' in page
    assert 'href="#id_last_name"' in page


def test_contradictory_answers_are_refused_on_the_right_question(client, la_area):
    client.post(step("child"), ANSWERS["child"])  # a child of 9
    response = client.post(step("you"), {**ANSWERS["you"], "relationship": "young_person"})
    page = response.content.decode()
    assert "You said you are the young person" in page
    assert 'value="rosa@example.org"' in page


def test_questions_cannot_be_skipped(client, la_area):
    response = client.get(step("why"))
    assert response.status_code == 302 and response.url == step("child")
    assert client.get(reverse("families:request-check")).url == step("child")


def test_the_honeypot_refuses_robots_and_saves_nothing(client, la_area):
    answer_everything(client)
    response = client.post(reverse("families:request-check"), {"website": "http://spam"})
    assert response.status_code == 400
    assert not AssessmentRequest.objects.exists()
    response = client.post(step("child"), {**ANSWERS["child"], "website": "x"})
    assert response.status_code == 400


def test_too_many_requests_from_one_address_are_refused(client, la_area):
    for _ in range(services.RATE_LIMIT):
        answer_everything(client)
        client.post(reverse("families:request-check"))
    assert AssessmentRequest.objects.count() == services.RATE_LIMIT
    answer_everything(client)
    response = client.post(reverse("families:request-check"))
    assert response.status_code == 429
    assert "cannot take another request" in response.content.decode()
    assert AssessmentRequest.objects.count() == services.RATE_LIMIT


text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=120
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=text, last=text, born=text, email=text, relationship=text)
def test_the_public_form_never_crashes_and_accepts_only_what_it_can_save(
    first, last, born, email, relationship
):
    """Whatever is typed, each question either accepts clean values the service can use or
    names the fields to fix; it never raises."""
    form = ChildStepForm({"first_name": first, "last_name": last, "date_of_birth": born})
    if form.is_valid():
        assert form.cleaned_data["first_name"].strip() and form.cleaned_data["last_name"].strip()
        born_on = form.cleaned_data["date_of_birth"]
        assert born_on <= dt.date.today() and born_on.year > dt.date.today().year - 26
    else:
        assert set(form.errors) <= {"first_name", "last_name", "date_of_birth"}
        assert all(form.errors.values())
    you = YouStepForm(
        {"relationship": relationship, "contact_name": first, "contact_email": email},
        date_of_birth=dt.date(2015, 1, 1),
    )
    if you.is_valid():
        assert you.cleaned_data["relationship"] == "parent"  # a 2015 child cannot ask alone
        assert "@" in you.cleaned_data["contact_email"]
    else:
        assert set(you.errors) <= {"relationship", "contact_name", "contact_email"}

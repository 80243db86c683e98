"""Hostile input on the casework pages: markup is shown as text and never run, SQL
metacharacters are only ever data, oversized text is refused with the reason and nothing is
saved, and values of the wrong type are refused."""

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.casework import letters, services
from everychild.casework.models import AssessmentRequest, CaseNote
from everychild.casework.tests.conftest import days_ago
from everychild.children.models import Child

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE children_child; --"


def test_markup_in_a_request_and_a_note_is_shown_as_text(client, caseworker, child):
    client.force_login(caseworker)
    client.post(
        f"/cases/new/?child={child.pk}",
        {
            "child": child.pk,
            "source": "2",
            "requested_by": SCRIPT[:200],
            "received_on": days_ago(2).strftime("%d/%m/%Y"),
            "reason": SCRIPT,
        },
    )
    case = AssessmentRequest.objects.get(child=child)
    services.add_note(actor=caseworker, case=case, text=SCRIPT)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "<script>" not in page and "<img src=x" not in page
    assert html.escape('<script>alert("x")</script>', quote=False) in page.replace("&quot;", '"')


def test_markup_in_the_panels_reasons_is_escaped_in_the_decision_letter(build):
    case = build.request(received_days_ago=30)
    case.decision_reasons = SCRIPT
    case.decision, case.decision_on = "assess", days_ago(1)
    letter = letters.render_letter_html(case, "decision_to_assess", days_ago(1))
    assert "<script>" not in letter and "<img" not in letter
    assert "&lt;script&gt;" in letter


def test_sql_metacharacters_are_searched_for_as_text(client, caseworker, child):
    client.force_login(caseworker)
    response = client.get("/cases/search/", {"q": SQL})
    assert response.status_code == 200
    assert Child.objects.filter(pk=child.pk).exists()
    response = client.get("/children/", {"q": SQL})
    assert response.status_code == 200


def test_an_oversized_request_is_refused_and_nothing_saved(client, caseworker, child):
    client.force_login(caseworker)
    response = client.post(
        f"/cases/new/?child={child.pk}",
        {
            "child": child.pk,
            "source": "2",
            "requested_by": "x" * 5_000,
            "received_on": days_ago(2).strftime("%d/%m/%Y"),
            "reason": "y" * 100_000,
        },
    )
    page = html.unescape(response.content.decode())
    assert "There is a problem" in page
    # GOV.UK's wording, naming the answer and grouping the limit (core.forms.too_long).
    assert "Name and role of the person who made it must be 200 characters or fewer." in page
    assert not AssessmentRequest.objects.exists()


def test_an_oversized_note_is_refused(build, caseworker):
    case = build.request(received_days_ago=10)
    with pytest.raises(Exception, match="(?i)characters"):
        services.add_note(actor=caseworker, case=case, text="z" * 1_000_000)
    assert not CaseNote.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("child", "not-a-number"), ("source", "99"), ("received_on", "yesterday"), ("child", "-1")],
)
def test_values_of_the_wrong_type_are_refused(client, caseworker, child, field, value):
    client.force_login(caseworker)
    data = {
        "source": "2",
        "requested_by": "Jo",
        "received_on": days_ago(2).strftime("%d/%m/%Y"),
        "reason": "Little progress.",
    }
    which = child.pk
    if field == "child":
        which = value  # the child is named in the address
    else:
        data[field] = value
    response = client.post(f"/cases/new/?child={which}", data)
    assert response.status_code in (200, 400, 404)
    assert not AssessmentRequest.objects.exists()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(min_size=1, max_size=300))
def test_any_text_in_a_note_comes_back_exactly_as_typed(build, caseworker, text):
    case = build.request(received_days_ago=10)
    try:
        note = services.add_note(actor=caseworker, case=case, text=text)
    except Exception:  # noqa: BLE001 - blank or control-only text is refused, which is fine
        assert not text.strip() or any(ord(c) < 32 and c not in "\t\n\r" for c in text)
        return
    assert CaseNote.objects.get(pk=note.pk).text == note.text
    assert note.text.strip() == note.text or note.text == text.strip()

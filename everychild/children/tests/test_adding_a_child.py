"""Adding a child: a bad identifier or date of birth is refused with the reason, and nothing
is saved, whether through the service, the page or the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.children import services
from everychild.children.models import Child
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return dt.date(today.year - years, 2, 28)


GOOD_UPN = factories.upn_for(555)
GOOD_NHS = factories.nhs_number_for(555)
WRONG_LETTER = ("A" if GOOD_UPN[0] != "A" else "B") + GOOD_UPN[1:]
WRONG_NHS_CHECK = GOOD_NHS[:9] + str((int(GOOD_NHS[9]) + 1) % 10)

# (field, bad value, code, words from the message shown)
REFUSALS = [
    pytest.param("upn", WRONG_LETTER, "upn_check", "check letter is wrong", id="upn-check"),
    pytest.param(
        "upn", "A000123456789", "upn_la", "not a known local authority", id="upn-unknown-la"
    ),
    pytest.param(
        "nhs_number", WRONG_NHS_CHECK, "nhs_check", "check digit is wrong", id="nhs-check"
    ),
    pytest.param("nhs_number", "12345", "nhs_format", "10 digits", id="nhs-short"),
    pytest.param(
        "date_of_birth",
        timezone.localdate() + dt.timedelta(days=1),
        "dob_future",
        "today or in the past",
        id="dob-tomorrow",
    ),
    pytest.param("upn", "", "upn_missing", "or choose why it is not known", id="upn-missing"),
    pytest.param("date_of_birth", _years_ago(25), "dob_too_old", "25 or older", id="dob-25"),
    pytest.param("date_of_birth", _years_ago(40), "dob_too_old", "25 or older", id="dob-40"),
]


def _values(**overrides) -> dict:
    values = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": _years_ago(9),
        "sex": "F",
        "ethnicity": "WBRI",
        "upn": GOOD_UPN,
        "nhs_number": GOOD_NHS,
    }
    values.update(overrides)
    return values


def _nothing_saved():
    assert not Child.objects.exists()
    assert not AuditEntry.objects.exists()


# --- The service --------------------------------------------------------------------------


def test_create_child_saves_and_audits_a_valid_child(area, caseworker):
    child = services.create_child(actor=caseworker, area=area, **_values())
    assert Child.objects.get().pk == child.pk
    assert child.upn == GOOD_UPN
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.child_id) == (caseworker, "create", child.pk)


def test_create_child_tidies_identifiers_as_typed(area, caseworker):
    spaced_nhs = f"{GOOD_NHS[:3]} {GOOD_NHS[3:6]} {GOOD_NHS[6:]}"
    child = services.create_child(
        actor=caseworker, area=area, **_values(upn=f" {GOOD_UPN.lower()} ", nhs_number=spaced_nhs)
    )
    assert (child.upn, child.nhs_number) == (GOOD_UPN, GOOD_NHS)


@pytest.mark.parametrize(("field", "value", "code", "reason"), REFUSALS)
def test_create_child_refuses_a_bad_value_and_saves_nothing(
    area, caseworker, field, value, code, reason
):
    with pytest.raises(ValidationError) as caught:
        services.create_child(actor=caseworker, area=area, **_values(**{field: value}))
    [error] = caught.value.error_dict[field]
    assert error.code == code
    assert reason in error.messages[0]
    _nothing_saved()


@pytest.mark.parametrize("role", [Role.DECISION_MAKER, Role.EDUCATIONAL_PSYCHOLOGIST, Role.SENCO])
def test_only_the_areas_caseworkers_and_managers_may_add_a_child(area, role):
    with pytest.raises(PermissionDenied):
        services.create_child(actor=factories.make_user(role, area=area), area=area, **_values())
    _nothing_saved()


def test_a_caseworker_cannot_add_a_child_to_another_area(caseworker, other_area):
    with pytest.raises(PermissionDenied):
        services.create_child(actor=caseworker, area=other_area, **_values())
    _nothing_saved()


def test_the_current_setting_must_be_a_school_college_or_early_years_setting(area, caseworker):
    not_a_setting = factories.EPServiceFactory(area=area)
    with pytest.raises(ValidationError) as caught:
        services.create_child(actor=caseworker, area=area, **_values(current_setting=not_a_setting))
    assert "current_setting" in caught.value.error_dict
    _nothing_saved()
    school = factories.SchoolFactory(area=area)
    child = services.create_child(actor=caseworker, area=area, **_values(current_setting=school))
    assert child.current_setting == school


# --- The page -----------------------------------------------------------------------------


def _form_data(**overrides) -> dict:
    values = _values(**overrides)
    data = {
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "preferred_name": "",
        "date_of_birth": values["date_of_birth"].strftime("%d/%m/%Y"),
        "sex": values["sex"],
        "ethnicity": values["ethnicity"],
        "postcode": "",
        "upn": values["upn"],
        "upn_unknown_reason": "",
        "uln": "",
        "nhs_number": values["nhs_number"],
        "current_setting": "",
    }
    return data


def test_adding_a_child_on_the_page_opens_their_record(client, caseworker):
    client.force_login(caseworker)
    response = client.post("/children/add/", _form_data())
    child = Child.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/children/{child.pk}/"
    page = client.get(response["Location"])
    assert "Ada Lovelace has been added." in page.content.decode()


@pytest.mark.parametrize(("field", "value", "code", "reason"), REFUSALS)
def test_the_add_page_shows_why_a_value_was_refused_and_saves_nothing(
    client, caseworker, field, value, code, reason
):
    client.force_login(caseworker)
    response = client.post("/children/add/", _form_data(**{field: value}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert reason in text
    # The error summary links to the field (a date: its Day box, GOV.UK's date input pattern).
    anchor = f"id_{field}-day" if field == "date_of_birth" else f"id_{field}"
    assert f'href="#{anchor}"' in text
    _nothing_saved()


def test_the_add_page_asks_for_a_upn_or_why_it_is_unknown(client, caseworker):
    client.force_login(caseworker)
    response = client.post("/children/add/", _form_data(upn=""))
    assert "Enter the UPN, or choose why it is not known." in response.content.decode()
    _nothing_saved()


# --- The API ------------------------------------------------------------------------------


def _json_body(**overrides) -> dict:
    values = _values(**overrides)
    values["date_of_birth"] = values["date_of_birth"].isoformat()
    return values


def test_adding_a_child_through_the_api(api_client, caseworker):
    api_client.force_authenticate(caseworker)
    response = api_client.post("/api/v1/children/", _json_body(), format="json")
    assert response.status_code == 201, response.content
    child = Child.objects.get()
    assert response.json()["id"] == child.pk
    assert response.json()["upn"] == GOOD_UPN


@pytest.mark.parametrize(("field", "value", "code", "reason"), REFUSALS)
def test_the_api_refuses_a_bad_value_with_a_structured_error_and_saves_nothing(
    api_client, caseworker, field, value, code, reason
):
    api_client.force_authenticate(caseworker)
    body = _json_body(**{field: value})
    if isinstance(body[field], dt.date):
        body[field] = body[field].isoformat()
    response = api_client.post("/api/v1/children/", body, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == field
    assert error["code"] == code
    assert reason in error["message"]
    _nothing_saved()


def test_the_api_refuses_a_setting_that_is_not_a_school(api_client, caseworker, area):
    api_client.force_authenticate(caseworker)
    clinic = factories.NHSProviderFactory(area=area)
    response = api_client.post(
        "/api/v1/children/", _json_body(current_setting=clinic.pk), format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["current_setting"]
    _nothing_saved()


def test_the_api_reports_every_malformed_field(api_client, caseworker):
    api_client.force_authenticate(caseworker)
    response = api_client.post(
        "/api/v1/children/", {"first_name": "", "date_of_birth": "not a date"}, format="json"
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"first_name", "last_name", "date_of_birth", "sex"} <= fields
    for error in response.json()["errors"]:
        assert set(error) == {"field", "code", "message"}
    _nothing_saved()


@pytest.mark.parametrize("role", [Role.SENCO, Role.DECISION_MAKER, Role.PARENT])
def test_the_api_refuses_to_let_others_add_a_child(api_client, area, role):
    api_client.force_authenticate(factories.make_user(role, area=area))
    response = api_client.post("/api/v1/children/", _json_body(), format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    _nothing_saved()


def test_a_young_person_now_over_25_can_still_have_their_record_corrected(caseworker, area):
    """Their plan ceased years ago; the age limit is for new records, not for corrections."""
    child = factories.ChildFactory(area=area, date_of_birth=_years_ago(30))
    updated = services.update_child(actor=caseworker, child=child, postcode="BH1 1AA")
    assert updated.postcode == "BH1 1AA"
    with pytest.raises(ValidationError):
        services.update_child(actor=caseworker, child=child, date_of_birth=_years_ago(31))

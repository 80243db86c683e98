"""The children pages: finding a child, reading and changing their record."""

import pytest
from django.core.exceptions import PermissionDenied

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.children import services
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _listed(response, children) -> set[int]:
    text = response.content.decode()
    return {c.pk for c in children if f'href="/children/{c.pk}/"' in text}


@pytest.fixture
def children(area):
    return [
        factories.ChildFactory(area=area, first_name="Ada", last_name="Lovelace"),
        factories.ChildFactory(area=area, first_name="Alan", last_name="Turing"),
        factories.ChildFactory(area=area, first_name="Grace", last_name="Hopper"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [0, 1, 2]),
        ("lovelace", [0]),
        ("ada lovelace", [0]),
        ("  TURING ", [1]),
        ("a", [0, 1, 2]),  # every name has an a
        ("nobody", []),
    ],
)
def test_finding_a_child_by_name(client, caseworker, children, query, expected):
    client.force_login(caseworker)
    response = client.get("/children/", {"q": query})
    assert _listed(response, children) == {children[i].pk for i in expected}
    if not expected:
        assert f"No children you can see match “{query}”." in response.content.decode()


def test_finding_a_child_by_upn_or_date_of_birth(client, caseworker, children):
    client.force_login(caseworker)
    grace = children[2]
    by_upn = client.get("/children/", {"q": grace.upn.lower()})
    assert _listed(by_upn, children) == {grace.pk}
    for written in (grace.date_of_birth.strftime("%d/%m/%Y"), grace.date_of_birth.isoformat()):
        assert _listed(client.get("/children/", {"q": written}), children) == {grace.pk}


def test_a_long_list_is_paged_and_only_the_page_shown_is_audited(client, caseworker, area):
    factories.ChildFactory.create_batch(30, area=area)
    client.force_login(caseworker)
    first = client.get("/children/")
    assert "30 in total" in first.content.decode()
    assert 'aria-label="Page 1 of 2"' in first.content.decode()
    assert AuditEntry.objects.filter(action="search").count() == 25
    client.get("/children/", {"page": 2})
    assert AuditEntry.objects.filter(action="search").count() == 30


def test_only_those_who_may_add_a_child_are_offered_the_link(client, caseworker, area):
    client.force_login(caseworker)
    assert 'href="/children/add/"' in client.get("/children/").content.decode()
    senco = factories.make_user(Role.SENCO, area=area)
    client.force_login(senco)
    assert 'href="/children/add/"' not in client.get("/children/").content.decode()
    assert client.get("/children/add/").status_code == 403


def test_a_caseworker_role_outside_a_local_authority_cannot_add_a_child(client, area):
    user = factories.make_user(Role.CASEWORKER, factories.SchoolFactory(area=area))
    client.force_login(user)
    assert client.get("/children/add/").status_code == 403


def test_the_record_shows_the_childs_details_and_offers_change_to_caseworkers(
    client, caseworker, area
):
    school = factories.SchoolFactory(area=area, name="Seaview Primary")
    child = factories.ChildFactory(area=area, current_setting=school, postcode="BH1 1AA")
    client.force_login(caseworker)
    text = client.get(f"/children/{child.pk}/").content.decode()
    for shown in (child.upn, child.nhs_number, "Seaview Primary", "BH1 1AA", child.full_name):
        assert shown in text
    assert f'href="/children/{child.pk}/change/"' in text


def test_changing_a_record(client, caseworker, area):
    child = factories.ChildFactory(area=area)
    client.force_login(caseworker)
    form = client.get(f"/children/{child.pk}/change/").context["form"]
    data = {name: (value if value is not None else "") for name, value in form.initial.items()}
    data["date_of_birth"] = child.date_of_birth.strftime("%d/%m/%Y")
    data["current_setting"] = ""
    data["preferred_name"] = "Addie"
    response = client.post(f"/children/{child.pk}/change/", data, follow=True)
    assert "The record has been updated." in response.content.decode()
    child.refresh_from_db()
    assert child.preferred_name == "Addie"


def test_a_bad_change_is_refused_and_nothing_changes(client, caseworker, area):
    child = factories.ChildFactory(area=area)
    original_upn = child.upn
    client.force_login(caseworker)
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.strftime("%d/%m/%Y"),
        "sex": child.sex,
        "ethnicity": child.ethnicity,
        "upn": original_upn[:-1] + ("0" if original_upn[-1] != "0" else "1"),
        "nhs_number": child.nhs_number,
        "version": child.version,
    }
    response = client.post(f"/children/{child.pk}/change/", data)
    assert response.status_code == 200
    assert "check letter is wrong" in response.content.decode()
    child.refresh_from_db()
    assert child.upn == original_upn
    assert not AuditEntry.objects.filter(action="update").exists()


def test_the_service_refuses_changes_from_those_who_may_not_edit(area):
    child = factories.ChildFactory(area=area)
    decision_maker = factories.make_user(Role.DECISION_MAKER, area=area)
    with pytest.raises(PermissionDenied):
        services.update_child(actor=decision_maker, child=child, first_name="Changed")
    child.refresh_from_db()
    assert child.first_name != "Changed"


def test_the_service_refuses_fields_it_does_not_know(caseworker, child):
    with pytest.raises(ValueError, match="Unknown fields"):
        services.update_child(actor=caseworker, child=child, area_id=999)

"""Parent A never sees parent B's child: by page, by API or by guessing ids. A young person
acting for themselves who withdrew a parent's access is obeyed."""

import datetime as dt

import pytest
from django.urls import reverse

from everychild.accounts.models import Role
from everychild.children.models import FamilyLink
from everychild.families import services
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_families(cases, area, parent_of):
    child_a = factories.ChildFactory(area=area)
    child_b = factories.ChildFactory(area=area)
    case_a = cases.with_draft(child_a)
    case_b = cases.with_draft(child_b)
    return parent_of(child_a), child_a, case_a, child_b, case_b


def test_parent_a_cannot_open_parent_bs_child_by_page(client, two_families):
    parent_a, child_a, case_a, child_b, case_b = two_families
    client.force_login(parent_a)
    home = client.get(reverse("families:home")).content.decode()
    assert child_a.last_name in home and child_b.last_name not in home
    assert client.get(reverse("families:case", args=[case_a.pk])).status_code == 200
    for name in ("case", "views", "draft"):
        assert client.get(reverse(f"families:{name}", args=[case_b.pk])).status_code == 404
    assert client.get(reverse("families:views-edit", args=[case_b.pk, "parent"])).status_code == 404
    # Nor by writing to it.
    response = client.post(
        reverse("families:draft", args=[case_b.pk]), {"section_A": "x", "send": "1"}
    )
    assert response.status_code == 404
    assert not case_b.draft_responses.exists()


def test_parent_a_cannot_see_parent_bs_child_by_api(client, two_families):
    parent_a, child_a, case_a, child_b, case_b = two_families
    client.force_login(parent_a)
    assert client.get(f"/api/v1/children/{child_a.pk}/").status_code == 200
    assert client.get(f"/api/v1/children/{child_b.pk}/").status_code == 404
    listed = client.get("/api/v1/children/").json()
    ids = {row["id"] for row in listed.get("results", listed)}
    assert child_b.pk not in ids
    assert client.get(f"/api/v1/requests/{case_b.pk}/").status_code in (403, 404)


def test_guessing_ids_finds_nothing_more(client, two_families):
    parent_a, child_a, case_a, child_b, case_b = two_families
    client.force_login(parent_a)
    highest = max(case_a.pk, case_b.pk) + 5
    opened = {
        case_id
        for case_id in range(1, highest)
        if client.get(reverse("families:case", args=[case_id])).status_code == 200
    }
    assert opened == {case_a.pk}


def test_staff_pages_are_not_for_families(client, two_families):
    parent_a, child_a, *_ = two_families
    client.force_login(parent_a)
    assert client.get(reverse("families:invite", args=[child_a.pk])).status_code == 403


def test_a_young_person_who_restricts_a_parent_is_obeyed(client, cases, area, parent_of):
    born = dt.date.today().replace(year=dt.date.today().year - 18)
    young = factories.ChildFactory(area=area, date_of_birth=born)
    case = cases.assessing(young)
    parent = parent_of(young)
    young_person = factories.make_user(Role.YOUNG_PERSON)
    young.own_account = young_person
    young.save()
    client.force_login(parent)
    assert client.get(reverse("families:case", args=[case.pk])).status_code == 200
    client.force_login(young_person)
    page = client.get(reverse("families:sharing")).content.decode()
    assert parent.full_name in page
    client.post(reverse("families:sharing"), {})  # untick everyone
    assert not FamilyLink.objects.get(child=young).young_person_allows_access
    client.force_login(parent)
    assert client.get(reverse("families:case", args=[case.pk])).status_code == 404
    assert young.last_name not in client.get(reverse("families:home")).content.decode()
    assert client.get(f"/api/v1/children/{young.pk}/").status_code == 404


def test_a_child_of_school_age_cannot_shut_out_their_parents(cases, area, parent_of):
    from django.core.exceptions import PermissionDenied

    child = factories.ChildFactory(area=area, date_of_birth=dt.date(2014, 5, 1))
    parent_of(child)
    account = factories.make_user(Role.YOUNG_PERSON)
    child.own_account = account
    child.save()
    with pytest.raises(PermissionDenied):
        services.set_parent_access(
            actor=account, child=child, link=child.family_links.get(), allowed=False
        )
    assert child.family_links.get().young_person_allows_access

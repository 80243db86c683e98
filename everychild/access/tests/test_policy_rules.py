"""The record-level rules one at a time, as their circumstances change: advice given or
cancelled, a pupil changing school, parental responsibility, a young person's choice, an
account or membership switched off."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from everychild.access import policy
from everychild.accounts.models import Membership, Role
from everychild.casework import policy as casework_policy
from everychild.casework.models import AdviceKind
from everychild.children import policy as children_policy
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _opens(client, user, child) -> int:
    client.force_login(user)
    return client.get(f"/children/{child.pk}/").status_code


def _api_ids(api_client, user) -> set[int]:
    api_client.force_authenticate(user)
    return {row["id"] for row in api_client.get("/api/v1/children/").json()["results"]}


# --- Agencies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.EDUCATIONAL_PSYCHOLOGIST, AdviceKind.EDUCATIONAL_PSYCHOLOGY),
        (Role.HEALTH_ADVISER, AdviceKind.HEALTH),
        (Role.SOCIAL_CARE_ADVISER, AdviceKind.SOCIAL_CARE),
    ],
)
def test_an_agency_sees_a_child_only_while_its_advice_is_wanted(client, api_client, role, kind):
    advice = factories.AdviceRequestFactory(kind=kind)
    child = advice.assessment_request.child
    adviser = factories.make_user(role, advice.organisation)
    assert _opens(client, adviser, child) == 200
    assert _api_ids(api_client, adviser) == {child.pk}

    advice.provided_on = timezone.localdate()
    advice.save()
    assert _opens(client, adviser, child) == 404
    assert _api_ids(api_client, adviser) == set()
    assert api_client.get(f"/api/v1/children/{child.pk}/").status_code == 404
    # Their own record of the advice they gave stays in their work queue.
    assert policy.may(adviser, policy.Action.VIEW_ADVICE_REQUEST, advice)


def test_an_agency_loses_access_when_the_request_for_advice_is_cancelled(client):
    advice = factories.AdviceRequestFactory()
    adviser = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, advice.organisation)
    advice.cancelled_on = timezone.localdate()
    advice.save()
    assert _opens(client, adviser, advice.assessment_request.child) == 404


def test_provided_advice_does_not_hide_another_still_open_request(client):
    given = factories.AdviceRequestFactory(provided_on=timezone.localdate())
    child = given.assessment_request.child
    adviser = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, given.organisation)
    assert _opens(client, adviser, child) == 404
    later = factories.AssessmentRequestFactory(child=child)
    factories.AdviceRequestFactory(assessment_request=later, organisation=given.organisation)
    assert _opens(client, adviser, child) == 200


def test_an_agency_never_sees_children_whose_advice_was_asked_of_another_service(client):
    advice = factories.AdviceRequestFactory()
    another_service = factories.EPServiceFactory(area=advice.organisation.area)
    adviser = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, another_service)
    assert _opens(client, adviser, advice.assessment_request.child) == 404
    assert not casework_policy.visible_advice_requests(adviser).exists()


def test_an_agency_cannot_see_the_case_file_or_plans_behind_its_advice(client):
    advice = factories.AdviceRequestFactory()
    case = advice.assessment_request
    factories.EHCPlanFactory(child=case.child, assessment_request=case)
    adviser = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, advice.organisation)
    client.force_login(adviser)
    response = client.get(f"/children/{case.child.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert case.reference not in text
    assert "EHC plans" not in text
    assert not policy.may(adviser, policy.Action.VIEW_CASE, case)


# --- Settings -----------------------------------------------------------------------------


def test_a_senco_sees_the_pupils_of_their_own_setting_only(client, area):
    school, other_school = factories.SchoolFactory(area=area), factories.SchoolFactory(area=area)
    pupil = factories.ChildFactory(area=area, current_setting=school)
    elsewhere = factories.ChildFactory(area=area, current_setting=other_school)
    senco = factories.make_user(Role.SENCO, school)
    assert _opens(client, senco, pupil) == 200
    assert _opens(client, senco, elsewhere) == 404

    pupil.current_setting = other_school  # the pupil moves school
    pupil.save()
    assert _opens(client, senco, pupil) == 404


# --- Families -----------------------------------------------------------------------------


def test_a_parent_sees_their_own_children_and_no_one_else(client, area):
    link = factories.FamilyLinkFactory(child=factories.ChildFactory(area=area))
    sibling = factories.ChildFactory(area=area)
    factories.FamilyLinkFactory(child=sibling, user=link.user)
    stranger = factories.ChildFactory(area=area)
    assert _opens(client, link.user, link.child) == 200
    assert _opens(client, link.user, sibling) == 200
    assert _opens(client, link.user, stranger) == 404


def test_a_parent_without_parental_responsibility_does_not_see_the_child(client):
    link = factories.FamilyLinkFactory(has_parental_responsibility=False)
    assert _opens(client, link.user, link.child) == 404


def test_a_young_person_can_withdraw_their_parents_access(client):
    link = factories.FamilyLinkFactory()
    young_person = factories.make_user(Role.YOUNG_PERSON)
    link.child.own_account = young_person
    link.child.save()
    assert _opens(client, link.user, link.child) == 200
    link.young_person_allows_access = False
    link.save()
    assert _opens(client, link.user, link.child) == 404
    assert _opens(client, young_person, link.child) == 200


def test_a_family_link_gives_nothing_without_the_parent_role(client):
    user = factories.UserFactory()  # e.g. a parent whose invitation was withdrawn
    link = factories.FamilyLinkFactory(user=user)
    client.force_login(user)
    assert client.get(f"/children/{link.child.pk}/").status_code == 403


def test_a_young_person_sees_their_own_record_only(client, area):
    young_person = factories.make_user(Role.YOUNG_PERSON)
    own = factories.ChildFactory(area=area, own_account=young_person)
    someone_else = factories.ChildFactory(area=area)
    assert _opens(client, young_person, own) == 200
    assert _opens(client, young_person, someone_else) == 404


# --- Local authority staff ----------------------------------------------------------------


def test_la_staff_see_every_child_of_their_area_and_none_of_another(client, area, other_area):
    la = factories.LocalAuthorityFactory(area=area)
    here = factories.ChildFactory(area=area)
    there = factories.ChildFactory(area=other_area)
    for role in (Role.CASEWORKER, Role.TEAM_MANAGER, Role.DECISION_MAKER):
        user = factories.make_user(role, la)
        assert (_opens(client, user, here), _opens(client, user, there)) == (200, 404), role


def test_a_caseworker_role_in_a_school_gives_no_area_access(client, area):
    school = factories.SchoolFactory(area=area)
    user = factories.make_user(Role.CASEWORKER, school)
    assert _opens(client, user, factories.ChildFactory(area=area)) == 404


def test_a_decision_maker_sees_but_cannot_change_a_record(client, la, area):
    child = factories.ChildFactory(area=area)
    decision_maker = factories.make_user(Role.DECISION_MAKER, la)
    assert _opens(client, decision_maker, child) == 200
    assert client.get(f"/children/{child.pk}/change/").status_code == 403
    assert not policy.may(decision_maker, policy.Action.EDIT_CHILD, child)


@pytest.mark.parametrize(
    "role", [Role.BOARD_MEMBER, Role.FINANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR]
)
def test_board_finance_and_administrators_see_no_child_at_all(client, la, area, role):
    child = factories.ChildFactory(area=area)
    user = factories.make_user(role, la)
    assert not children_policy.visible_children(user).exists()
    assert _opens(client, user, child) == 403
    assert client.get("/children/").status_code == 403
    # Their home page says so, and offers no way to children.
    home = client.get("/").content.decode()
    assert "never shows an individual child&#x27;s record" in home
    assert 'href="/children/"' not in home


# --- Switched off -------------------------------------------------------------------------


def test_a_switched_off_membership_gives_nothing(client, la, area):
    child = factories.ChildFactory(area=area)
    user = factories.make_user(Role.CASEWORKER, la)
    Membership.objects.filter(user=user).update(is_active=False)
    assert _opens(client, user, child) == 403
    assert not children_policy.visible_children(user).exists()


def test_a_deactivated_account_is_signed_out(client, caseworker, area):
    child = factories.ChildFactory(area=area)
    client.force_login(caseworker)
    caseworker.is_active = False
    caseworker.save()
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_the_signed_out_and_nobody_may_do_nothing(area):
    child = factories.ChildFactory(area=area)
    for nobody in (None, AnonymousUser()):
        assert policy.capabilities(nobody) == set()
        assert not policy.may(nobody, policy.Action.VIEW_CHILD, child)
    assert not children_policy.visible_children(AnonymousUser()).exists()


def test_may_refuses_an_action_that_does_not_fit_the_record(caseworker, area):
    child = factories.ChildFactory(area=area)
    case = factories.AssessmentRequestFactory(child=child)
    assert policy.may(caseworker, policy.Action.VIEW_CHILD, child)
    assert not policy.may(caseworker, policy.Action.VIEW_CHILD, case)
    assert not policy.may(caseworker, policy.Action.VIEW_CASE, child)


def test_the_home_page_counts_only_what_the_user_may_see(client, area):
    advice = factories.AdviceRequestFactory(
        received_by_body_on=timezone.localdate() - dt.timedelta(days=3)
    )
    factories.ChildFactory.create_batch(3, area=area)
    adviser = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, advice.organisation)
    client.force_login(adviser)
    text = client.get("/").content.decode()
    assert "You can see 1 child&#x27;s record." in text
    assert "1 request for advice is waiting." in text


def test_an_unknown_action_is_refused_not_an_error():
    from everychild.access.policy import may

    user = factories.make_user(Role.CASEWORKER, factories.LocalAuthorityFactory())
    child = factories.ChildFactory()
    assert may(user, "delete_everything", child) is False

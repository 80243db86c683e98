"""Staff administration inside the service (issue 18): what an administrator and the person
they manage see and can do, and what neither can do."""

import csv
import io

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access import tokens
from everychild.access.models import AuditEntry
from everychild.accounts.models import EnrolmentCode, Membership, Organisation, Role, User
from everychild.notifications.models import Message
from everychild.staff.models import StaffInvitation
from everychild.staff.services import INVITATION_LIFETIME
from everychild.testing import factories, inbox
from everychild.testing.factories import TEST_PASSWORD

from .conftest import sent_link

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a new and long passphrase 7"


def _invite(client, admin, organisation, email="newbie@la.test", roles=(Role.CASEWORKER,)):
    client.force_login(admin)
    return client.post(
        "/staff/invite/",
        {
            "full_name": "Nia Newbie",
            "email": email,
            "organisation": organisation.pk,
            "roles": list(roles),
        },
    )


def _token_works(api_client, key) -> bool:
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client.get("/api/v1/children/").status_code != 401


# --- Inviting and accepting ------------------------------------------------------------------


def test_an_invitation_makes_an_account_that_only_the_link_can_give_a_password(
    client, council_admin, la
):
    response = _invite(client, council_admin, la)
    assert response.status_code == 302
    newbie = User.objects.get(email="newbie@la.test")
    assert not newbie.has_usable_password()
    assert set(newbie.memberships.values_list("role", flat=True)) == {Role.CASEWORKER}
    invitation = StaffInvitation.objects.get(user=newbie)
    assert invitation.expires_at - timezone.now() <= INVITATION_LIFETIME
    token = sent_link(invitation)
    # What is kept cannot be replayed: the table holds neither the token nor its link.
    assert token not in Message.objects.get(template="staff_invitation").body
    assert token not in invitation.token_hash

    visitor = Client()
    page = visitor.get(f"/staff/invitation/{token}/")
    assert b"Choose your password" in page.content
    response = visitor.post(
        f"/staff/invitation/{token}/", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert b"Your password is saved" in response.content
    newbie.refresh_from_db()
    assert newbie.check_password(NEW_PASSWORD)
    # The second factor is set up only with an enrolment code, e-mailed now.
    assert EnrolmentCode.objects.filter(user=newbie, used_at__isnull=True).exists()
    assert Message.objects.filter(template="two_factor_enrolment", to=newbie.email).exists()
    # The link works once.
    again = Client().get(f"/staff/invitation/{token}/")
    assert again.status_code == 410
    assert b"already been used" in again.content


def test_an_invitation_to_an_existing_account_never_sets_its_password(
    client, council_admin, la, caseworker
):
    """Issue 17's takeover, tried on the staff invitation: whoever holds the link of an
    invitation sent to an address that has an account gets nothing without its password."""
    finance = factories.make_user(Role.FINANCE_OFFICER, la, email="fin@la.test")
    _invite(client, council_admin, la, email="fin@la.test", roles=(Role.TEAM_MANAGER,))
    invitation = StaffInvitation.objects.get(user=finance)
    token = sent_link(invitation)
    attacker = Client()
    page = attacker.get(f"/staff/invitation/{token}/")
    assert b"Sign in to accept" in page.content
    assert b"password" not in page.content.split(b"Sign in to accept")[0].lower()
    attacker.post(
        f"/staff/invitation/{token}/", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    # Someone else, signed in as another account, cannot accept it either.
    attacker.force_login(caseworker)
    attacker.post(f"/staff/invitation/{token}/")
    finance.refresh_from_db()
    assert finance.check_password(TEST_PASSWORD)
    assert not finance.memberships.filter(role=Role.TEAM_MANAGER).exists()
    # Its owner signs in and accepts.
    owner = Client()
    owner.force_login(finance)
    owner.post(f"/staff/invitation/{token}/")
    assert finance.memberships.filter(role=Role.TEAM_MANAGER, is_active=True).exists()


def test_an_expired_or_forged_link_is_refused_with_a_clear_page(client, council_admin, la):
    _invite(client, council_admin, la)
    invitation = StaffInvitation.objects.get()
    token = sent_link(invitation)
    with time_machine.travel(timezone.now() + INVITATION_LIFETIME, tick=False):
        response = Client().get(f"/staff/invitation/{token}/")
    assert response.status_code == 410
    assert b"expired" in response.content
    assert Client().get("/staff/invitation/forged-token/").status_code == 404


def test_a_family_account_cannot_be_invited_as_staff(client, council_admin, la):
    factories.make_user(Role.PARENT, email="mum@example.org")
    response = _invite(client, council_admin, la, email="mum@example.org")
    assert b"family" in response.content
    assert not StaffInvitation.objects.exists()


# --- Who manages whom ------------------------------------------------------------------------


def test_a_council_administrator_manages_only_their_own_area(
    client, council_admin, other_admin, other_la, la, caseworker
):
    stranger = factories.make_user(Role.CASEWORKER, other_la)
    client.force_login(council_admin)
    listing = client.get("/staff/")
    assert caseworker.email.encode() in listing.content
    assert stranger.email.encode() not in listing.content
    assert client.get(f"/staff/people/{stranger.pk}/").status_code == 404
    version = {"version": stranger.version}
    assert client.post(f"/staff/people/{stranger.pk}/deactivate/", version).status_code == 404
    response = _invite(client, council_admin, other_la, email="sneak@la.test")
    assert b"Select a valid choice" in response.content
    assert not User.objects.filter(email="sneak@la.test").exists()
    stranger.refresh_from_db()
    assert stranger.is_active


def test_an_agency_administrator_manages_only_their_own_service(
    client, ep_admin, ep_service, la, caseworker
):
    psychologist = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, ep_service)
    client.force_login(ep_admin)
    listing = client.get("/staff/")
    assert psychologist.email.encode() in listing.content
    assert caseworker.email.encode() not in listing.content
    assert client.get(f"/staff/people/{caseworker.pk}/").status_code == 404
    # An EP service has no caseworkers, and its administrator no organisations to manage.
    response = _invite(client, ep_admin, ep_service, roles=(Role.CASEWORKER,))
    assert b"cannot have the role" in response.content
    assert client.get("/staff/organisations/").status_code == 403


def test_no_administrator_changes_a_system_administrator_or_themself(client, council_admin, la):
    system = factories.make_user(Role.SYSTEM_ADMINISTRATOR, la)
    client.force_login(council_admin)
    for person in (system, council_admin):
        client.post(f"/staff/people/{person.pk}/deactivate/", {"version": person.version})
        person.refresh_from_db()
        assert person.is_active
    # Nor can the system administrator's role be given.
    response = _invite(client, council_admin, la, roles=(Role.SYSTEM_ADMINISTRATOR,))
    assert response.status_code == 200
    assert not StaffInvitation.objects.exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SYSTEM_ADMINISTRATOR, Role.TEAM_MANAGER])
def test_other_staff_cannot_reach_the_staff_pages(client, la, role):
    client.force_login(factories.make_user(role, la))
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/staff.csv").status_code == 403


# --- Changing, switching off, resetting ----------------------------------------------------


def test_switching_off_ends_every_session_and_token_at_once_and_tells_them(
    client, council_admin, caseworker, api_client
):
    their_browser = Client()
    their_browser.force_login(caseworker)
    assert their_browser.get("/").status_code == 200
    _token, key = tokens.issue(user=caseworker, name="sync", by_command=True)
    assert _token_works(api_client, key)

    client.force_login(council_admin)
    client.post(f"/staff/people/{caseworker.pk}/deactivate/", {"version": caseworker.version})
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(caseworker.pk)
    ]
    assert their_browser.get("/").status_code == 302
    assert not _token_works(api_client, key)
    assert Message.objects.filter(template="staff_account_deactivated", to=caseworker.email)
    assert AuditEntry.objects.filter(detail__step="staff_deactivated", actor=council_admin)

    client.post(f"/staff/people/{caseworker.pk}/reactivate/", {"version": caseworker.version})
    caseworker.refresh_from_db()
    assert caseworker.is_active
    assert not _token_works(api_client, key)  # a revoked token stays revoked


def test_a_stale_change_is_refused_and_changes_nothing(client, council_admin, caseworker, la):
    client.force_login(council_admin)
    opened_at = caseworker.version
    response = client.post(
        f"/staff/people/{caseworker.pk}/roles/",
        {"organisation": la.pk, "roles": [Role.TEAM_MANAGER], "version": opened_at},
    )
    assert response.status_code == 302
    response = client.post(
        f"/staff/people/{caseworker.pk}/roles/",
        {"organisation": la.pk, "roles": [Role.DECISION_MAKER], "version": opened_at},
    )
    assert b"govuk-error-summary" in response.content
    assert b"changed since you opened it" in response.content
    active = set(caseworker.memberships.filter(is_active=True).values_list("role", flat=True))
    assert active == {Role.TEAM_MANAGER}
    assert Message.objects.filter(template="staff_roles_changed", to=caseworker.email).count() == 1


def test_moving_someone_to_another_organisation_of_the_area(client, council_admin, area, la):
    school = factories.SchoolFactory(area=area)
    other_school = factories.SchoolFactory(area=area)
    senco = factories.make_user(Role.SENCO, school)
    client.force_login(council_admin)
    client.post(
        f"/staff/people/{senco.pk}/roles/",
        {"organisation": other_school.pk, "roles": [Role.SENCO], "version": senco.version},
    )
    held = set(senco.memberships.filter(is_active=True).values_list("organisation", flat=True))
    assert held == {other_school.pk}


def test_a_password_reset_sends_a_link_and_never_sets_a_password(
    client, council_admin, caseworker, api_client
):
    _token, key = tokens.issue(user=caseworker, name="sync", by_command=True)
    client.force_login(council_admin)
    client.post(f"/staff/people/{caseworker.pk}/reset-password/", {"version": caseworker.version})
    caseworker.refresh_from_db()
    assert not caseworker.has_usable_password()
    assert not _token_works(api_client, key)
    reset = StaffInvitation.objects.get(user=caseworker, purpose="password_reset")
    token = sent_link(reset)
    person = Client()
    person.post(
        f"/staff/invitation/{token}/", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    caseworker.refresh_from_db()
    assert caseworker.check_password(NEW_PASSWORD)
    assert Client().get(f"/staff/invitation/{token}/").status_code == 410


def test_resetting_the_second_factor_removes_the_app_and_emails_a_code(
    client, council_admin, caseworker
):
    TOTPDevice.objects.create(user=caseworker, name="Phone", confirmed=True)
    client.force_login(council_admin)
    client.post(
        f"/staff/people/{caseworker.pk}/reset-second-factor/", {"version": caseworker.version}
    )
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert EnrolmentCode.objects.filter(user=caseworker, used_at__isnull=True).exists()
    sent = Message.objects.filter(to=caseworker.email).values_list("template", flat=True)
    assert {"two_factor_device_removed", "two_factor_enrolment"} <= set(sent)


# --- The list and its export -----------------------------------------------------------------


def test_the_list_filters_and_exports_safely(client, council_admin, la, caseworker):
    caseworker.full_name = '=HYPERLINK("http://evil")'
    caseworker.save()
    factories.make_user(Role.FINANCE_OFFICER, la, full_name="Finn Ancell")
    client.force_login(council_admin)
    filtered = client.get("/staff/", {"role": Role.FINANCE_OFFICER})
    assert b"Finn Ancell" in filtered.content
    assert caseworker.email.encode() not in filtered.content
    response = client.get("/staff/staff.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "E-mail", "Organisations", "Roles", "Active", "Last signed in"]
    names = {row[0] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil")' in names
    assert "Finn Ancell" in names
    assert AuditEntry.objects.filter(action="export", actor=council_admin).exists()


def test_the_navigation_shows_staff_to_administrators_only(client, council_admin, caseworker):
    client.force_login(council_admin)
    assert b'href="/staff/"' in client.get("/").content
    client.force_login(caseworker)
    assert b'href="/staff/"' not in client.get("/").content


# --- Organisations ---------------------------------------------------------------------------


def test_a_council_administrator_adds_changes_and_closes_organisations(
    client, council_admin, area, other_area
):
    client.force_login(council_admin)
    client.post(
        "/staff/organisations/add/", {"name": "Dorset Speech Therapy", "kind": "nhs_provider"}
    )
    made = Organisation.objects.get(name="Dorset Speech Therapy")
    assert made.area == area
    response = client.post(
        f"/staff/organisations/{made.pk}/",
        {"name": "Dorset SLT", "kind": "nhs_provider", "urn": "12", "version": made.version},
    )
    assert b"A URN is 6 digits" in response.content
    client.post(
        f"/staff/organisations/{made.pk}/",
        {"name": "Dorset SLT", "kind": "nhs_provider", "version": made.version},
    )
    made.refresh_from_db()
    assert made.name == "Dorset SLT"
    therapist = factories.make_user(Role.HEALTH_ADVISER, made)
    client.post(f"/staff/organisations/{made.pk}/close/", {"version": made.version})
    made.refresh_from_db()
    assert made.is_active  # people still work there
    Membership.objects.filter(user=therapist).update(is_active=False)
    client.post(f"/staff/organisations/{made.pk}/close/", {"version": made.version})
    made.refresh_from_db()
    assert not made.is_active
    elsewhere = factories.NHSProviderFactory(area=other_area)
    assert client.get(f"/staff/organisations/{elsewhere.pk}/").status_code == 404


def test_what_an_administrator_does_is_e_mailed_without_personal_details(client, council_admin, la):
    _invite(client, council_admin, la)
    message = Message.objects.get(template="staff_invitation")
    assert "Nia" not in message.body
    assert la.name in message.body
    delivered = sent_link(StaffInvitation.objects.get())
    assert delivered in inbox.last_sent_to("newbie@la.test").body


def test_a_change_made_before_the_invitation_is_accepted_stands(client, council_admin, la):
    _invite(client, council_admin, la)
    newbie = User.objects.get(email="newbie@la.test")
    client.post(
        f"/staff/people/{newbie.pk}/roles/",
        {"organisation": la.pk, "roles": [Role.TEAM_MANAGER], "version": newbie.version},
    )
    token = sent_link(StaffInvitation.objects.get(user=newbie))
    Client().post(
        f"/staff/invitation/{token}/", {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    active = set(newbie.memberships.filter(is_active=True).values_list("role", flat=True))
    assert active == {Role.TEAM_MANAGER}


def test_someone_whose_invitation_ran_out_is_invited_again(client, council_admin, la):
    _invite(client, council_admin, la)
    first = StaffInvitation.objects.get()
    with time_machine.travel(timezone.now() + INVITATION_LIFETIME, tick=False):
        _invite(client, council_admin, la)
        second = StaffInvitation.objects.exclude(pk=first.pk).get()
        token = sent_link(second)
        Client().post(
            f"/staff/invitation/{token}/",
            {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
        )
    assert User.objects.get(email="newbie@la.test").check_password(NEW_PASSWORD)
    # Once it has been used, a further invitation to the address never sets its password.
    _invite(client, council_admin, la, roles=(Role.TEAM_MANAGER,))
    third = StaffInvitation.objects.exclude(pk__in=[first.pk, second.pk]).get()
    assert not third.sets_password

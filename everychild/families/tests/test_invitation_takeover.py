"""Issue 17, identity: an invitation never takes over an account.

Each test is an attack: the holder of an invitation link for an address that already has an
account tries to become that account; someone who reads the messages table (or the console)
tries to replay a link that was sent."""

import re

import pytest
from django.urls import reverse

from everychild.accounts.models import Role
from everychild.children.models import FamilyLink
from everychild.families import services
from everychild.notifications import backends
from everychild.notifications.models import Message
from everychild.testing import factories

pytestmark = pytest.mark.django_db
OWN_PASSWORD = "their own long password"
ATTACKER_PASSWORD = "attacker chosen passphrase"
LINK = re.compile(r"/family/invitation/[^\s/]+/")


@pytest.fixture
def invite(caseworker, child, django_capture_on_commit_callbacks):
    """Invite `email` to the child as a caseworker would, the message sent as in service."""

    def invite(email):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite(
                actor=caseworker,
                child=child,
                kind="parent",
                full_name="Someone",
                email=email,
                relationship=FamilyLink.Relationship.FATHER,
            )
        return sent_link(email)

    return invite


def sent_link(email) -> str:
    """The link as the recipient received it (what the provider was given), not as stored."""
    for message in reversed(backends.LocalBackend.outbox):
        if message.to == email and LINK.search(message.body):
            return LINK.search(message.body).group(0)
    raise AssertionError(f"No invitation was sent to {email}")


def test_a_link_for_a_staff_address_cannot_set_the_staff_password(invite, client, child, la):
    dpo = factories.make_user(Role.DATA_PROTECTION_OFFICER, la, email="dpo@la.test")
    dpo.set_password(OWN_PASSWORD)
    dpo.save()
    url = invite("dpo@la.test")
    response = client.post(
        url, {"password": ATTACKER_PASSWORD, "password_again": ATTACKER_PASSWORD}
    )
    dpo.refresh_from_db()
    assert dpo.check_password(OWN_PASSWORD) and not dpo.check_password(ATTACKER_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert not dpo.memberships.filter(role__in=[Role.PARENT, Role.YOUNG_PERSON]).exists()
    assert not FamilyLink.objects.filter(user=dpo).exists()
    assert "staff account" in response.content.decode()


def test_a_staff_member_signed_in_is_still_not_given_a_family_role(invite, client, child, la):
    dpo = factories.make_user(Role.DATA_PROTECTION_OFFICER, la, email="dpo@la.test")
    url = invite("dpo@la.test")
    client.force_login(dpo)
    client.post(url, {"accept": "1"})
    assert not dpo.memberships.filter(role__in=[Role.PARENT, Role.YOUNG_PERSON]).exists()
    assert not FamilyLink.objects.filter(user=dpo).exists()


def test_a_link_for_an_existing_family_account_needs_that_accounts_own_password(
    invite, client, child, area
):
    parent = factories.make_user(Role.PARENT, email="mum@example.org")
    parent.set_password(OWN_PASSWORD)
    parent.save()
    url = invite("mum@example.org")
    # Whoever holds the link cannot choose a new password for the account …
    page = client.get(url, follow=True).content.decode()
    assert "Sign in to accept" in page
    client.post(url, {"password": ATTACKER_PASSWORD, "password_again": ATTACKER_PASSWORD})
    parent.refresh_from_db()
    assert parent.check_password(OWN_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert not FamilyLink.objects.filter(child=child).exists()
    # … nor accept it signed in as someone else.
    stranger = factories.make_user(Role.PARENT, email="stranger@example.org")
    client.force_login(stranger)
    client.post(url, {"accept": "1"})
    assert not FamilyLink.objects.filter(child=child).exists()
    client.logout()
    # The account's owner signs in with their own password and accepts: the child is linked.
    client.post(reverse("accounts:sign-in"), {"email": "mum@example.org", "password": OWN_PASSWORD})
    response = client.post(url, {"accept": "1"})
    assert response.status_code == 302
    assert FamilyLink.objects.filter(child=child, user=parent).exists()
    parent.refresh_from_db()
    assert parent.check_password(OWN_PASSWORD)


def test_no_usable_link_is_kept_in_the_messages_table(invite, client, child):
    url = invite("dad@example.org")
    message = Message.objects.get(template="family_invitation")
    assert message.status == "sent"
    assert url not in message.body
    for stored in LINK.findall(message.body):
        assert client.get(stored).status_code == 410


def test_the_console_shows_no_usable_link(invite, child, capsys):
    url = invite("dad@example.org")
    assert url not in capsys.readouterr().out


def test_the_stored_token_is_a_hash_and_the_link_is_short_lived(invite, child):
    url = invite("dad@example.org")
    invitation = services.Invitation.objects.get()
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert invitation.expires_at - invitation.created_at <= services.INVITATION_LIFETIME
    assert services.INVITATION_LIFETIME.days <= 7

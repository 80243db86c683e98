"""Invitations: single-use, expiring links; the invitee sets a password; an optional e-mailed
code; young people over compulsory school age act for themselves."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.children.models import FamilyLink
from everychild.families import services
from everychild.notifications.models import Message
from everychild.notifications.services import deliver
from everychild.statutory import ages as age
from everychild.testing import factories, inbox

pytestmark = pytest.mark.django_db
PASSWORD = "blue kettle summer garden"


def invite_parent(caseworker, child, email="dad@example.org"):
    invitation = services.invite(
        actor=caseworker,
        child=child,
        kind="parent",
        full_name="Sam Parent",
        email=email,
        relationship=FamilyLink.Relationship.FATHER,
    )
    return invitation, inbox.invitation_token(invitation)


def test_an_invited_parent_sets_a_password_and_sees_their_child(client, caseworker, child):
    invitation, token = invite_parent(caseworker, child)
    message = inbox.last_sent_to("dad@example.org")
    assert child.first_name not in message.body and child.last_name not in message.body
    url = reverse("families:accept", args=[token])
    assert url in message.body
    page = client.get(url)
    assert "Set up your account" in page.content.decode()
    response = client.post(url, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("families:home")
    home = client.get(reverse("families:home")).content.decode()
    assert child.last_name in home
    link = FamilyLink.objects.get(child=child)
    assert link.relationship == "father" and link.user.memberships.get().role == Role.PARENT


def test_a_weak_password_is_refused_with_the_reason(client, caseworker, child):
    _invitation, token = invite_parent(caseworker, child)
    url = reverse("families:accept", args=[token])
    response = client.post(url, {"password": "password", "password_again": "password"})
    page = response.content.decode()
    assert "This password is too short" in page or "too common" in page
    assert not FamilyLink.objects.filter(child=child).exists()


def test_a_used_link_explains_what_to_do(client, caseworker, child):
    _invitation, token = invite_parent(caseworker, child)
    url = reverse("families:accept", args=[token])
    client.post(url, {"password": PASSWORD, "password_again": PASSWORD})
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = client.post(url, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 410


def test_an_expired_link_explains_what_to_do(client, caseworker, child):
    _invitation, token = invite_parent(caseworker, child)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        response = client.get(reverse("families:accept", args=[token]))
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert "ask your caseworker to send you a new one" in response.content.decode().lower()


def test_a_tampered_link_is_refused(client, caseworker, child):
    _invitation, token = invite_parent(caseworker, child)
    response = client.get(reverse("families:accept", args=[token[:-2] + "xx"]))
    assert response.status_code == 410 and "not right" in response.content.decode()


def test_inviting_the_same_person_again_leaves_only_the_newest_link_working(
    client, caseworker, child
):
    _first, old_token = invite_parent(caseworker, child)
    _second, new_token = invite_parent(caseworker, child)
    refused = client.get(reverse("families:accept", args=[old_token]))
    assert refused.status_code == 410 and "expired" in refused.content.decode()
    page = client.get(reverse("families:accept", args=[new_token]))
    assert "Set up your account" in page.content.decode()
    # Someone else invited for the same child keeps their own link.
    _other, other_token = invite_parent(caseworker, child, email="mum@example.org")
    assert (
        "Set up your account"
        in client.get(reverse("families:accept", args=[other_token])).content.decode()
    )
    assert (
        "Set up your account"
        in client.get(reverse("families:accept", args=[new_token])).content.decode()
    )


def test_only_the_areas_caseworkers_can_invite(child, other_area):
    from django.core.exceptions import PermissionDenied

    outsider = factories.make_user(Role.CASEWORKER, area=other_area)
    with pytest.raises(PermissionDenied):
        invite_parent(outsider, child)


def test_the_invitation_page_shows_the_child_only_to_their_areas_caseworkers_and_audits_it(
    client, caseworker, child, other_area
):
    """The form names the child, so opening it is a read of their record like any other."""
    from everychild.access.models import AuditEntry

    url = reverse("families:invite", args=[child.pk])
    outsider = factories.make_user(Role.CASEWORKER, area=other_area)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert not AuditEntry.objects.filter(child_id=child.pk).exists()
    client.force_login(caseworker)
    page = client.get(url)
    assert page.status_code == 200 and child.last_name in page.content.decode()
    [entry] = AuditEntry.objects.filter(child_id=child.pk)
    assert entry.action == "view" and entry.actor == caseworker


def test_a_young_person_of_school_age_cannot_be_invited_for_themselves(caseworker, area):
    from django.core.exceptions import ValidationError

    child = factories.ChildFactory(area=area, date_of_birth=dt.date.today().replace(year=2014))
    with pytest.raises(ValidationError) as refused:
        services.invite(
            actor=caseworker, child=child, kind="young_person", full_name="Al", email="a@x.org"
        )
    assert "compulsory school age" in str(refused.value)


def test_the_school_leaving_date_is_the_last_friday_of_june_of_the_year_they_turn_16():
    # Born 1 March 2009: 16 on 1 March 2025; leaving date Friday 27 June 2025.
    assert age.school_leaving_date(dt.date(2009, 3, 1)) == dt.date(2025, 6, 27)
    # Born 1 October 2009: 16 in the 2025/26 school year; leaving date Friday 26 June 2026.
    assert age.school_leaving_date(dt.date(2009, 10, 1)) == dt.date(2026, 6, 26)
    assert not age.over_compulsory_school_age(dt.date(2009, 3, 1), dt.date(2025, 6, 27))
    assert age.over_compulsory_school_age(dt.date(2009, 3, 1), dt.date(2025, 6, 28))


def test_the_emailed_code_is_asked_for_when_chosen(client, caseworker, child):
    _invitation, token = invite_parent(caseworker, child)
    url = reverse("families:accept", args=[token])
    client.post(url, {"password": PASSWORD, "password_again": PASSWORD, "email_code": "on"})
    client.logout()
    client.post(reverse("accounts:sign-in"), {"email": "dad@example.org", "password": PASSWORD})
    response = client.get(reverse("families:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("families:code"))
    page = client.get(response.url)
    assert "Check your e-mail" in page.content.decode()
    # The code is sealed: made as the message is sent, read where the recipient reads it.
    deliver(Message.objects.filter(template="sign_in_code").latest("pk").pk)
    code = re.search(r"\b(\d{6})\b", inbox.last_sent_to("dad@example.org").body).group(1)
    wrong = client.post(response.url, {"code": "000000" if code != "000000" else "111111"})
    assert "not right" in wrong.content.decode()
    right = client.post(response.url, {"code": code})
    assert right.status_code == 302
    assert client.get(reverse("families:home")).status_code == 200

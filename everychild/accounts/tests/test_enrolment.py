"""Issue 17, identity: a staff member's second factor is enrolled with something the password
alone does not give, a one-time enrolment code from an administrator.

The attack: someone who has a staff member's password (phished, guessed, reused) signs in
before the owner ever has and adds their own authenticator app."""

import io
import re

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.accounts.models import EnrolmentCode
from everychild.notifications.models import Message
from everychild.testing import inbox
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
SETUP = "/account/two-factor/set-up/"


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.REQUIRE_STAFF_2FA = True


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def _sign_in(client, user):
    return client.post(
        "/account/sign-in/", {"email": user.email, "password": TEST_PASSWORD}, follow=True
    )


def _emailed_code(user, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("second_factor_code", user.email, stdout=io.StringIO())
    body = inbox.last_sent_to(user.email).body
    return re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1)


def test_a_password_alone_cannot_enrol_an_authenticator(client, caseworker):
    page = _sign_in(client, caseworker).content.decode()
    assert "enrolment code" in page.lower()
    assert "<svg" not in page  # no QR code, no key: nothing to add to an app
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    # Nor does posting a guess at a code enrol anything.
    client.post(SETUP, {"token": "123456"})
    client.post(SETUP, {"code": "AAAA-BBBB-CCCC"})
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    assert "<svg" not in client.get(SETUP).content.decode()
    # And the password reaches nothing else meanwhile.
    for path in ("/", "/children/", "/account/api-tokens/"):
        assert client.get(path).status_code == 302


def test_the_enrolment_code_lets_the_owner_enrol_once_and_they_are_told(
    client, caseworker, django_capture_on_commit_callbacks
):
    code = _emailed_code(caseworker, django_capture_on_commit_callbacks)
    # The code is stored only as a hash, and the stored message cannot be replayed.
    assert code not in str(list(EnrolmentCode.objects.values()))
    assert code not in Message.objects.get(template="two_factor_enrolment").body
    _sign_in(client, caseworker)
    page = client.post(SETUP, {"code": code.lower()}, follow=True).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(SETUP, {"token": _code(device), "next": "/"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "added" in inbox.last_sent_to(caseworker.email).subject
    # Used once: another sign-in with the password and the same code enrols nothing more.
    client.logout()
    TOTPDevice.objects.filter(user=caseworker).delete()
    _sign_in(client, caseworker)
    client.post(SETUP, {"code": code})
    assert "<svg" not in client.get(SETUP).content.decode()


def test_guessing_the_code_stops_after_five_tries(
    client, caseworker, django_capture_on_commit_callbacks
):
    code = _emailed_code(caseworker, django_capture_on_commit_callbacks)
    _sign_in(client, caseworker)
    for n in range(5):
        client.post(SETUP, {"code": f"AAAA-BBBB-CCC{n}"})
    client.post(SETUP, {"code": code})
    assert "<svg" not in client.get(SETUP).content.decode()


def test_an_administrator_reset_removes_the_device_and_tells_the_owner(
    caseworker, django_capture_on_commit_callbacks
):
    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("second_factor_code", caseworker.email, "--reset", "--show", stdout=out)
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", out.getvalue().strip())
    assert "removed" in inbox.last_sent_to(caseworker.email).subject

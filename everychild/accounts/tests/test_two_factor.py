"""Staff sign in with a second factor (TOTP); families do not; production cannot relax it."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access import enrolment
from everychild.accounts.models import Role
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

REPO = Path(__file__).resolve().parents[3]
SETUP = "/account/two-factor/set-up/"
CODE = "/account/two-factor/"


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_STAFF_2FA = True


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def _where(url: str) -> tuple[str, str | None]:
    """A redirect's path and the page it will return to."""
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query).get("next", [None])[0]


def _sign_in(client, user):
    return client.post(
        "/account/sign-in/", {"email": user.email, "password": TEST_PASSWORD}, follow=True
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("require_2fa")
def test_a_staff_member_sets_up_two_factor_sign_in_before_reaching_anything(client, caseworker):
    code = enrolment.issue(user=caseworker, show=True)
    response = _sign_in(client, caseworker)
    assert _where(response.redirect_chain[-1][0]) == (SETUP, "/")
    assert "Enrolment code" in response.content.decode()
    response = client.post(f"{SETUP}?next=/", {"code": code}, follow=True)
    text = response.content.decode()
    assert "Set up two-factor sign-in" in text
    assert "<svg" in text  # the QR code, drawn on the page (no third party)

    # Password alone reaches nothing else.
    for path in ("/", "/children/", "/api/v1/children/"):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked["Location"].startswith(CODE), path

    device = TOTPDevice.objects.get(user=caseworker)
    assert not device.confirmed
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = f"{(int(_code(device)) + 1) % 10**6:06d}"
        response = client.post(SETUP, {"token": wrong, "next": "/"})
        assert "The code is not right" in response.content.decode()
        assert client.get("/").status_code == 302

        clock.shift(dt.timedelta(seconds=5))  # django-otp slows guessing after a failure
        done = client.post(SETUP, {"token": _code(device), "next": "/"})
        assert done.status_code == 302
        assert done["Location"] == "/"
        home = client.get("/")
    assert home.status_code == 200
    assert "Hello, Casey" in home.content.decode()
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
@pytest.mark.usefixtures("require_2fa")
def test_a_staff_member_with_a_device_enters_a_code_at_each_sign_in(client, caseworker):
    device = TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    start = timezone.now()
    with time_machine.travel(start):
        response = _sign_in(client, caseworker)
        assert _where(response.redirect_chain[-1][0]) == (CODE, "/")
        assert "Enter your security code" in response.content.decode()
        assert client.get("/children/").status_code == 302
        response = client.post(CODE, {"token": _code(device), "next": "/children/"})
        assert response["Location"] == "/children/"
        assert client.get("/children/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("require_2fa")
@pytest.mark.parametrize("has_device", [True, False])
def test_the_page_asked_for_is_kept_through_the_second_step(client, caseworker, has_device):
    if has_device:
        TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    client.force_login(caseworker)
    wanted = "/children/?q=smith&page=2"
    response = client.get(wanted, follow=True)
    expected_page = CODE if has_device else SETUP
    assert _where(response.redirect_chain[-1][0]) == (expected_page, wanted)
    if not has_device:  # the enrolment code first, then the app
        code = enrolment.issue(user=caseworker, show=True)
        url = response.redirect_chain[-1][0]
        response = client.post(url, {"code": code, "next": wanted}, follow=True)
        assert _where(response.redirect_chain[-1][0]) == (expected_page, wanted)
    assert response.context["next"] == wanted
    device = TOTPDevice.objects.get(user=caseworker)
    response = client.post(expected_page, {"token": _code(device), "next": wanted})
    assert response["Location"] == wanted


@pytest.mark.django_db
@pytest.mark.usefixtures("require_2fa")
@pytest.mark.parametrize("role", [Role.PARENT, Role.YOUNG_PERSON])
def test_families_are_not_asked_for_a_second_factor(client, role):
    user = factories.make_user(role)
    response = _sign_in(client, user)
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200
    assert client.get("/children/").status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("require_2fa")
def test_public_pages_and_sign_out_need_no_second_factor(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/accessibility/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_the_suite_otherwise_runs_with_two_factor_relaxed(client, caseworker, settings):
    assert settings.REQUIRE_STAFF_2FA is False
    client.force_login(caseworker)
    assert client.get("/").status_code == 200


# --- Production refuses to relax it -------------------------------------------------------


def _import_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EVERYCHILD_")}
    clean.pop("DATABASE_URL", None)
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import everychild.settings as s; print('REQUIRE_STAFF_2FA', s.REQUIRE_STAFF_2FA)",
        ],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PRODUCTION = {
    "EVERYCHILD_ENVIRONMENT": "production",
    "EVERYCHILD_SECRET_KEY": "x",
    "EVERYCHILD_ALLOWED_HOSTS": "x",
}


def test_production_refuses_to_relax_two_factor_sign_in():
    result = _import_settings(**PRODUCTION, EVERYCHILD_RELAX_2FA="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EVERYCHILD_RELAX_2FA cannot be used in production" in result.stderr


def test_production_requires_two_factor_sign_in():
    result = _import_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "REQUIRE_STAFF_2FA True" in result.stdout


@pytest.mark.parametrize(
    ("missing_or_bad", "message"),
    [
        ({"EVERYCHILD_SECRET_KEY": ""}, "EVERYCHILD_SECRET_KEY must be set"),
        ({"EVERYCHILD_ALLOWED_HOSTS": ""}, "EVERYCHILD_ALLOWED_HOSTS must be set"),
        ({"EVERYCHILD_DEBUG": "1"}, "EVERYCHILD_DEBUG must be off"),
    ],
)
def test_production_refuses_unsafe_settings(missing_or_bad, message):
    result = _import_settings(**{**PRODUCTION, **missing_or_bad})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_demonstration_may_relax_it():
    result = _import_settings(EVERYCHILD_RELAX_2FA="1")
    assert result.returncode == 0, result.stderr
    assert "REQUIRE_STAFF_2FA False" in result.stdout

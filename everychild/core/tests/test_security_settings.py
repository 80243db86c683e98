"""Production settings hold: `check --deploy` is clean, cookies are secure and HTTP-only, HSTS
is on, framing is denied, unsafe switches are refused at start-up, and common passwords are
refused. Run in separate processes: settings are read once, at start-up."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

REPO = Path(__file__).resolve().parents[3]


def _production_env(tmp_path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process.
        if not key.startswith("EVERYCHILD_")
        and key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        EVERYCHILD_ENVIRONMENT="production",
        EVERYCHILD_SECRET_KEY=secrets.token_urlsafe(60),
        EVERYCHILD_ALLOWED_HOSTS="send.example.gov.uk",
        EVERYCHILD_DATA_DIR=str(tmp_path),
        EVERYCHILD_AUDIT_CHECKPOINT_KEY=secrets.token_urlsafe(40),
        DJANGO_SETTINGS_MODULE="everychild.settings",
    )
    env.update(extra)
    return env


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path)
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_production_cookies_hsts_and_framing(tmp_path):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
        "'CSRF_COOKIE_HTTPONLY', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'DEBUG', "
        "'RELAX_2FA', 'SESSION_IDLE_TIMEOUT_SECONDS')}))"
    )
    done = _run(["-c", script], _production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert not values["DEBUG"] and not values["RELAX_2FA"]
    assert values["SESSION_IDLE_TIMEOUT_SECONDS"] <= 30 * 60


@pytest.mark.parametrize(
    ("switch", "message"),
    [
        ({"EVERYCHILD_RELAX_2FA": "1"}, "EVERYCHILD_RELAX_2FA cannot be used in production"),
        ({"EVERYCHILD_DEBUG": "1"}, "EVERYCHILD_DEBUG must be off in production"),
        ({"EVERYCHILD_SECRET_KEY": ""}, "EVERYCHILD_SECRET_KEY must be set"),
        ({"EVERYCHILD_ALLOWED_HOSTS": ""}, "EVERYCHILD_ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_setting(tmp_path, switch, message):
    done = _run(["manage.py", "check"], _production_env(tmp_path, **switch))
    assert done.returncode != 0
    assert message in done.stderr


@pytest.mark.django_db
def test_every_response_denies_framing_and_sniffing(client):
    response = client.get("/accessibility/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "password", ["password1234", "qwertyuiop123", "123456789012", "iloveyou2024"]
)
def test_common_and_guessable_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_password_is_accepted():
    validate_password("correct horse battery staple")

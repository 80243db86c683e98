"""Issue 17, proof: the identity and audit attacks, run against a production-mode instance
(tests/production_attacks.py in a process of its own: debug off, the second factor required,
HTTPS only, the slow password hasher, a trusted proxy named, a fresh database), each refused:

- the invitation takeover chain (a link for a staff or existing family address cannot set
  its password, sign in or link a child; the messages table keeps no working link);
- the second factor enrolled on first use with the password alone;
- an API token used after its owner's password changed;
- the newest audit entries deleted and the head wound back, found by `audit_verify` against
  the signed checkpoint;
- X-Forwarded-For written by a caller who is not our proxy, not believed by the lock-out.

The settings are read once, at start-up, which is why this runs in a separate process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROXY = "10.0.0.1"


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    data = tmp_path_factory.mktemp("production")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EVERYCHILD_")
        and key not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        EVERYCHILD_ENVIRONMENT="production",
        EVERYCHILD_SECRET_KEY=secrets.token_urlsafe(60),
        EVERYCHILD_ALLOWED_HOSTS="send.example.gov.uk",
        EVERYCHILD_DATA_DIR=str(data),
        EVERYCHILD_AUDIT_CHECKPOINT_KEY=secrets.token_urlsafe(40),
        EVERYCHILD_TRUSTED_PROXIES=PROXY,
        DJANGO_SETTINGS_MODULE="everychild.settings",
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.production_attacks"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [line] = [x for x in done.stdout.splitlines() if x.startswith("RESULTS ")]
    return json.loads(line.removeprefix("RESULTS "))


def test_the_instance_really_is_in_production_mode(results):
    assert results["production"] == {"debug": False, "second_factor": True}


@pytest.mark.parametrize(
    "attack",
    [
        "invitation_takeover",
        "totp_on_first_use",
        "token_after_password_change",
        "audit_truncation",
        "forwarded_for_spoofing",
    ],
)
def test_the_attack_is_refused(results, attack):
    assert results[attack]["refused"], results[attack]["seen"]

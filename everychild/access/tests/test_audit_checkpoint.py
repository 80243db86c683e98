"""The audit log proves its own completeness: a signed checkpoint of the chain head, kept
outside the database, lets `audit_verify` see the attacks the hash chain alone cannot — the
newest entries deleted with the head wound back, or an entry rewritten with every later hash
recomputed — as well as a broken link and a forged checkpoint."""

import io
import json
import logging
import stat

import pytest
from django.core.management import call_command
from django.db import connection

from everychild.access import audit, checkpoint
from everychild.access.apps import audit_checkpoint_key_is_set
from everychild.access.models import AuditEntry
from everychild.access.tests.test_audit import _behind_the_applications_back, _verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpointed(caseworker, child):
    """Four entries, the chain head signed at the fourth, then one more entry."""
    for action in ("view", "update", "view", "view"):
        audit.record(action=action, actor=caseworker, child=child, record=child)
    call_command("audit_checkpoint", stdout=io.StringIO())
    audit.record(action="view", actor=caseworker, child=child, record=child)
    return list(AuditEntry.objects.order_by("seq"))


def _rewind_head_to(seq: int, head_hash: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [seq, head_hash]
        )


def test_an_intact_log_matches_its_checkpoint(checkpointed):
    code, out, err = _verify()
    assert code == 0, err
    assert "Audit log intact: 5 entries" in out
    assert "Matches 1 signed checkpoints, the latest at entry 4" in out


def test_deleting_the_newest_entries_and_winding_back_the_head_is_detected(checkpointed):
    """Without the checkpoint this chain checks: entries 1-2 link, and the head says 2."""
    _behind_the_applications_back("DELETE FROM access_auditentry WHERE seq > 2")
    _rewind_head_to(2, checkpointed[1].hash)
    assert audit.verify_chain().ok  # the chain alone cannot tell
    code, _, err = _verify()
    assert code == 1
    assert "truncated" in err
    assert "vouches for 4 entries but the log ends at entry 2" in err


def test_rewriting_an_entry_and_recomputing_every_later_hash_is_detected(checkpointed):
    entries = checkpointed
    entries[1].reason = "nothing to see"
    prev = entries[0].hash
    for entry in entries[1:]:
        entry.prev_hash = prev
        entry.hash = entry.compute_hash()
        prev = entry.hash
        _behind_the_applications_back(
            "UPDATE access_auditentry SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.reason, entry.prev_hash, entry.hash, entry.seq],
        )
    _rewind_head_to(entries[-1].seq, entries[-1].hash)
    assert audit.verify_chain().ok  # a consistent, rewritten chain
    code, _, err = _verify()
    assert code == 1
    assert "re-hashed: entry 4 does not have the hash signed" in err


def test_a_broken_link_is_still_reported_first(checkpointed):
    _behind_the_applications_back("UPDATE access_auditentry SET reason = 'x' WHERE seq = 2")
    code, _, err = _verify()
    assert code == 1
    assert "broken at entry 2" in err


def test_a_checkpoint_not_signed_with_the_key_is_reported(checkpointed, settings):
    """Someone who can write the file but lacks the key cannot vouch for a shortened log."""
    forged = {"seq": 2, "hash": checkpointed[1].hash, "at": "2026-01-01T00:00:00+00:00"}
    forged["signature"] = "0" * 64
    with open(settings.AUDIT_CHECKPOINT_FILE, "a") as handle:
        handle.write(json.dumps(forged) + "\n")
    code, _, err = _verify()
    assert code == 1
    assert "checkpoint line 2 is not signed with the checkpoint key" in err


def test_the_checkpoint_is_appended_readable_by_the_service_only_and_logged(
    checkpointed, settings, caplog
):
    with caplog.at_level(logging.INFO, logger="everychild.audit.checkpoint"):
        written = checkpoint.write_checkpoint()
    path = settings.AUDIT_CHECKPOINT_FILE
    lines = path.read_text().splitlines()
    assert len(lines) == 2  # the first is still there: appended, not replaced
    assert json.loads(lines[-1])["seq"] == written.seq == 5
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert written.line() in caplog.text


def test_the_scheduled_run_writes_a_checkpoint(checkpointed, settings):
    call_command("run_scheduled_work", stdout=io.StringIO())
    assert len(settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()) == 2
    assert _verify()[0] == 0


def test_outside_production_a_key_is_generated_once_for_the_service_user_only(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = ""
    settings.DATA_DIR = tmp_path / "data"
    checkpoint.write_checkpoint()
    key_file = settings.DATA_DIR / checkpoint.DEV_KEY_NAME
    key = key_file.read_text()
    assert len(key) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    checkpoint.write_checkpoint()
    assert key_file.read_text() == key  # the same key signs the second
    good, bad = checkpoint.read_checkpoints()
    assert (len(good), bad) == (2, [])


def test_production_without_a_checkpoint_key_fails_the_deploy_check(settings):
    settings.PRODUCTION = True
    settings.AUDIT_CHECKPOINT_KEY = ""
    [error] = audit_checkpoint_key_is_set(None)
    assert error.id == "everychild.access.E001"
    settings.AUDIT_CHECKPOINT_KEY = "from-the-environment"
    assert audit_checkpoint_key_is_set(None) == []

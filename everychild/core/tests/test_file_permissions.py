"""Files that hold children's data are readable by the service's own user only: uploaded
documents and the SQLite database (with its write-ahead log) are created 0600, their folders
0700, whatever the shell's umask (UK GDPR art. 32: another account on the server reads
nothing)."""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from everychild.casework import services
from everychild.testing import factories

REPO = Path(__file__).resolve().parents[3]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db
def test_an_uploaded_document_is_readable_by_the_service_only(settings, tmp_path, caseworker, area):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    previous = os.umask(0o022)  # a usual shell umask: files 0644 unless the service says so
    try:
        child = factories.ChildFactory(area=area)
        case = factories.AssessmentRequestFactory(child=child, area=area)
        upload = io.BytesIO(b"%PDF-1.4 a report")
        upload.name = "report.pdf"
        upload.size = len(upload.getvalue())
        document = services.upload_document(actor=caseworker, case=case, upload=upload, title="EP")
    finally:
        os.umask(previous)
    stored = Path(document.file.path)
    assert _mode(stored) == 0o600
    assert _mode(stored.parent) == 0o700


def test_the_sqlite_database_is_created_readable_by_the_service_only(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EVERYCHILD_") and key != "DATABASE_URL"
    }
    env.update(EVERYCHILD_ENVIRONMENT="test", EVERYCHILD_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        # The shell's umask is the usual 022; the service must not depend on it.
        ["sh", "-c", f"umask 022 && {sys.executable} manage.py migrate --no-input"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    database = tmp_path / "data" / "everychild.sqlite3"
    assert database.exists()
    for path in database.parent.glob("everychild.sqlite3*"):
        assert _mode(path) == 0o600, path

"""Backup and restore, as docs/operations.md tells an operator to do it: pg_dump in custom
format, pg_restore into a freshly created database, then the restored copy must hold every
row and its audit log must verify. Runs only on PostgreSQL (the embedded SQLite database is
backed up by copying one file)."""

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from everychild.access.checkpoint import write_checkpoint
from everychild.access.models import AuditEntry
from everychild.demo.seed import seed_demo_area

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 27)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in {"postgres", "postgresql"},
    reason="backup and restore is tested on PostgreSQL only (set DATABASE_URL=postgres://...)",
)


def _libpq_env(settings_dict: dict) -> dict[str, str]:
    """pg_dump and pg_restore read the server's address from the standard PG* variables."""
    env = dict(os.environ)
    env.update(
        PGHOST=settings_dict.get("HOST") or "127.0.0.1",
        PGPORT=str(settings_dict.get("PORT") or 5432),
        PGUSER=settings_dict.get("USER") or "postgres",
    )
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _row_counts(dbname: str, settings_dict: dict) -> dict[str, int]:
    import psycopg

    params = {
        "host": settings_dict.get("HOST") or "127.0.0.1",
        "port": settings_dict.get("PORT") or 5432,
        "user": settings_dict.get("USER") or "postgres",
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": dbname,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def _admin_execute(sql: str, settings_dict: dict) -> None:
    import psycopg

    with psycopg.connect(
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or 5432,
        user=settings_dict.get("USER") or "postgres",
        password=settings_dict.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def _database_url(dbname: str, settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD")
    credentials = f"{user}:{password}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{dbname}"


def _manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    # The command checks the restored chain against this test's own signed checkpoints, not
    # whatever a `make run` in the same checkout left in var/.
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        EVERYCHILD_ENVIRONMENT="test",
        EVERYCHILD_AUDIT_CHECKPOINT_FILE=str(settings.AUDIT_CHECKPOINT_FILE),
        EVERYCHILD_AUDIT_CHECKPOINT_KEY=settings.AUDIT_CHECKPOINT_KEY,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_holds_every_row_and_its_audit_verifies(tmp_path):
    # CI installs postgresql-client (.ci/run): without pg_dump this is a broken machine, not
    # a reason to skip.
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "postgresql-client missing"
    seeded = seed_demo_area(seed=5, password="restore-password-1", scale=0.02, today=TODAY)
    assert seeded.created
    assert AuditEntry.objects.count() > 100
    # The head is signed before the backup, so the restore is checked for truncation too.
    write_checkpoint()

    source = connection.settings_dict
    source_db = source["NAME"]
    restored_db = f"{source_db}_restored"
    dump = tmp_path / "everychild.dump"
    env = _libpq_env(source)

    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source_db],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert dump.stat().st_size > 10_000

    _admin_execute(f'DROP DATABASE IF EXISTS "{restored_db}"', source)
    _admin_execute(f'CREATE DATABASE "{restored_db}"', source)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_db}", str(dump)],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )

        before = _row_counts(source_db, source)
        after = _row_counts(restored_db, source)
        assert after == before
        # The tables that matter hold what the seed wrote, not just matching zeros.
        assert after["children_child"] > 50
        assert after["casework_assessmentrequest"] > 50
        assert after["access_auditentry"] == AuditEntry.objects.count()

        restored_url = _database_url(restored_db, source)
        migrations = _manage("migrate", "--check", database_url=restored_url)
        assert migrations.returncode == 0, migrations.stdout + migrations.stderr
        verified = _manage("audit_verify", database_url=restored_url)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert f"Audit log intact: {before['access_auditentry']} entries" in verified.stdout
    finally:
        _admin_execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)', source)

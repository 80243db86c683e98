"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log, so even a
bug or a manual query through the application's connection cannot rewrite history.
(SQLite, the demonstration database, relies on the application guards and the hash chain:
its test-suite flushes tables with DELETE, which such a trigger would block.)"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION everychild_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON access_auditentry;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON access_auditentry
    FOR EACH ROW EXECUTE FUNCTION everychild_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON access_auditentry;
DROP FUNCTION IF EXISTS everychild_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("access", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

"""Whether anything the measures read has changed, in one small query (decision 0270).

Every statement that inserts, updates or deletes rows of a table the area's data is read from
(dataset.watched_tables: cases, plans, advice, exceptions, reviews, disagreements, children,
organisations, transfers) fires a database trigger that adds a row to `performance_change`.
Triggers, not signals: a QuerySet.update(), a bulk_create, a delete, a migration's data step or
raw SQL all change the rows without a signal, and a trigger sees every one of them.

`stamp()` is the log's count, newest id and newest token. It is read BEFORE the data, so the
data read is at least as new as the stamp; any change committed later adds a row the next
stamp counts (a count, not only the newest id: transactions commit out of id order). The
triggers are (re)installed after every `migrate` (apps.py), because SQLite drops a table's
triggers when a migration rebuilds the table.
"""

from __future__ import annotations

from django.db import connections, transaction

TABLE = "performance_change"
# The log is pruned when it grows past this many rows (the pruning adds a row of its own, so
# the stamp changes and the data is read afresh once).
PRUNE_AT = 5_000

# A random token for each row, as each database makes one.
_PG_INSERT = (
    "INSERT INTO performance_change (token) VALUES (md5(random()::text || clock_timestamp()::text))"
)
_SQLITE_INSERT = "INSERT INTO performance_change (token) VALUES (lower(hex(randomblob(16))))"
_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION performance_note_change() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN " + _PG_INSERT + "; RETURN NULL; END $$"
)


def _statements(vendor: str, table: str) -> list[str]:
    quoted = f'"{table}"'
    if vendor == "postgresql":
        # One row per statement (however many rows it touched): no row lock shared between
        # writers, so no waiting and no deadlock.
        return [
            f"CREATE OR REPLACE TRIGGER performance_change AFTER INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION performance_note_change()"
        ]
    if vendor == "sqlite":
        # SQLite has row triggers only.
        return [
            f"CREATE TRIGGER IF NOT EXISTS performance_change_{table}_{event.lower()} "
            f"AFTER {event} ON {quoted} FOR EACH ROW BEGIN {_SQLITE_INSERT}; END"
            for event in ("INSERT", "UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"No change triggers for {vendor}")


def install(tables, using: str = "default") -> list[str]:
    """Put the triggers on every table that exists, and take them off any table no longer
    watched; returns the tables given them."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return []
    tables = set(tables)
    done = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table, trigger in _installed(cursor, connection.vendor):
            if table not in tables:
                cursor.execute(_drop(connection.vendor, table, trigger))
        for table in sorted(tables):
            if table not in existing:
                continue
            for sql in _statements(connection.vendor, table):
                cursor.execute(sql)
            done.append(table)
    return done


def _installed(cursor, vendor: str) -> list[tuple[str, str]]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers "
            "WHERE trigger_name = 'performance_change'"
        )
    else:
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE 'performance_change_%'"
        )
    return list(cursor.fetchall())


def _drop(vendor: str, table: str, trigger: str) -> str:
    if vendor == "postgresql":
        return f'DROP TRIGGER IF EXISTS {trigger} ON "{table}"'
    return f'DROP TRIGGER IF EXISTS "{trigger}"'


def stamp(using: str = "default") -> tuple:
    """(count, newest id, newest token) of the change log: different whenever a watched table
    has changed since the last stamp was read."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), max(id), "
            "(SELECT token FROM performance_change ORDER BY id DESC LIMIT 1) "
            "FROM performance_change"
        )
        count, newest, token = cursor.fetchone()
        if count <= PRUNE_AT:
            return (count, newest, token)
    prune(using)
    return stamp(using)


def prune(using: str = "default") -> None:
    """Keep the log short: add a row, then delete every older row this transaction can see
    (a change still uncommitted keeps its row, and counts when it commits)."""
    connection = connections[using]
    insert = _SQLITE_INSERT if connection.vendor == "sqlite" else _PG_INSERT
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(insert + " RETURNING id")
        (mine,) = cursor.fetchone()
        cursor.execute("DELETE FROM performance_change WHERE id < %s", [mine])

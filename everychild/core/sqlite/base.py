"""Django's SQLite backend, keeping the planner's table statistics (sqlite_stat1) current.

Without statistics SQLite cannot tell a selective index from a poor one: asked for one
caseworker's cases of an area it reads them through the area's index (every case of the
area, thousands) rather than the caseworker's, once per related table of the My tasks list.
PostgreSQL keeps its own statistics (autovacuum); SQLite gathers them only when told
(https://sqlite.org/lang_analyze.html). So: a database never analysed is analysed when first
opened, and each connection runs `PRAGMA optimize` as it closes, which re-analyses the tables
it used whose statistics are missing or stale (the tables have grown). `analysis_limit`
bounds each to a sample of rows per index, a few milliseconds however large the tables."""

import contextlib

from django.db.backends.sqlite3 import base

#: Rows sampled per index when analysing (SQLite's recommended order of magnitude).
ANALYSIS_LIMIT = 400


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        analysed = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).fetchone()
        if analysed is None:
            # Busy (another process writing): the next connection will try again.
            with contextlib.suppress(self.Database.OperationalError):
                conn.execute("ANALYZE")
        return conn

    def _close(self):
        if self.connection is not None:
            with contextlib.suppress(self.Database.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()

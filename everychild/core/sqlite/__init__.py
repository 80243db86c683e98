"""The embedded SQLite database, with the table statistics its query planner needs
(docs/decisions/0235-sqlite-planner-statistics.md)."""

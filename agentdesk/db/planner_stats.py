"""Planner statistics after a big load, so the database keeps choosing the small indexes."""

from __future__ import annotations

from sqlalchemy import Engine


def analyze(engine: Engine, table: str) -> None:
    """Refresh the planner statistics of ``table`` after a big load.

    A bulk load rebuilds the indexes and SQLite then has no statistics for them; without them
    it reads "entries assigned to someone" through the pick index (seconds) instead of the
    small partial index (well under a millisecond). ``analysis_limit`` keeps SQLite's ANALYZE
    to a sample: a few milliseconds for a million rows.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=400")
            conn.exec_driver_sql(f'ANALYZE "{table}"')
            conn.exec_driver_sql("PRAGMA analysis_limit=0")
        else:
            conn.exec_driver_sql(f'ANALYZE "{table}"')

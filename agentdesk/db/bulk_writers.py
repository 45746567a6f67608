"""The two bulk writers: raw ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Both format values the way SQLAlchemy stores them (see :mod:`agentdesk.db.bulk`) and, for a
load of more than :data:`DEFER_INDEXES_ABOVE` rows, drop the table's secondary indexes and
build them again in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from agentdesk.db.uuid_text import dashed_uuid, hex_uuid

SQLITE_BATCH_ROWS = 20_000
ROWS_PER_INSERT = 50
_MAX_PARAMETERS = 999
"""SQLite's limit on parameters per statement before 3.32 (a system library may be older)."""
DEFER_INDEXES_ABOVE = 50_000
"""Loads of more rows than this rebuild the table's secondary indexes instead of updating them."""

TableRows = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
"""``(table, columns, rows)`` for :meth:`agentdesk.db.bulk.BulkWriter.write`'s ``then``."""


def _literal(value: Any) -> str:
    """A constant as SQL text: only the None, int and str values the formatters produce."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def insert_sql(
    table: str, columns: Sequence[str], constants: Mapping[str, Any] | None, rows: int = 1
) -> str:
    """SQLite INSERT of ``rows`` rows with constants written into the statement.

    Binding a parameter costs about as much as the row's share of the insert itself: half of
    a campaign entry's 27 columns are the same for every row.
    """
    names = [f'"{c}"' for c in columns]
    values = ["?"] * len(columns)
    for name, value in (constants or {}).items():
        names.append(f'"{name}"')
        values.append(_literal(value))
    row = f"({', '.join(values)})"
    return f'INSERT INTO "{table}" ({", ".join(names)}) VALUES {", ".join([row] * rows)}'


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


_NOT_NULL_WHERE = re.compile(r'\bWHERE\s+"?(\w+)"?\s+IS\s+NOT\s+NULL\s*$', re.IGNORECASE)


def _skips_every_row(ddl: str, constants: Mapping[str, Any] | None) -> bool:
    """True for a partial index ``WHERE col IS NOT NULL`` with ``col`` NULL in every row.

    None of the rows enter such an index, so it stays in place: rebuilding it would scan the
    whole table for nothing (a fill from a file sets no contact, lead or agent).
    """
    found = _NOT_NULL_WHERE.search(ddl)
    if found is None or not constants or found.group(1) not in constants:
        return False
    return constants[found.group(1)] is None


class SqliteWriter:
    """:class:`~agentdesk.db.bulk.BulkWriter` on a raw ``sqlite3`` connection."""

    dialect = "sqlite"
    uuid = staticmethod(hex_uuid)
    day = staticmethod(_day)

    def __init__(self, dbapi: Any) -> None:
        self._db = dbapi

    @staticmethod
    def ts(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat(" ", "microseconds")

    @staticmethod
    def flag(value: bool) -> int:
        return 1 if value else 0

    @staticmethod
    def money(value: Decimal | None) -> float | None:
        # SQLAlchemy binds Numeric as float on SQLite (no native decimal) and reads it back
        # as a Decimal rounded to the column's scale.
        return None if value is None else float(value)

    def write(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        expected: int,
        constants: Mapping[str, Any] | None = None,
        then: Callable[[], Iterable[TableRows]] | None = None,
        keep: Collection[str] = (),
    ) -> int:
        sql = insert_sql(table, columns, constants)
        cursor = self._db.cursor()
        written = 0
        cursor.execute("BEGIN")
        try:
            indexes: list[tuple[str, str]] = []
            if expected > DEFER_INDEXES_ABOVE:
                indexes = [
                    (name, ddl)
                    for name, ddl in cursor.execute(
                        "SELECT name, sql FROM sqlite_master "
                        "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                        (table,),
                    ).fetchall()
                    if name not in keep and not _skips_every_row(ddl, constants)
                ]
                for name, _sql in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
            # Several rows per INSERT: a statement step per row costs more than its binding.
            per_insert = max(1, min(ROWS_PER_INSERT, _MAX_PARAMETERS // max(1, len(columns))))
            many_sql = insert_sql(table, columns, constants, per_insert)
            iterator = iter(rows)
            while batch := list(islice(iterator, SQLITE_BATCH_ROWS)):
                whole = len(batch) - len(batch) % per_insert
                # One flat list of values, cut into one slice per INSERT (both in C). The cuts
                # would shift values across columns after a row of another width.
                if whole and set(map(len, batch[:whole])) != {len(columns)}:
                    raise ValueError(f"rows for {table} must have {len(columns)} values each")
                flat = list(chain.from_iterable(batch[:whole]))
                step = per_insert * len(columns)
                cursor.executemany(
                    many_sql, [flat[at : at + step] for at in range(0, len(flat), step)]
                )
                cursor.executemany(sql, batch[whole:])  # the rest, one row per INSERT
                written += len(batch)
            for other, other_columns, other_rows in then() if then else ():
                cursor.executemany(insert_sql(other, other_columns, None), other_rows)
            for _name, ddl in indexes:
                cursor.execute(ddl)
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        finally:
            cursor.close()
        return written

    def analyze(self) -> None:
        self._db.execute("ANALYZE")


class PostgresWriter:
    """:class:`~agentdesk.db.bulk.BulkWriter` on a raw ``psycopg`` connection."""

    dialect = "postgresql"
    uuid = staticmethod(dashed_uuid)
    day = staticmethod(_day)

    def __init__(self, dbapi: Any) -> None:
        self._db = dbapi
        self._fk_checks_off = False

    @staticmethod
    def ts(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat(" ", "microseconds") + "+00"

    @staticmethod
    def flag(value: bool) -> bool:
        return value

    @staticmethod
    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def _begin(self, cursor: Any) -> None:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # The generator's rows are consistent by construction; per-row FK triggers would
        # double the load time. Only a superuser may switch them off, so try and move on.
        cursor.execute("SAVEPOINT fk")
        try:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("RELEASE SAVEPOINT fk")
        except Exception:
            cursor.execute("ROLLBACK TO SAVEPOINT fk")

    def write(
        self,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        expected: int,
        constants: Mapping[str, Any] | None = None,
        then: Callable[[], Iterable[TableRows]] | None = None,
        keep: Collection[str] = (),
    ) -> int:
        written = 0
        fixed = tuple((constants or {}).values())
        columns = [*columns, *(constants or {})]
        with self._db.transaction(), self._db.cursor() as cursor:
            self._begin(cursor)
            indexes: list[tuple[str, str]] = []
            if expected > DEFER_INDEXES_ABOVE:
                cursor.execute(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary "
                    "AND NOT i.indisunique",
                    (table,),
                )
                indexes = [(name, ddl) for name, ddl in cursor.fetchall() if name not in keep]
                for name, _ddl in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
            with cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, *fixed) if fixed else row)
                    written += 1
            for other, other_columns, other_rows in then() if then else ():
                names = ", ".join(f'"{c}"' for c in other_columns)
                with cursor.copy(f'COPY "{other}" ({names}) FROM STDIN') as copy:
                    for row in other_rows:
                        copy.write_row(row)
            for _name, ddl in indexes:
                cursor.execute(ddl)
        return written

    def analyze(self) -> None:
        with self._db.transaction(), self._db.cursor() as cursor:
            cursor.execute("ANALYZE")

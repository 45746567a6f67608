"""Fast bulk loading below the ORM: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Rows are written in the exact on-disk form SQLAlchemy itself uses, so the ORM reads them back
unchanged: on SQLite a ``Uuid`` is 32 lowercase hex digits and an aware datetime is naive UTC
text ``YYYY-MM-DD HH:MM:SS.ffffff``; on PostgreSQL they are ``uuid`` and ``timestamptz``.

Large loads drop a table's secondary indexes and build them again afterwards, inside the same
transaction (both engines have transactional DDL), because sorting once is far cheaper than
millions of random B-tree inserts. A failed load therefore leaves the table as it was. The
writers themselves are in :mod:`agentdesk.db.bulk_writers`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from agentdesk.db.bulk_writers import (
    SQLITE_BATCH_ROWS,
    PostgresWriter,
    SqliteWriter,
    TableRows,
    insert_sql,
)
from agentdesk.domain.ids import uuid7

REBUILD_INDEXES_ABOVE = 20_000
""":func:`append_rows` of more rows than this (and than the table holds) rebuilds indexes."""


class BulkWriter(Protocol):
    """Formats values the way SQLAlchemy stores them and appends rows to one table at a time.

    ``ts`` takes a *naive UTC* datetime (the generator works in naive UTC for speed).
    """

    dialect: str

    def uuid(self, value: int) -> str: ...
    def ts(self, value: datetime | None) -> str | None: ...
    def flag(self, value: bool) -> Any: ...
    def day(self, value: date | None) -> str | None: ...
    def money(self, value: Decimal | None) -> Any: ...

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
        """Append ``rows`` to ``table`` in one transaction; returns how many were written.

        ``expected`` (an estimate is fine) decides whether the secondary indexes are rebuilt.
        ``constants`` are columns with one value for every row (in this writer's form).
        ``then`` gives rows for other tables once ``rows`` is exhausted (``rows`` may be a
        generator that learns them on the way); they are written in the same transaction.
        Indexes named in ``keep`` are updated row by row even in a big load: those the rows
        enter at a few places only (one campaign's entries) cost less than a rebuild.
        """
        ...

    def analyze(self) -> None:
        """Refresh planner statistics after a load (the planner needs them to pick indexes)."""
        ...


@dataclass(frozen=True, slots=True)
class RowFormat:
    """The on-disk form of UUIDs (as ints) and naive-UTC datetimes for one dialect."""

    dialect: str
    uuid: Callable[[int], str]
    ts: Callable[[datetime | None], str | None]


def row_format(dialect: str) -> RowFormat:
    """How :func:`append_rows` wants values on ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return RowFormat(dialect, SqliteWriter.uuid, SqliteWriter.ts)
    if dialect == "postgresql":
        return RowFormat(dialect, PostgresWriter.uuid, PostgresWriter.ts)
    raise ValueError(f"bulk loading is not supported on {dialect}")


def id_block() -> Iterator[int]:
    """Version-7 UUIDs (as ints) for one load, ~20x cheaper than ``uuid7()`` per row.

    One fresh ``uuid7()`` supplies the timestamp, version, variant and 22 random bits; the low
    40 bits then count up. The ids stay time-ordered and unique within the load; the primary
    key guards the (astronomically unlikely) clash with another process's ids.
    """
    base = id_block_base()
    return (base | n for n in itertools.count())


def id_block_base() -> int:
    """:func:`id_block`'s first id: a fresh ``uuid7()`` with its low 40 bits zero."""
    return uuid7().int & ~((1 << 40) - 1)


def append_rows(
    connection: Connection,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    constants: Mapping[str, Any] | None = None,
) -> None:
    """Insert ``rows`` (values in :func:`row_format` form) inside ``connection``'s transaction.

    Below the ORM and Core: no per-row bind processing, which cost more than the insert itself.
    On SQLite a load bigger than the table rebuilds its indexes (in the same transaction, so a
    failure leaves them as they were). A database error is raised as SQLAlchemy's
    ``DBAPIError`` like a Core insert would.
    """
    if not rows:
        return
    dbapi: Any = connection.connection.driver_connection
    error = connection.dialect.loaded_dbapi.Error
    if connection.dialect.name == "postgresql":
        fixed = tuple((constants or {}).values())
        names = ", ".join(f'"{c}"' for c in [*columns, *(constants or {})])
        statement = f'COPY "{table}" ({names}) FROM STDIN'
        try:
            with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row((*row, *fixed) if fixed else row)
        except error as exc:
            raise DBAPIError.instance(statement, None, exc, error) from exc
        return
    statement = insert_sql(table, columns, constants)
    cursor = dbapi.cursor()
    try:
        indexes: list[tuple[str, str]] = []
        if len(rows) > REBUILD_INDEXES_ABOVE:
            (existing,) = cursor.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            if len(rows) > existing:
                # Sorting once beats a random B-tree insert per row and index; with more rows
                # already there, the rebuild would cost more than it saves. SQLite only: on
                # PostgreSQL a DROP INDEX would block every reader of the table until commit.
                indexes = cursor.execute(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                    (table,),
                ).fetchall()
                for name, _sql in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
        for start in range(0, len(rows), SQLITE_BATCH_ROWS):
            cursor.executemany(statement, rows[start : start + SQLITE_BATCH_ROWS])
        for _name, ddl in indexes:
            cursor.execute(ddl)
    except error as exc:
        raise DBAPIError.instance(statement, None, exc, error) from exc
    finally:
        cursor.close()


@contextmanager
def bulk_writer(engine: Engine) -> Iterator[BulkWriter]:
    """A writer on one raw DBAPI connection of ``engine`` (returned to the pool afterwards)."""
    fairy = engine.raw_connection()
    try:
        dbapi: Any = fairy.driver_connection
        if engine.dialect.name == "sqlite":
            saved_isolation = dbapi.isolation_level
            dbapi.isolation_level = None  # we issue BEGIN/COMMIT ourselves
            dbapi.execute("PRAGMA synchronous=OFF")
            dbapi.execute("PRAGMA foreign_keys=OFF")  # rows are consistent by construction
            dbapi.execute("PRAGMA cache_size=-1048576")  # 1 GiB for the index rebuilds
            try:
                yield SqliteWriter(dbapi)
            finally:
                dbapi.execute("PRAGMA synchronous=NORMAL")
                dbapi.execute("PRAGMA foreign_keys=ON")
                dbapi.execute("PRAGMA cache_size=-65536")
                dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                dbapi.isolation_level = saved_isolation
        elif engine.dialect.name == "postgresql":
            saved_autocommit = dbapi.autocommit
            dbapi.autocommit = True  # each write() is its own explicit transaction block
            try:
                yield PostgresWriter(dbapi)
            finally:
                dbapi.autocommit = saved_autocommit
        else:
            raise ValueError(f"bulk loading is not supported on {engine.dialect.name}")
    finally:
        fairy.close()

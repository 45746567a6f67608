"""Fast bulk loading below the ORM: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Rows are written in the exact on-disk form SQLAlchemy itself uses, so the ORM reads them back
unchanged: on SQLite a ``Uuid`` is 32 lowercase hex digits and an aware datetime is naive UTC
text ``YYYY-MM-DD HH:MM:SS.ffffff``; on PostgreSQL they are ``uuid`` and ``timestamptz``.

Large loads drop a table's secondary indexes and build them again afterwards, inside the same
transaction (both engines have transactional DDL), because sorting once is far cheaper than
millions of random B-tree inserts. A failed load therefore leaves the table as it was.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any, Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from agentdesk.db.uuid_text import dashed_uuid as _dashed_uuid
from agentdesk.db.uuid_text import hex_uuid as _hex_uuid
from agentdesk.domain.ids import uuid7

SQLITE_BATCH_ROWS = 20_000
ROWS_PER_INSERT = 50
_MAX_PARAMETERS = 999
"""SQLite's limit on parameters per statement before 3.32 (a system library may be older)."""
DEFER_INDEXES_ABOVE = 50_000
"""Loads of more rows than this rebuild the table's secondary indexes instead of updating them."""
REBUILD_INDEXES_ABOVE = 20_000
""":func:`append_rows` of more rows than this (and than the table holds) rebuilds indexes."""


TableRows = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
"""``(table, columns, rows)`` for :meth:`BulkWriter.write`'s ``then``."""


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


def _literal(value: Any) -> str:
    """A constant as SQL text: only the None, int and str values the formatters produce."""
    if value is None:
        return "NULL"
    if isinstance(value, bool | int):
        return str(int(value))
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def _insert_sql(
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


class _SqliteWriter:
    dialect = "sqlite"
    uuid = staticmethod(_hex_uuid)
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
        sql = _insert_sql(table, columns, constants)
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
            many_sql = _insert_sql(table, columns, constants, per_insert)
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
                cursor.executemany(_insert_sql(other, other_columns, None), other_rows)
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


class _PostgresWriter:
    dialect = "postgresql"
    uuid = staticmethod(_dashed_uuid)
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


@dataclass(frozen=True, slots=True)
class RowFormat:
    """The on-disk form of UUIDs (as ints) and naive-UTC datetimes for one dialect."""

    dialect: str
    uuid: Callable[[int], str]
    ts: Callable[[datetime | None], str | None]


def row_format(dialect: str) -> RowFormat:
    """How :func:`append_rows` wants values on ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return RowFormat(dialect, _SqliteWriter.uuid, _SqliteWriter.ts)
    if dialect == "postgresql":
        return RowFormat(dialect, _PostgresWriter.uuid, _PostgresWriter.ts)
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
    statement = _insert_sql(table, columns, constants)
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
                yield _SqliteWriter(dbapi)
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
                yield _PostgresWriter(dbapi)
            finally:
                dbapi.autocommit = saved_autocommit
        else:
            raise ValueError(f"bulk loading is not supported on {engine.dialect.name}")
    finally:
        fairy.close()

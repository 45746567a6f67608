"""The screen-pop statement for PostgreSQL: owners and every history part in one round trip.

On a server every round trip costs a wake-up of two processes, which on a busy two-core
machine is what decides the 95th percentile, not the index walks (0.1-0.3 ms in all). So the
owners of the number and their histories travel in one statement: the owners as a CTE, each
one joined ``LATERAL`` to a UNION ALL of small ``ORDER BY ... LIMIT`` parts. Its text never
changes, so psycopg prepares it once per connection and the server stops planning it.

The rows of each part are chosen by the rules of :mod:`agentdesk.crm.lookup.history`, the
same builders as the portable path; only the columns and the correlation differ here.

SQLite has no ``LATERAL``; it runs in-process, where a second statement costs microseconds,
and keeps the two-statement path in :mod:`agentdesk.crm.lookup.caller`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    cast,
    func,
    literal_column,
    null,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Connection, Dialect

from agentdesk.crm.lookup import history
from agentdesk.crm.lookup.pop_rows import (
    CALLBACKS,
    CALLS,
    CASES,
    COLUMN_TYPES,
    OPPORTUNITIES,
    part_values,
)

PART_COLUMNS = ("part", *COLUMN_TYPES)


def build_statement(
    owners: Select[Any], owners_order: tuple[ColumnElement[Any], ...]
) -> Select[Any]:
    """Owners (``owners`` plus their ordinal in ``owners_order``) left-joined to their history
    rows, each part selected by the rules of :mod:`agentdesk.crm.lookup.history`.

    An owner with no history comes back once, with a NULL ``part``.
    """
    first = True

    def columns(part: int) -> list[ColumnElement[Any]]:
        # The first branch names and types the union's columns; the others stay short (plain
        # NULLs take the other branches' types), which keeps the text under psycopg's 4 KiB
        # query cache limit: above it psycopg re-parses the statement on every execution.
        nonlocal first
        values = part_values(part, tables)
        shape: list[ColumnElement[Any]] = [literal_column(str(part)).label("part")]
        for name, type_ in COLUMN_TYPES.items():
            value = values.get(name)
            if value is not None:
                shape.append(type_coerce(value, type_).label(name) if first else value)
            else:
                shape.append(cast(null(), type_).label(name) if first else null())
        first = False
        return shape

    o = owners.add_columns(func.row_number().over(order_by=owners_order).label("ord")).cte("o")
    # Short aliases: the statement's length matters (see ``columns`` above).
    t = history.TABLES
    tables = history.HistoryTables(
        calls=t.calls.alias("k"),
        dispositions=t.dispositions.alias("d"),
        cases=t.cases.alias("sc"),
        opportunities=t.opportunities.alias("op"),
        callbacks=t.callbacks.alias("cb"),
        contacts=t.contacts.alias("pc"),
    )
    # Every kind's owner columns are there; those of the other kinds are NULL and match nothing.
    party = history.Party(
        contact=o.c.c_id, lead=o.c.l_id, account=o.c.a_id, contact_account=o.c.c_account_id
    )
    # One owner column is set per row, so one OR'ed branch per kind of history: a few index
    # probes and a sort of a handful of rows each, and a shorter statement. Callbacks take two
    # branches: a person's own, and an account's people's (an IN over its contacts).
    parts = [
        history.calls_part(tables, party, columns(CALLS), o),  # first: names the columns
        history.cases_part(tables, party, columns(CASES), o),
        history.opportunities_part(tables, party, columns(OPPORTUNITIES), o),
        history.callbacks_part(
            tables, history.Party(contact=o.c.c_id, lead=o.c.l_id), columns(CALLBACKS), o
        ),
        history.callbacks_part(tables, history.Party(account=o.c.a_id), columns(CALLBACKS), o),
    ]
    h = union_all(*(part for part in parts if part is not None)).lateral("h")
    return (
        select(o, *(h.c[name] for name in PART_COLUMNS))
        .select_from(o.outerjoin(h, true()))
        .order_by(o.c.ord)
    )


@dataclass(frozen=True)
class RawStatement:
    """A statement compiled once for one dialect and run on the driver's cursor.

    For the screen pop's one statement, SQLAlchemy's execution and result layers cost about
    as much as the server's work (describing 28 columns per execution, processing every
    value), so the pinned PostgreSQL connection runs it on psycopg directly. The statement's
    values need no conversion: strings, integers, aware UTC datetimes, UUIDs, and the
    connection's time zone is UTC (see :mod:`agentdesk.db.pinned`).
    """

    sql: str
    names: tuple[str, ...]

    @classmethod
    def compile(cls, statement: Select[Any], dialect: Dialect) -> RawStatement:
        compiled = statement.compile(dialect=dialect)
        if "POSTCOMPILE" in str(compiled):
            raise ValueError("a statement with expanding parameters cannot run raw")
        return cls(str(compiled), tuple(compiled.params))

    def fetch(self, conn: Connection, params: dict[str, Any]) -> list[Any]:
        missing = set(self.names) - params.keys()
        if missing:
            raise ValueError(f"missing parameters: {sorted(missing)}")
        from psycopg.rows import namedtuple_row  # only PostgreSQL desks pay for the import

        driver: Any = conn.connection.driver_connection
        with driver.cursor(row_factory=namedtuple_row) as cursor:
            cursor.execute(self.sql, params, prepare=True)
            return list(cursor.fetchall())

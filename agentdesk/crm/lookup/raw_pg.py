"""The screen-pop statement for PostgreSQL: owners and every history part in one round trip.

On a server every round trip costs a wake-up of two processes, which on a busy two-core
machine is what decides the 95th percentile, not the index walks (0.1-0.3 ms in all). So the
owners of the number and their histories travel in one statement: the owners as a CTE, each
one joined ``LATERAL`` to a UNION ALL of small ``ORDER BY ... LIMIT`` parts. Its text never
changes, so psycopg prepares it once per connection and the server stops planning it.

SQLite has no ``LATERAL``; it runs in-process, where a second statement costs microseconds,
and keeps the two-statement path in :mod:`agentdesk.crm.lookup.caller`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Connection, Dialect

from agentdesk.db.base import UtcDateTime
from agentdesk.domain.enums import OPEN_CASE_STATUSES, OPEN_OPPORTUNITY_STAGES, CallbackStatus

T = TypeVar("T")
_CONSTANT = re.compile(r"[a-z_]+")

PART_COLUMNS = ("part", "id", "ts", "s1", "s2", "s3", "num", "amount", "day", "ref")


def build_statement(
    owners: Select[Any],
    owners_order: tuple[ColumnElement[Any], ...],
    tables: dict[str, Table],
    column_types: dict[str, Any],
    priority_rank: dict[str, int],
    parts: tuple[int, int, int, int],
) -> Select[Any]:
    """Owners (``owners`` plus their ordinal in ``owners_order``) left-joined to their history
    rows.

    ``column_types`` are the shared union columns and their types; an owner with no history
    comes back once, with a NULL ``part``.
    """
    first = True

    def columns(part: int, **values: ColumnElement[Any]) -> list[ColumnElement[Any]]:
        # The first branch names and types the union's columns; the others stay short (plain
        # NULLs take the other branches' types), which keeps the text under psycopg's 4 KiB
        # query cache limit: above it psycopg re-parses the statement on every execution.
        nonlocal first
        shape: list[ColumnElement[Any]] = [literal_column(str(part)).label("part")]
        for name, type_ in column_types.items():
            value = values.get(name)
            if value is not None:
                shape.append(type_coerce(value, type_).label(name) if first else value)
            else:
                shape.append(cast(null(), type_).label(name) if first else null())
        first = False
        return shape

    calls_part, cases_part, opportunities_part, callbacks_part = parts
    o = owners.add_columns(func.row_number().over(order_by=owners_order).label("ord")).cte("o")
    # Short aliases: the statement's length matters (see ``columns`` below).
    calls, dispositions = tables["calls"].alias("k"), tables["dispositions"].alias("d")
    cases, opportunities = tables["service_cases"].alias("sc"), tables["opportunities"].alias("op")
    callbacks, contacts = tables["callbacks"].alias("cb"), tables["contacts"].alias("pc")

    cl = calls.c
    calls_of_owner = (
        select(
            *columns(
                calls_part,
                id=cl.id,
                ts=cl.started_at,
                s1=cl.direction,
                s2=dispositions.c.code,
                s3=cl.notes,
                num=cl.talk_seconds,
            )
        )
        .select_from(calls)
        .outerjoin(dispositions, dispositions.c.id == cl.disposition_id)
        .where(
            or_(cl.contact_id == o.c.c_id, cl.lead_id == o.c.l_id, cl.account_id == o.c.a_id),
            cl.deleted_at.is_(None),
        )
        .order_by(cl.started_at.desc(), cl.id.desc())
        .limit(bindparam("calls_limit", type_=Integer))
        .correlate(o)
    )

    def account_scope(contact: ColumnElement[Any], account: ColumnElement[Any]) -> Any:
        # A contact's rows plus its account's; an account's own rows. Leads have none, and the
        # NULL owner columns of the other kinds match nothing.
        return or_(contact == o.c.c_id, account == o.c.c_account_id, account == o.c.a_id)

    sc = cases.c
    rank = case(
        {constant(k): literal_column(str(v)) for k, v in priority_rank.items()},
        value=sc.priority,
        else_=literal_column(str(len(priority_rank))),
    )
    open_cases = (
        select(
            *columns(
                cases_part, id=sc.id, ts=sc.due_at, s1=sc.subject, s2=sc.status, s3=sc.priority
            )
        )
        .where(
            account_scope(sc.contact_id, sc.account_id),
            sc.status.in_([constant(s.value) for s in OPEN_CASE_STATUSES]),
            sc.deleted_at.is_(None),
        )
        .order_by(rank, sc.due_at.asc().nulls_last(), sc.id)
        .limit(bindparam("open_limit", type_=Integer))
        .correlate(o)
    )
    op = opportunities.c
    open_deals = (
        select(
            *columns(
                opportunities_part,
                id=op.id,
                s1=op.name,
                s2=op.stage,
                amount=op.amount,
                day=op.close_date,
            )
        )
        .where(
            account_scope(op.contact_id, op.account_id),
            op.stage.in_([constant(s.value) for s in OPEN_OPPORTUNITY_STAGES]),
            op.deleted_at.is_(None),
        )
        .order_by(op.close_date.asc().nulls_last(), op.id)
        .limit(bindparam("open_limit", type_=Integer))
        .correlate(o)
    )

    def callbacks_where(scope: ColumnElement[bool]) -> Select[Any]:
        cb = callbacks.c
        return (
            select(*columns(callbacks_part, id=cb.id, ts=cb.due_at, s1=cb.note, ref=cb.agent_id))
            .where(
                scope,
                cb.status == constant(CallbackStatus.PENDING.value),
                cb.due_at <= bindparam("horizon", type_=UtcDateTime()),
                cb.deleted_at.is_(None),
            )
            .order_by(cb.due_at, cb.id)
            .limit(bindparam("open_limit", type_=Integer))
            .correlate(o)
        )

    account_people = (
        select(contacts.c.id)
        .where(contacts.c.account_id == o.c.a_id, contacts.c.deleted_at.is_(None))
        .correlate(o)
    )
    # One owner column is set per row, so one OR'ed branch per kind of history: a few index
    # probes and a sort of a handful of rows each, and a shorter statement.
    history_parts = [
        calls_of_owner,  # built first: the branch that names and types the columns
        open_cases,
        open_deals,
        callbacks_where(or_(callbacks.c.contact_id == o.c.c_id, callbacks.c.lead_id == o.c.l_id)),
        # Callbacks hang off people; an account's are those of its contacts.
        callbacks_where(callbacks.c.contact_id.in_(account_people)),
    ]
    history = union_all(*history_parts).lateral("h")
    return (
        select(o, *(history.c[name] for name in PART_COLUMNS))
        .select_from(o.outerjoin(history, true()))
        .order_by(o.c.ord)
    )


def constant(value: str) -> ColumnElement[Any]:
    """An enum value written into the statement: a bound list would make SQLAlchemy render the
    statement again on every execution (an expanding IN)."""
    if not _CONSTANT.fullmatch(value):
        raise ValueError(f"not a plain constant: {value!r}")
    return literal_column(f"'{value}'")


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

"""The screen-pop statement for PostgreSQL: owners and every history part in one round trip.

On a server every round trip costs a wake-up of two processes, which on a busy two-core
machine is what decides the 95th percentile, not the index walks (0.1-0.3 ms in all). So the
owners of the number and their histories travel in one statement: the owners as a CTE, each
one joined ``LATERAL`` to a UNION ALL of small ``ORDER BY ... LIMIT`` parts. Its text never
changes, so psycopg prepares it once per connection and the server stops planning it.

SQLite has no ``LATERAL``; it runs in-process, where a second statement costs microseconds,
and keeps the two-statement path in :mod:`agentdesk.crm.lookup`.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from agentdesk.crm.base import UtcDateTime
from agentdesk.domain.enums import OPEN_CASE_STATUSES, OPEN_OPPORTUNITY_STAGES, CallbackStatus

T = TypeVar("T")

PART_COLUMNS = ("part", "id", "ts", "s1", "s2", "s3", "num", "amount", "day", "ref")


def build_statement(
    owners: Select[Any],
    tables: dict[str, Table],
    columns: Any,
    priority_rank: dict[str, int],
    parts: tuple[int, int, int, int],
) -> Select[Any]:
    """Owners (``owners`` plus an ordinal) left-joined to their history rows.

    ``columns(part, **values)`` gives one part's select list in the shared union shape; an
    owner with no history comes back once, with a NULL ``part``.
    """
    calls_part, cases_part, opportunities_part, callbacks_part = parts
    p = tables["phone_numbers"]
    o = (
        owners.order_by(None)
        .add_columns(func.row_number().over(order_by=(p.c.created_at, p.c.id)).label("ord"))
        .cte("o")
    )
    calls, dispositions = tables["calls"], tables["dispositions"]
    cases, opportunities = tables["service_cases"], tables["opportunities"]
    callbacks, contacts = tables["callbacks"], tables["contacts"]

    def calls_by(column: ColumnElement[Any], owner: ColumnElement[Any]) -> Select[Any]:
        cl = calls.c
        return (
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
            .where(column == owner, cl.deleted_at.is_(None))
            .order_by(cl.started_at.desc(), cl.id.desc())
            .limit(bindparam("calls_limit", type_=Integer))
            .correlate(o)
        )

    def account_scope(contact: ColumnElement[Any], account: ColumnElement[Any]) -> Any:
        # A contact's rows plus its account's; an account's own rows. Leads have none, and the
        # NULL owner columns of the other kinds match nothing.
        return or_(contact == o.c.c_id, account == o.c.c_account_id, account == o.c.a_id)

    sc = cases.c
    rank = case(priority_rank, value=sc.priority, else_=len(priority_rank))
    open_cases = (
        select(
            *columns(
                cases_part, id=sc.id, ts=sc.due_at, s1=sc.subject, s2=sc.status, s3=sc.priority
            )
        )
        .where(
            account_scope(sc.contact_id, sc.account_id),
            sc.status.in_([s.value for s in OPEN_CASE_STATUSES]),
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
            op.stage.in_([s.value for s in OPEN_OPPORTUNITY_STAGES]),
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
                cb.status == CallbackStatus.PENDING.value,
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
    history_parts = [
        calls_by(calls.c.contact_id, o.c.c_id),
        calls_by(calls.c.lead_id, o.c.l_id),
        calls_by(calls.c.account_id, o.c.a_id),
        open_cases,
        open_deals,
        callbacks_where(callbacks.c.contact_id == o.c.c_id),
        callbacks_where(callbacks.c.lead_id == o.c.l_id),
        # Callbacks hang off people; an account's are those of its contacts.
        callbacks_where(callbacks.c.contact_id.in_(account_people)),
    ]
    history = union_all(*(select(part.subquery()) for part in history_parts)).lateral("h")
    return (
        select(o, *(history.c[name] for name in PART_COLUMNS))
        .select_from(o.outerjoin(history, true()))
        .order_by(o.c.ord)
    )


class PinnedConnections:
    """One autocommit connection per thread, kept for the life of the owner.

    A pooled checkout pings the server first (``pool_pre_ping``): a second round trip for
    every screen pop. A pinned connection skips it and instead retries once when the server
    turns out to have dropped it (a restart, a failover), which is SQLAlchemy's "optimistic"
    disconnect handling. Autocommit means it never sits idle in a transaction or holds locks.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: set[Connection] = set()
        # Whoever drops the owner without close() still gives the connections back.
        self._finalizer = weakref.finalize(self, _close_all, self._open, self._lock)

    def run(self, work: Callable[[Connection], T]) -> T:
        for attempt in (1, 2):
            conn = self._connection()
            try:
                result = work(conn)
            except DBAPIError as exc:
                self._discard(conn)
                if attempt == 2 or not exc.connection_invalidated:
                    raise
                continue
            conn.rollback()  # ends SQLAlchemy's own transaction marker; nothing goes to the server
            return result
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._finalizer()

    def _connection(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.invalidated:
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self._local.conn = conn
            with self._lock:
                self._open.add(conn)
        return conn

    def _discard(self, conn: Connection) -> None:
        self._local.conn = None
        with self._lock:
            self._open.discard(conn)
        conn.close()


def _close_all(connections: set[Connection], lock: threading.Lock) -> None:
    with lock:
        pending = list(connections)
        connections.clear()
    for conn in pending:
        # A connection the server already dropped is nothing to report at shutdown.
        with contextlib.suppress(Exception):
            conn.close()

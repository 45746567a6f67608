"""A connection kept per thread for one service's hot reads (the screen-pop lookup).

A pooled checkout per call costs a pre-ping round trip on PostgreSQL and, on SQLite, the
connection's prepared statements (SQLite compiles a statement once per connection).
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

T = TypeVar("T")


class PinnedConnections:
    """One autocommit connection per thread, kept for the life of the owner.

    A pooled checkout pings the server first (``pool_pre_ping``): a second round trip for
    every screen pop. A pinned connection skips it and instead retries once when the server
    turns out to have dropped it (a restart, a failover), which is SQLAlchemy's "optimistic"
    disconnect handling. Autocommit means it never sits idle in a transaction or holds locks.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.dialect = engine.dialect.name
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
            except Exception:
                # Work on the driver's own cursor (crm.lookup.raw_pg.RawStatement)
                # raises its errors.
                dropped = _dropped(conn)
                if dropped:
                    conn.invalidate()
                self._discard(conn)
                if attempt == 2 or not dropped:
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
            if self.dialect == "postgresql":
                # Rows read by crm.lookup.raw_pg.RawStatement skip SQLAlchemy's result processing,
                # which would turn timestamps to UTC; the server does it instead.
                conn.exec_driver_sql("SET TIME ZONE 'UTC'")
            self._local.conn = conn
            with self._lock:
                self._open.add(conn)
        return conn

    def _discard(self, conn: Connection) -> None:
        self._local.conn = None
        with self._lock:
            self._open.discard(conn)
        conn.close()


def _dropped(conn: Connection) -> bool:
    driver = conn.connection.driver_connection
    return bool(getattr(driver, "closed", False) or getattr(driver, "broken", False))


def _close_all(connections: set[Connection], lock: threading.Lock) -> None:
    with lock:
        pending = list(connections)
        connections.clear()
    for conn in pending:
        # A connection the server already dropped is nothing to report at shutdown.
        with contextlib.suppress(Exception):
            conn.close()

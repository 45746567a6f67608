"""Being told that presence changed, instead of every board asking the database in a loop.

PostgreSQL: a trigger (migration 0018) sends ``NOTIFY agentdesk_presence`` with the agent's
id when a state or a call changes (not on a bare heartbeat); a board listens on its own
autocommit connection. Nothing is replayed after a reconnect, so a watcher that lost its
connection says "changed" once it is back, and the board reloads everything.

SQLite: ``PRAGMA data_version`` on a connection of its own changes when another connection
commits; checking it is a read of a counter in memory.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine

log = logging.getLogger(__name__)

CHANNEL = "agentdesk_presence"
SQLITE_POLL_SECONDS = 0.25
RETRY_SECONDS = 5.0
"""How often a feed whose database was away at its start tries to connect again."""


class ChangeWatcher(Protocol):
    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; ``True`` when something changed meanwhile."""

    def close(self) -> None: ...


class PgNotifyWatcher:
    """LISTEN on a connection of its own (autocommit: a listener inside a transaction would
    hold notifications back)."""

    def __init__(self, engine: Engine, channel: str = CHANNEL) -> None:
        self._engine = engine
        self._channel = channel
        self._conn: Any = self._connect()  # listening from here on

    def _connect(self) -> Any:
        raw = self._engine.raw_connection()
        conn = raw.driver_connection
        assert conn is not None
        conn.autocommit = True
        conn.execute(f"LISTEN {self._channel}")
        self._raw = raw
        return conn

    def wait(self, timeout: float) -> bool:
        try:
            if self._conn is None:
                self._conn = self._connect()
                return True  # (re)connected: what happened meanwhile was not told
            if not self._told(timeout):
                return False
            while self._told(0.05):  # a burst of changes is read together: one reload
                pass
            return True
        except Exception as exc:  # the server went away: try again, reload when back
            log.info("change listener (%s) lost its connection: %s", self._channel, exc)
            self.close()
            time.sleep(min(timeout, 1.0))
            return False

    def _told(self, timeout: float) -> bool:
        return any(True for _ in self._conn.notifies(timeout=timeout, stop_after=1))

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # already gone
                self._raw.invalidate()  # a LISTENing connection is not the pool's to reuse
        self._conn = None


class DataVersionWatcher:
    """SQLite: another connection committed when ``PRAGMA data_version`` changed."""

    def __init__(self, engine: Engine) -> None:
        self._conn = engine.raw_connection()
        self._version = self._read()

    def _read(self) -> int:
        cursor = self._conn.cursor()
        cursor.execute("PRAGMA data_version")
        row = cursor.fetchone()
        cursor.close()
        assert row is not None  # the pragma always answers
        return int(row[0])

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            version = self._read()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(SQLITE_POLL_SECONDS, left))

    def close(self) -> None:
        self._conn.close()


def watcher_for(engine: Engine, channel: str = CHANNEL) -> ChangeWatcher:
    if engine.dialect.name == "postgresql":
        return PgNotifyWatcher(engine, channel)
    return DataVersionWatcher(engine)


class ChangeFeed:
    """A daemon thread that calls ``on_change`` (on that thread) when the watcher sees a
    change, and at least every ``refresh_seconds`` (a desk that went silent changes nothing,
    yet must turn "lost" on the board). ``channel``: what PostgreSQL's triggers notify
    (presence by default; ``agentdesk_cases`` for the service desk, migration 0025)."""

    def __init__(
        self,
        engine: Engine,
        on_change: Callable[[], None],
        *,
        refresh_seconds: float = 5.0,
        channel: str = CHANNEL,
    ) -> None:
        self._engine = engine
        self._channel = channel
        self._on_change = on_change
        self._refresh = refresh_seconds
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="agentdesk-board", daemon=True)

    def start(self) -> None:
        """Start watching; on return, a change committed from now on is seen."""
        self._thread.start()
        self._ready.wait(timeout=10)

    def _run(self) -> None:
        watcher = self._connect()
        if watcher is None:
            return  # stopped before the database answered
        try:
            last = time.monotonic()
            while not self._stop.is_set():
                changed = watcher.wait(min(1.0, self._refresh))
                if self._stop.is_set():
                    break
                if changed or time.monotonic() - last >= self._refresh:
                    last = time.monotonic()
                    self._changed()
        finally:
            watcher.close()

    def _connect(self) -> ChangeWatcher | None:
        """The watcher; a database away when the feed starts (a desk opened during an
        outage) is tried again every ``RETRY_SECONDS``, and once it answers ``on_change`` is
        called: what changed meanwhile was not told. ``start`` returns after the first try."""
        tries = 0
        while not self._stop.is_set():
            try:
                watcher = watcher_for(self._engine, self._channel)
            except Exception as exc:
                log.info("change feed (%s) cannot connect yet: %s", self._channel, exc)
            else:
                if tries:
                    self._changed()
                return watcher
            finally:
                self._ready.set()
            tries += 1
            self._stop.wait(RETRY_SECONDS)
        return None

    def _changed(self) -> None:
        try:
            self._on_change()
        except Exception:
            log.exception("reading again after a change failed")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

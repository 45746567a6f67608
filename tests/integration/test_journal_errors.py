"""Which database errors are an outage (wait, show the banner) and which are one transaction's
(count, set aside after five): each produced for real, on the servers the tests run."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from agentdesk.db.engine import create_db_engine
from agentdesk.journal.journal import unreachable
from tests.integration.test_journal import DEAD_URL


def _error_of(engine: Engine, sql: str) -> DBAPIError:
    with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
        conn.execute(text(sql))
    return caught.value


def test_a_refused_connection_is_an_outage() -> None:
    engine = create_db_engine(DEAD_URL)
    try:
        assert unreachable(_error_of(engine, "SELECT 1"))
    finally:
        engine.dispose()


def test_a_connection_the_server_ended_is_an_outage(pg_engine: Engine) -> None:
    with pg_engine.connect() as victim, pg_engine.connect() as admin:
        pid = victim.execute(text("SELECT pg_backend_pid()")).scalar_one()
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        admin.commit()
        with pytest.raises(DBAPIError) as caught:
            victim.execute(text("SELECT 1"))
    assert unreachable(caught.value)


def test_a_deadlock_is_not_an_outage(pg_engine: Engine) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS deadlock_probe (id int PRIMARY KEY)"))
        conn.execute(text("INSERT INTO deadlock_probe VALUES (1), (2) ON CONFLICT DO NOTHING"))
    errors: list[BaseException] = []
    first_locked, second_locked = threading.Event(), threading.Event()

    def lock(mine: int, theirs: int, locked: threading.Event, other: threading.Event) -> None:
        try:
            with pg_engine.begin() as conn:
                conn.execute(text("SET LOCAL deadlock_timeout = '100ms'"))
                conn.execute(text("UPDATE deadlock_probe SET id = id WHERE id = :i"), {"i": mine})
                locked.set()
                other.wait(10)
                conn.execute(text("UPDATE deadlock_probe SET id = id WHERE id = :i"), {"i": theirs})
        except DBAPIError as error:
            errors.append(error)

    threads = [
        threading.Thread(target=lock, args=(1, 2, first_locked, second_locked)),
        threading.Thread(target=lock, args=(2, 1, second_locked, first_locked)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    with pg_engine.begin() as conn:
        conn.execute(text("DROP TABLE deadlock_probe"))
    [deadlock] = errors  # the server broke the cycle by failing one of the two
    assert "deadlock" in str(deadlock)
    assert not unreachable(deadlock)


def test_a_cancelled_statement_is_not_an_outage(pg_engine: Engine) -> None:
    with pg_engine.connect() as conn:
        conn.execute(text("SET statement_timeout = '50ms'"))
        with pytest.raises(DBAPIError) as caught:
            conn.execute(text("SELECT pg_sleep(5)"))
    assert "statement timeout" in str(caught.value)
    assert not unreachable(caught.value)


def test_a_busy_sqlite_file_is_waited_out_like_an_outage(tmp_path: Path) -> None:
    """Another process held the file past the busy timeout: it passes, so the change waits
    (never set aside after five tries)."""
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x int)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        engine = create_db_engine(f"sqlite:///{path}")
        with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
            conn.execute(text("PRAGMA busy_timeout = 0"))
            conn.execute(text("INSERT INTO t VALUES (1)"))
        engine.dispose()
    finally:
        holder.close()
    assert "locked" in str(caught.value)
    assert unreachable(caught.value)


def test_a_missing_sqlite_directory_is_an_outage(tmp_path: Path) -> None:
    """A database file on a share that went away cannot be opened: wait for it."""
    engine = create_db_engine(f"sqlite:///{tmp_path}/share/agentdesk.db")
    (tmp_path / "share").rmdir()  # the engine made it; the share is gone now
    try:
        assert unreachable(_error_of(engine, "SELECT 1"))
    finally:
        engine.dispose()


def test_a_connection_to_postgresql_gives_up_on_a_silent_network(pg_engine: Engine) -> None:
    """What the desk's connections ask of the kernel (a black-holed network cannot be made
    here without root firewall rules): keepalive probes and a send timeout."""
    with pg_engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        params = raw.info.get_parameters()  # type: ignore[attr-defined]
    assert params["keepalives"] == "1" and params["keepalives_idle"] == "10"
    assert params["keepalives_count"] == "3" and params["tcp_user_timeout"] == "30000"


def test_a_statement_sqlite_cannot_run_is_not_an_outage(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/agentdesk.db")
    try:
        error = _error_of(engine, "SELECT * FROM no_such_table")
    finally:
        engine.dispose()
    assert "no such table" in str(error)
    assert not unreachable(error)

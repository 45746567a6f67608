"""No desk password lands in a file or a log: after an admin sets one, the user logs in with
it, fails a statement and runs commands with it in the URL, every byte this run wrote (the
app's data and config folders, the whole PostgreSQL cluster with its log and WAL, the test's
folder) and everything printed is searched for it."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from agentdesk.cli.main import main
from tests.support.logins import login_engine, login_url
from tests.support.pg_server import PgServer


def _files_with(secret: bytes, *roots: Path) -> list[Path]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                try:
                    if secret in path.read_bytes():
                        found.append(path)
                except OSError:
                    continue  # a socket or a file PostgreSQL removed meanwhile
    return found


@pytest.fixture
def statement_log(pg_engine: Engine) -> Iterator[None]:
    """Every statement of the test's new sessions goes to the server log, which is searched."""
    with pg_engine.connect() as conn:
        conn.execute(text("ALTER DATABASE agentdesk_test SET log_statement = 'all'"))
        conn.commit()
    yield
    with pg_engine.connect() as conn:
        conn.execute(text("ALTER DATABASE agentdesk_test RESET log_statement"))
        conn.commit()


def test_a_password_is_in_no_file_log_or_output(
    statement_log: None,
    pg_engine: Engine,
    pg_database_url: str,
    pg_server: PgServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = f"Pw-{uuid.uuid4().hex}"
    data, config = tmp_path / "data", tmp_path / "config"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    printed = []

    def run(*argv: str) -> int:
        code = main(list(argv))
        printed.extend(capsys.readouterr())
        return code

    assert run("--db", pg_database_url, "-v", "user", "add", "pw.user", "--name", "P",
               "--role", "agent") == 0  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert run("--db", pg_database_url, "-v", "user", "password", "pw.user",
               "--password-stdin") == 0  # fmt: skip
    # The user logs in with it, and PostgreSQL logs a statement it refuses.
    engine = login_engine(pg_database_url, "pw.user", secret)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT session_user")).scalar_one() == "pw.user"
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_log"))
    finally:
        engine.dispose()
    # Commands with the password in the URL: one allowed, one refused, one that cannot connect.
    url = login_url(pg_database_url, "pw.user", secret)
    assert run("--db", url, "-v", "user", "list") == 0
    assert run("--db", url, "-v", "user", "add", "x.y", "--name", "X", "--role", "admin") == 2
    unreachable = url.replace(f":{pg_server.port}/", ":1/")
    assert run("--db", unreachable, "-v", "user", "list") == 2
    with pg_engine.connect() as conn:
        conn.execute(text("CHECKPOINT"))  # the WAL and the data files are on disk now
    needle = secret.encode()
    assert _files_with(needle, tmp_path, pg_server.root) == []
    assert [out for out in printed if secret in out] == []
    assert secret not in caplog.text and "pw.user" in caplog.text
    assert b"agentdesk_set_password" in (pg_server.root / "pg.log").read_bytes()
    assert any("may not" in out or "permission" in out for out in printed)

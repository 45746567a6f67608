"""Shared fixtures: the database engines every repository and service test runs on."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db import migrate
from agentdesk.db.base import Base
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url
from agentdesk.org.roles import restore_defaults
from agentdesk.sales.stages import seed_default_stages
from tests.support.memory_keyring import MemoryKeyring
from tests.support.pg_server import INSTALL_HINT, PgServer, start_server

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own user data directory: desks keep their journal there, one file per
    database, and tests on the shared PostgreSQL database must not replay each other's."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The keyring as an in-memory backend (the system keyring is an edge tests cannot run)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = start_server()
    except Exception as exc:  # any failure to start is a failure of the run, with the hint
        pytest.fail(f"cannot start PostgreSQL for the tests: {exc}\n{INSTALL_HINT}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database_url(pg_server: PgServer) -> Iterator[str]:
    admin = create_db_engine(pg_server.url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CREATE DATABASE agentdesk_test"))
    admin.dispose()
    url = pg_server.url_for("agentdesk_test")
    engine = create_db_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = create_db_engine(sqlite_url(path))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _truncate_all(engine: Engine) -> None:
    # The role matrix is configuration the migration seeds, not test data: it is put back
    # below only where a test changed it.
    kept = {"org_permissions", "org_capabilities"}
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name not in kept)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    with session_factory(engine).begin() as session:
        restore_defaults(session)
        seed_default_stages(session)  # configuration too: 0027 seeds it


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: an SQLite file, then the shared PostgreSQL server."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "agentdesk.db"
        shutil.copy(template, path)
        eng = create_db_engine(sqlite_url(path))
        yield eng
        eng.dispose()
    else:
        url: str = request.getfixturevalue("pg_database_url")
        eng = create_db_engine(url)
        _truncate_all(eng)
        yield eng
        _truncate_all(eng)
        eng.dispose()


@pytest.fixture
def pg_engine(pg_database_url: str) -> Iterator[Engine]:
    """The migrated, empty PostgreSQL database, for what only PostgreSQL does (logins, RLS)."""
    eng = create_db_engine(pg_database_url)
    _truncate_all(eng)
    yield eng
    _truncate_all(eng)
    eng.dispose()


@pytest.fixture
def db_url(engine: Engine) -> str:
    """The ``engine`` fixture's URL as the CLI's ``--db`` takes it."""
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)

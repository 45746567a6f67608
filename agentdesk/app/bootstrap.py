"""The composition root: builds the engine, sessions, credential store and services."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.config.credentials import DB_SERVICE, CredentialStore, db_key
from agentdesk.config.settings import Settings, choose_database_url, default_database_path
from agentdesk.db import migrate
from agentdesk.db.engine import (
    DatabaseUrlError,
    create_db_engine,
    normalize_url,
    redacted,
    session_factory,
    sqlite_url,
)

log = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or is not at our schema; the message is for the user.

    ``kind`` says what to check: ``url`` (the URL itself is wrong), ``unreachable`` (the
    server or file cannot be opened), ``login`` (the server wants this login's password, or
    refused the one given: ``login`` names who connects where), ``schema`` (a shared server
    behind this version); ``embedded`` whether it is the SQLite file rather than a server.
    """

    def __init__(
        self, message: str, kind: str, *, embedded: bool = False, login: str | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.embedded = embedded
        self.login = login


# libpq's words when the server wants a password or refused the one given
_PASSWORD_REFUSED = ("password authentication failed", "no password supplied")


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]
    display_url: str
    embedded: bool
    created: bool = False  # True when this start created the embedded file

    def dispose(self) -> None:
        self.engine.dispose()


def resolve_url(cli_url: str | None, settings: Settings, credentials: CredentialStore) -> URL:
    """Pick the database URL by precedence; a password in it goes to the keyring."""
    text = choose_database_url(cli_url, settings)
    if text is None:
        return sqlite_url(default_database_path())
    url = normalize_url(text)
    if url.password is not None:
        url = credentials.strip_db_password(url)
        if text == settings.database_url:
            log.warning(
                "the configuration (%s) holds a database password: it was moved to the "
                "keyring; remove it from the file",
                settings.source or "[database] url",
            )
    return url


def open_database(
    url: URL, credentials: CredentialStore, *, upgrade: bool | None = None
) -> Database:
    """Connect and check the schema.

    ``upgrade=None`` upgrades an embedded SQLite file automatically and refuses a shared server
    that is behind (its admin runs ``agentdesk db upgrade`` once for the whole team).
    """
    embedded = url.get_backend_name() == "sqlite"
    created = embedded and not (url.database and Path(url.database).expanduser().exists())
    engine = create_db_engine(credentials.with_db_password(url))
    shown = redacted(url)
    try:
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current != head:
            if upgrade or (upgrade is None and embedded):
                log.info("upgrading database %s from %s to %s", shown, current, head)
                migrate.upgrade(engine)
            elif upgrade is None:
                raise DatabaseUnavailable(
                    f"the database {shown} is at schema {current or 'empty'}, this AgentDesk "
                    f"needs {head}: run `agentdesk db upgrade --db URL` once",
                    "schema",
                )
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        if any(words in reason for words in _PASSWORD_REFUSED):
            raise DatabaseUnavailable(
                f"the database {shown} did not accept the password of {url.username}",
                "login",
                login=db_key(url),
            ) from None
        if "not permitted to log in" in reason:
            raise DatabaseUnavailable(
                f"the database login {url.username} is switched off (an inactive user): ask "
                "your administrator",
                "login",
            ) from None
        raise DatabaseUnavailable(
            f"cannot open the database {shown}: {reason}", "unreachable", embedded=embedded
        ) from None
    except DatabaseUnavailable:
        engine.dispose()
        raise
    return Database(engine, session_factory(engine), shown, embedded, created)


def connect(
    cli_url: str | None,
    settings: Settings,
    *,
    upgrade: bool | None = None,
    password: str | None = None,
) -> tuple[Database, CredentialStore]:
    """Open the database; ``password`` (asked from the user) is tried and, once the server has
    accepted it, kept in the keyring for the next start."""
    credentials = CredentialStore()
    try:
        url = resolve_url(cli_url, settings, credentials)
    except DatabaseUrlError as exc:
        raise DatabaseUnavailable(str(exc), "url") from None
    if password is None or url.get_backend_name() == "sqlite":
        return open_database(url, credentials, upgrade=upgrade), credentials
    attempt = CredentialStore()
    attempt.set_for_run(DB_SERVICE, db_key(url), password)
    database = open_database(url, attempt, upgrade=upgrade)
    credentials.set(DB_SERVICE, db_key(url), password)
    return database, credentials

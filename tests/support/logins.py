"""Desk logins for PostgreSQL tests: each user connects as themselves, with a password."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import create_db_engine
from agentdesk.org.admin import create_logins, set_password

PASSWORD = "correct-horse-7"  # a test password; the no-secret test searches for it


def login_url(base: str, username: str, password: str = PASSWORD) -> str:
    url = make_url(base).set(username=username, password=password)
    return url.render_as_string(hide_password=False)


def give_logins(sessions: sessionmaker[Session], usernames: Iterable[str]) -> None:
    """Login roles for users created without one, each with :data:`PASSWORD`."""
    create_logins(sessions)
    for name in usernames:
        set_password(sessions, name, PASSWORD)


def login_engine(base: str, username: str, password: str = PASSWORD) -> Engine:
    return create_db_engine(login_url(base, username, password))

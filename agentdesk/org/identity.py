"""Who is connected: on PostgreSQL the login itself (``session_user``), never a setting.

The database owner's connection (the login that ran ``db upgrade``: a superuser or a member of
``agentdesk_owner``) acts as the owner and may do everything, also before any user exists.
SQLite has no logins: the file's user is its owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

OWNER_ROLE = "agentdesk_owner"


@dataclass(frozen=True, slots=True)
class Login:
    """The connected login: ``username`` is ``None`` for the owner's connection."""

    username: str | None

    @property
    def is_owner(self) -> bool:
        return self.username is None


def current_login(session: Session) -> Login:
    if session.get_bind().dialect.name != "postgresql":
        return Login(None)
    row = session.execute(
        text(
            "SELECT session_user, "
            "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user) "
            "OR (to_regrole(:owner) IS NOT NULL "
            "    AND pg_has_role(session_user, :owner, 'MEMBER'))"
        ),
        {"owner": OWNER_ROLE},
    ).one()
    return Login(None if row[1] else str(row[0]))

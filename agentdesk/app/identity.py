"""Who this desk works as: on a shared PostgreSQL database the login it connected with (the
``session_user``, which the policies see too), never the name in a configuration file; on the
embedded SQLite file (or the database owner's connection) the configured agent, created as an
agent on first use."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import unit_of_work
from agentdesk.org.identity import current_login
from agentdesk.org.users import UnknownAgentError, ensure_agent, find_user

log = logging.getLogger(__name__)


class NotADeskUser(RuntimeError):
    """The database login is no active AgentDesk user; the message says whom to ask."""


@dataclass(frozen=True, slots=True)
class DeskIdentity:
    username: str
    user_id: uuid.UUID
    is_owner: bool
    """The database owner's connection (SQLite's file, PostgreSQL's upgrading login)."""


def desk_identity(
    sessions: sessionmaker[Session], configured: str, display: str | None
) -> DeskIdentity:
    with unit_of_work(sessions) as session:
        login = current_login(session)
        if login.username is None:
            return DeskIdentity(configured, ensure_agent(session, configured, display).id, True)
        if login.username != configured:
            log.info("signed in as the database login %s (the settings name %s)",
                     login.username, configured)  # fmt: skip
        try:
            user = find_user(session, login.username)
        except UnknownAgentError:
            raise NotADeskUser(
                f"the database login {login.username} is not an active AgentDesk user: ask "
                f"your admin to run `agentdesk user add {login.username}`"
            ) from None
        return DeskIdentity(user.username, user.id, False)

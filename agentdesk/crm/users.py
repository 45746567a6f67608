"""Who is acting: the one place a user is looked up by username or id.

``org/`` (users, teams, roles) will own the user records; until it lands the table lives in
``crm.models`` and every service resolves agents through :func:`find_user` and :func:`actor_of`.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from agentdesk.crm.models import User
from agentdesk.db.audit import Actor
from agentdesk.db.errors import RequestError

AgentRef = str | uuid.UUID
"""An agent by username or by user id."""


class UnknownAgentError(RequestError):
    """No active user has that username or id."""

    def __init__(self, agent: AgentRef) -> None:
        super().__init__(f"no active user {agent!s}")
        self.agent = agent


def user_by_ref(session: Session, agent: AgentRef) -> User | None:
    """The user named by username or id, active or not (``None`` when there is none)."""
    if isinstance(agent, uuid.UUID):
        return session.get(User, agent)
    return session.scalars(select(User).where(User.username == agent)).first()


def find_user(session: Session, agent: AgentRef) -> User:
    """The active user named by username or id; :class:`UnknownAgentError` otherwise."""
    user = user_by_ref(session, agent)
    if user is None or not user.active or user.deleted_at is not None:
        raise UnknownAgentError(agent)
    return user


def actor_of(session: Session, agent: AgentRef | None) -> Actor | None:
    """The audit actor for ``agent``; a name unknown to the database is kept as given."""
    if agent is None:
        return None
    user = user_by_ref(session, agent)
    if user is not None:
        return Actor(user.id, user.username)
    return Actor(None, str(agent))

"""Who is acting: the one place a user is looked up by username or id.

Every service resolves agents through :func:`find_user` and :func:`actor_of` (or
:func:`ensure_agent` for the desk's own login); users are created and changed by
``org/admin.py``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from agentdesk.db.audit import Actor
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import Role
from agentdesk.org.models import User

AgentRef = str | uuid.UUID
"""An agent by username or by user id."""


class UnknownAgentError(RequestError):
    """No active user has that username or id."""

    def __init__(self, agent: AgentRef) -> None:
        super().__init__(f"no active user '{agent}'")
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


def ensure_agent(session: Session, username: str, display: str | None = None) -> User:
    """The user named ``username`` (active or not), created as an agent on first use.

    A ``display`` name given replaces the stored one: it is the name the agent set in their
    settings, which call scripts say ("this is {agent_name}").
    """
    user = user_by_ref(session, username)
    if user is None:
        user = User(username=username, display_name=display or username, role=Role.AGENT)
        session.add(user)
        session.flush()
    elif display and display.strip() and user.display_name != display.strip():
        user.display_name = display.strip()
        session.flush()
    return user


def active_usernames(session: Session) -> tuple[str, ...]:
    """The usernames of every active user, in alphabetical order."""
    rows = session.scalars(
        select(User.username)
        .where(User.active.is_(True), User.deleted_at.is_(None))
        .order_by(User.username)
    )
    return tuple(rows)

"""Users and teams: created and changed by an admin (or the database owner's connection).

Each service resolves who is acting from the connection (:func:`acting_user`), checks the
``manage_users`` capability, writes the audit entry in the same transaction, rebuilds the scope
table and, on PostgreSQL, keeps the user's login role in step (``org/pg_logins.py``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.audit import Actor, audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction, Role
from agentdesk.org import pg_logins
from agentdesk.org.access import access_for
from agentdesk.org.identity import current_login
from agentdesk.org.models import Team, User
from agentdesk.org.scope import rebuild_scope
from agentdesk.org.users import AgentRef, actor_of, user_by_ref

# PostgreSQL role names are identifiers; keep usernames to what reads well in both places.
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
RESERVED_PREFIXES = ("pg_", "agentdesk_")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class OrgError(RequestError):
    """A request on users, teams or roles that cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    team: str | None
    email: str | None
    extension: str | None
    active: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "name": self.display_name,
            "role": str(self.role),
            "team": self.team,
            "email": self.email,
            "extension": self.extension,
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class TeamInfo:
    name: str
    parent: str | None
    members: int

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "parent": self.parent, "members": self.members}


def acting_user(session: Session, agent: AgentRef | None = None) -> AgentRef | None:
    """Who acts: on PostgreSQL the login (the owner's connection may name ``agent``), on
    SQLite ``agent`` as given; ``None`` is the database owner."""
    login = current_login(session)
    return login.username if login.username is not None else agent


def require_capability(session: Session, who: AgentRef | None, capability: Capability) -> None:
    if who is not None:
        access_for(session, who).require(capability)


def _manager(session: Session, agent: AgentRef | None) -> AgentRef | None:
    who = acting_user(session, agent)
    require_capability(session, who, Capability.MANAGE_USERS)
    return who


def audit_actor(session: Session, who: AgentRef | None) -> Actor:
    """The audit actor for ``who`` (``None``: the database owner's connection)."""
    actor = actor_of(session, who)
    return actor if actor is not None else Actor(None, "database owner")


def team_by_name(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name, Team.deleted_at.is_(None)))
    if team is None:
        raise OrgError(f"no team named {name!r}")
    return team


def _info(session: Session, user: User) -> UserInfo:
    team = session.get(Team, user.team_id) if user.team_id else None
    return UserInfo(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        team=team.name if team else None,
        email=user.email,
        extension=user.sip_extension,
        active=user.active,
    )


def _role(code: str) -> Role:
    try:
        return Role(code)
    except ValueError:
        raise OrgError(f"unknown role {code!r}: use {', '.join(r.value for r in Role)}") from None


def add_user(
    sessions: sessionmaker[Session],
    username: str,
    *,
    name: str,
    role: str,
    team: str | None = None,
    extension: str | None = None,
    email: str | None = None,
    agent: AgentRef | None = None,
) -> UserInfo:
    """Create a user (and on PostgreSQL their login role, without a password yet)."""
    if not USERNAME.match(username) or username.startswith(RESERVED_PREFIXES):
        raise OrgError(
            f"username {username!r}: 1 to 63 lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, not pg_ or agentdesk_"
        )
    if not name.strip():
        raise OrgError("a user needs a name")
    if email and not EMAIL.match(email):
        raise OrgError(f"not an e-mail address: {email!r}")
    code = _role(role)
    with unit_of_work(sessions) as session:
        who = _manager(session, agent)
        if user_by_ref(session, username) is not None:
            raise OrgError(f"a user named {username!r} exists already")
        user = User(
            username=username,
            display_name=name.strip(),
            role=code,
            team_id=team_by_name(session, team).id if team else None,
            sip_extension=extension or None,
            email=email or None,
            active=True,
        )
        session.add(user)
        session.flush()
        rebuild_scope(session)
        pg_logins.sync_login(session, username)
        audit(session, audit_actor(session, who), AuditAction.CREATE, "user", user.id,
              {"username": username, "role": str(code), "team": team})  # fmt: skip
        return _info(session, user)


_UNSET: Any = object()


def set_user(
    sessions: sessionmaker[Session],
    username: str,
    *,
    role: str | None = None,
    team: str | None = _UNSET,
    active: bool | None = None,
    name: str | None = None,
    agent: AgentRef | None = None,
) -> UserInfo:
    """Change a user's role, team (``None`` for no team), active flag or name."""
    with unit_of_work(sessions) as session:
        who = _manager(session, agent)
        user = user_by_ref(session, username)
        if user is None:
            raise OrgError(f"no user named {username!r}")
        changes: dict[str, Any] = {}
        if role is not None:
            user.role = _role(role)
            changes["role"] = role
        if team is not _UNSET:
            user.team_id = team_by_name(session, team).id if team else None
            changes["team"] = team
        if active is not None:
            user.active = active
            changes["active"] = active
        if name is not None and name.strip():
            user.display_name = name.strip()
            changes["name"] = user.display_name
        if not changes:
            raise OrgError("nothing to change: give --role, --team, --active or --name")
        session.flush()
        rebuild_scope(session)
        pg_logins.sync_login(session, username)
        audit(session, audit_actor(session, who), AuditAction.UPDATE, "user", user.id, changes)
        return _info(session, user)


def set_password(
    sessions: sessionmaker[Session], username: str, password: str, agent: AgentRef | None = None
) -> None:
    """Set a user's PostgreSQL login password (a user may set their own)."""
    if len(password) < 8:
        raise OrgError("a password has at least 8 characters")
    with unit_of_work(sessions) as session:
        who = acting_user(session, agent)
        if who != username:
            require_capability(session, who, Capability.MANAGE_USERS)
        user = user_by_ref(session, username)
        if user is None:
            raise OrgError(f"no user named {username!r}")
        if session.get_bind().dialect.name != "postgresql":
            raise OrgError("passwords are PostgreSQL logins; the SQLite file has none")
        pg_logins.set_password(session, username, password)
        audit(session, audit_actor(session, who), AuditAction.UPDATE, "user", user.id,
              {"password": "changed"})  # fmt: skip


def list_users(sessions: sessionmaker[Session]) -> list[UserInfo]:
    with sessions() as session:
        users = session.scalars(
            select(User).where(User.deleted_at.is_(None)).order_by(User.username)
        )
        return [_info(session, user) for user in users]


def add_team(
    sessions: sessionmaker[Session],
    name: str,
    *,
    parent: str | None = None,
    agent: AgentRef | None = None,
) -> TeamInfo:
    name = name.strip()
    if not name or len(name) > 100:
        raise OrgError("a team name is 1 to 100 characters")
    with unit_of_work(sessions) as session:
        who = _manager(session, agent)
        if session.scalar(select(Team.id).where(Team.name == name)) is not None:
            raise OrgError(f"a team named {name!r} exists already")
        team = Team(name=name, parent_id=team_by_name(session, parent).id if parent else None)
        session.add(team)
        session.flush()
        rebuild_scope(session)
        audit(session, audit_actor(session, who), AuditAction.CREATE, "team", team.id,
              {"name": name, "parent": parent})  # fmt: skip
        return TeamInfo(name, parent, 0)


def list_teams(sessions: sessionmaker[Session]) -> list[TeamInfo]:
    with sessions() as session:
        names = {tid: name for tid, name in session.execute(select(Team.id, Team.name))}
        members = {
            tid: count
            for tid, count in session.execute(
                select(User.team_id, func.count())
                .where(User.deleted_at.is_(None), User.active.is_(True))
                .group_by(User.team_id)
            )
        }
        teams = session.scalars(select(Team).where(Team.deleted_at.is_(None)).order_by(Team.name))
        return [
            TeamInfo(t.name, names.get(t.parent_id) if t.parent_id else None, members.get(t.id, 0))
            for t in teams
        ]


def user_id_of(session: Session, username: str) -> uuid.UUID:
    user = user_by_ref(session, username)
    if user is None or not user.active:
        raise OrgError(f"no active user named {username!r}")
    return user.id


def create_logins(sessions: sessionmaker[Session], agent: AgentRef | None = None) -> int:
    """Give every user without a PostgreSQL login one (a database upgraded from before
    logins existed); returns how many users were synced (0 on SQLite)."""
    with unit_of_work(sessions) as session:
        _manager(session, agent)
        return pg_logins.sync_all_logins(session)

"""Who serves a queue: agents by name, or teams (every agent of the team, as it is now).

The board counts the members' presence on each queue tile (available, on a call, wrap-up,
not ready); a ``--team`` queue or hourly report covers the queues the team's agents serve.
Membership is configuration like the queue: every desk reads it, a user manager changes it
(migration 0026's row policies on PostgreSQL too). Nothing here changes how a proxy rings
desks: the proxy's own configuration decides that, this table tells supervisors who serves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import AuditAction
from agentdesk.org.models import Team, User
from agentdesk.org.users import AgentRef
from agentdesk.supervision.models import Queue, QueueMember
from agentdesk.supervision.queues import (
    QueueError,
    QueueView,
    audit_queue,
    queue_view,
    require_manager,
)


def _queue(session: Session, name: str) -> Queue:
    queue = session.scalars(select(Queue).where(Queue.name == name)).one_or_none()
    if queue is None:
        raise QueueError(f"no queue is named {name!r}")
    return queue


def _ids(
    session: Session, users: Sequence[str], teams: Sequence[str]
) -> list[tuple[str, QueueMember]]:
    """The member rows ``users`` and ``teams`` name (no queue yet), each with the name it
    was given by; an unknown name refuses."""
    if not users and not teams:
        raise QueueError("name at least one agent or one --team")
    rows = []
    for username in dict.fromkeys(users):
        user_id = session.scalar(select(User.id).where(User.username == username))
        if user_id is None:
            raise QueueError(f"no user is named {username!r}")
        rows.append((username, QueueMember(user_id=user_id)))
    for name in dict.fromkeys(teams):
        team_id = session.scalar(select(Team.id).where(Team.name == name))
        if team_id is None:
            raise QueueError(f"no team is named {name!r}")
        rows.append((f"team {name}", QueueMember(team_id=team_id)))
    return rows


def _same(row: QueueMember, queue: Queue) -> Select[uuid.UUID]:
    column, value = (
        (QueueMember.user_id, row.user_id) if row.user_id else (QueueMember.team_id, row.team_id)
    )
    return select(QueueMember.id).where(QueueMember.queue_id == queue.id, column == value)


def add_members(
    sessions: sessionmaker[Session],
    queue_name: str,
    users: Sequence[str] = (),
    teams: Sequence[str] = (),
    *,
    agent: AgentRef | None = None,
) -> QueueView:
    """``users`` and ``teams`` serve ``queue_name`` from now on (those already serving stay)."""
    with unit_of_work(sessions) as session:
        require_manager(session, agent)
        queue = _queue(session, queue_name)
        attach(session, queue, users, teams)
        session.flush()
        audit_queue(session, agent, AuditAction.UPDATE, queue)
        return queue_view(session, queue)


def attach(session: Session, queue: Queue, users: Sequence[str], teams: Sequence[str]) -> None:
    """Add ``users`` and ``teams`` to ``queue``'s members (no second row for one already
    there); for ``queue add --agent/--team`` as well, in the queue's own transaction."""
    for _, row in _ids(session, users, teams):
        if session.scalar(_same(row, queue)) is None:
            row.queue_id = queue.id
            session.add(row)


def remove_members(
    sessions: sessionmaker[Session],
    queue_name: str,
    users: Sequence[str] = (),
    teams: Sequence[str] = (),
    *,
    agent: AgentRef | None = None,
) -> QueueView:
    """``users`` and ``teams`` no longer serve ``queue_name``; one that did not refuses."""
    with unit_of_work(sessions) as session:
        require_manager(session, agent)
        queue = _queue(session, queue_name)
        for who, row in _ids(session, users, teams):
            member_id = session.scalar(_same(row, queue))
            if member_id is None:
                raise QueueError(f"{who} does not serve the queue {queue_name!r}")
            session.execute(delete(QueueMember).where(QueueMember.id == member_id))
        session.flush()
        audit_queue(session, agent, AuditAction.UPDATE, queue)
        return queue_view(session, queue)


def queue_staff(session: Session) -> Mapping[str, frozenset[uuid.UUID]]:
    """Every queue that has members: the users who serve it (named, or in a member team).

    A queue missing here has no members at all; a member team without users gives an empty
    set. Two small reads, one per kind of member: the table holds tens of rows.
    """
    staff: dict[str, set[uuid.UUID]] = {}
    direct = (
        select(Queue.name, QueueMember.user_id)
        .join(QueueMember, QueueMember.queue_id == Queue.id)
        .where(QueueMember.user_id.is_not(None))
    )
    by_team = (
        select(Queue.name, User.id)
        .join(QueueMember, QueueMember.queue_id == Queue.id)
        .outerjoin(User, User.team_id == QueueMember.team_id)
        .where(QueueMember.team_id.is_not(None))
    )
    for stmt in (direct, by_team):
        for name, user_id in session.execute(stmt):
            members = staff.setdefault(name, set())
            if user_id is not None:
                members.add(user_id)
    return {name: frozenset(users) for name, users in staff.items()}


def team_queues(session: Session, teams: Sequence[uuid.UUID]) -> list[str]:
    """The queues that ``teams`` serve: a member team among them, or a member agent of one
    of them (as the teams are now), by name."""
    if not teams:
        return []
    agents = select(User.id).where(User.team_id.in_(teams))
    stmt = (
        select(Queue.name)
        .join(QueueMember, QueueMember.queue_id == Queue.id)
        .where(or_(QueueMember.team_id.in_(teams), QueueMember.user_id.in_(agents)))
        .distinct()
        .order_by(Queue.name)
    )
    return list(session.scalars(stmt))

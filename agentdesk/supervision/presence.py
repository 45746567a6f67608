"""Agent presence: each desk publishes its agent's state and a heartbeat; boards read them.

A desk writes only its own agent's row (on PostgreSQL the row policies hold it to that). A
state change moves ``since`` and appends to the state log; the same state again only
refreshes the call details and the heartbeat. A desk silent for :data:`LOST_AFTER` shows as
lost, never as available: its agent may be gone with the desk (a crash, a cable), and a
supervisor must not count them. Closing the app logs the agent out.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, true, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.permissions import acting_access
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.clock import utcnow
from agentdesk.org.access import Access
from agentdesk.org.models import Team, User
from agentdesk.org.users import AgentRef, find_user
from agentdesk.supervision.models import AgentPresence, AgentStateLog

HEARTBEAT = timedelta(seconds=5)
LOST_AFTER = 3 * HEARTBEAT
"""Three heartbeats missed: the desk is lost."""
LOST = "lost"
"""The state a board shows for a desk that went silent."""


@dataclass(frozen=True, slots=True)
class DeskState:
    """What a desk says about its agent: the state and the current call, if any."""

    state: AgentStatus
    reason: str | None = None
    call_direction: str | None = None
    call_number: str | None = None
    party_name: str | None = None
    campaign: str | None = None


@dataclass(frozen=True, slots=True)
class AgentOnBoard:
    """One agent as a board shows them; ``state`` is :data:`LOST` for a silent desk."""

    user_id: uuid.UUID
    username: str
    name: str
    team: str | None
    state: str
    reason: str | None
    since: datetime
    seconds_in_state: float
    call_direction: str | None
    call_number: str | None
    party_name: str | None
    campaign: str | None


def database_now(session: Session) -> datetime:
    """The database's clock (PostgreSQL's transaction time); SQLite's is this machine's."""
    if session.get_bind().dialect.name == "postgresql":
        now: datetime = session.scalars(select(func.now())).one()
        return now
    return utcnow()


def publish(sessions: sessionmaker[Session], agent: AgentRef, desk: DeskState) -> datetime:
    """Write the agent's presence (a heartbeat too); returns the database time it was taken."""
    with unit_of_work(sessions) as session:
        user = find_user(session, agent)
        now = database_now(session)
        row = session.get(AgentPresence, user.id)
        changed = row is None or (row.state, row.reason) != (desk.state.value, desk.reason)
        if row is None:
            row = AgentPresence(user_id=user.id, since=now)
            session.add(row)
        elif changed:
            row.since = now
        row.state, row.reason = desk.state.value, desk.reason
        row.heartbeat_at = now
        row.call_direction, row.call_number = desk.call_direction, desk.call_number
        row.party_name, row.campaign = desk.party_name, desk.campaign
        if changed:
            session.add(
                AgentStateLog(user_id=user.id, state=desk.state.value, reason=desk.reason, at=now)
            )
        return now


def heartbeat(sessions: sessionmaker[Session], agent: AgentRef) -> bool:
    """Say the desk is still there; ``False`` when it has published nothing yet."""
    with unit_of_work(sessions) as session:
        user = find_user(session, agent)
        stmt = (
            update(AgentPresence)
            .where(AgentPresence.user_id == user.id)
            .values(heartbeat_at=database_now(session))
        )
        return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]


def sign_out(sessions: sessionmaker[Session], agent: AgentRef) -> None:
    """The app closes: the agent is logged out, at once rather than lost later."""
    publish(sessions, agent, DeskState(AgentStatus.LOGGED_OUT))


def watched(access: Access | None) -> ColumnElement[bool]:
    """The agents ``access`` may watch on a board: those whose calls the role reads (a
    supervisor their department, an admin everyone), and always themselves. Without the
    ``view_board`` capability, only themselves. The row policies of PostgreSQL say the same.
    """
    if access is None:
        return true()
    mine = AgentPresence.user_id == access.user_id
    if not access.has(Capability.VIEW_BOARD):
        return mine
    match access.depth(RecordKind.CALLS, Action.READ):
        case Depth.ALL:
            return true()
        case Depth.NONE:
            return mine
        case Depth.OWN:
            reach: frozenset[uuid.UUID] = frozenset()
        case Depth.TEAM:
            reach = access.team
        case Depth.DEPARTMENT:
            reach = access.department
    return AgentPresence.user_id.in_(reach | {access.user_id})


def board_agents(
    session: Session, access: Access | None, *, team: str | None = None
) -> Sequence[AgentOnBoard]:
    """The agents ``access`` may watch (all with ``None``: the owner), by name; ``team``
    narrows to one team. Logged-out agents are left out."""
    now = database_now(session)
    stmt = (
        select(AgentPresence, User.username, User.display_name, Team.name)
        .join(User, User.id == AgentPresence.user_id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(watched(access), AgentPresence.state != AgentStatus.LOGGED_OUT.value)
        .order_by(User.display_name, User.username)
    )
    if team is not None:
        stmt = stmt.where(Team.name == team)
    agents = []
    for row, username, name, team_name in session.execute(stmt):
        lost = now - row.heartbeat_at > LOST_AFTER
        since = row.heartbeat_at if lost else row.since
        agents.append(
            AgentOnBoard(
                user_id=row.user_id,
                username=username,
                name=name or username,
                team=team_name,
                state=LOST if lost else row.state,
                reason=None if lost else row.reason,
                since=since,
                seconds_in_state=max(0.0, (now - since).total_seconds()),
                call_direction=row.call_direction,
                call_number=row.call_number,
                party_name=row.party_name,
                campaign=row.campaign,
            )
        )
    return agents


def may_view_board(sessions: sessionmaker[Session], viewer: AgentRef) -> bool:
    """Whether ``viewer``'s role may open the board (``view_board``)."""
    with sessions() as session:
        access = acting_access(session, viewer)
        return access is None or access.has(Capability.VIEW_BOARD)


def read_board(
    sessions: sessionmaker[Session], viewer: AgentRef, *, team: str | None = None
) -> Sequence[AgentOnBoard]:
    """:func:`board_agents` for ``viewer``, in a session of its own."""
    with sessions() as session:
        return board_agents(session, acting_access(session, viewer), team=team)

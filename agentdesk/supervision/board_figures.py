"""What the supervisor board shows beside the agents, read from the rollups only.

Queue tiles sum today's 15-minute rows of ``queue_intervals`` (a day is a whole number of
intervals in any time zone with a whole-quarter offset) and count the callers still waiting in
``queue_calls``; an agent's calls and AHT today sum their ``agent_intervals``. No read scans the
call log, so a refresh costs the same on a day of ten calls or of a million.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.dialer.campaigns import all_campaigns
from agentdesk.dialer.outcomes import CampaignProgress, campaign_progress
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.contact_metrics import QueueCounts, ServiceLevelFormula
from agentdesk.supervision.models import (
    AgentInterval,
    AgentPresence,
    Queue,
    QueueCall,
    QueueInterval,
    QueueLeg,
)
from agentdesk.supervision.presence import LOST, LOST_AFTER, AgentOnBoard, database_now
from agentdesk.supervision.queue_members import queue_staff

WAITING_AT_MOST = timedelta(hours=1)
"""A caller still "waiting" after this is a call whose desks never reported its end: left
off the tiles rather than shown waiting for ever (the outer bound of :func:`still_ringing`)."""
ON_CALL = frozenset({"ringing", "talking", "held"})


@dataclass(frozen=True, slots=True)
class QueueTile:
    queue: str
    today: QueueCounts
    waiting: int
    longest_waiting_s: float | None
    """How long the caller waiting longest has waited, now; ``None`` with nobody waiting."""
    formula: ServiceLevelFormula
    members: frozenset[uuid.UUID] | None = None
    """The agents who serve the queue (``queue_members``); ``None``: nobody is named, and
    the tile shows no agent counts rather than the whole floor's."""

    @property
    def service_level_pct(self) -> float | None:
        return self.today.service_level_pct(self.formula)

    def staffing(self, agents: Sequence[AgentOnBoard]) -> Staffing | None:
        """The members among ``agents`` (those the viewer watches) by state; ``None``
        without members."""
        if self.members is None:
            return None
        return Staffing.count(a.state for a in agents if a.user_id in self.members)


@dataclass(frozen=True, slots=True)
class Staffing:
    """A queue's agents by state. A lost desk counts in none of them (never available),
    nor does a logged-out agent (the board does not list them)."""

    available: int = 0
    on_call: int = 0
    wrap_up: int = 0
    not_ready: int = 0
    lost: int = 0

    @classmethod
    def count(cls, states: Iterable[str]) -> Staffing:
        tally = dict.fromkeys(("available", "on_call", "wrap_up", "not_ready", "lost"), 0)
        for state in states:
            match state:
                case "available" | "wrap_up" | "not_ready":
                    tally[state] += 1
                case _ if state in ON_CALL:
                    tally["on_call"] += 1
                case _ if state == LOST:
                    tally["lost"] += 1
        return cls(**tally)


@dataclass(frozen=True, slots=True)
class AgentToday:
    handled: int
    handle_s: float

    @property
    def aht_s(self) -> float | None:
        return self.handle_s / self.handled if self.handled else None


def _counts(values: Sequence[Any]) -> QueueCounts:
    """The summed columns, in the order the query reads them (QueueCounts' fields)."""
    offered, answered, abandoned, short, within, after, wait, longest, handled, handle = values
    return QueueCounts(
        offered=int(offered), answered=int(answered), abandoned=int(abandoned),
        short_abandoned=int(short), answered_within=int(within), abandoned_after=int(after),
        answered_wait_s=float(wait), longest_wait_s=float(longest), handled=int(handled),
        handle_s=float(handle),
    )  # fmt: skip


def queue_tiles(
    session: Session, since: datetime, now: datetime, formula: ServiceLevelFormula
) -> list[QueueTile]:
    """Every configured queue (and any other with figures since ``since``), by name."""
    q = QueueInterval
    summed = (
        q.offered, q.answered, q.abandoned, q.short_abandoned, q.answered_within,
        q.abandoned_after, q.answered_wait_s,
    )  # fmt: skip
    rows = session.execute(
        select(
            q.queue,
            *(func.coalesce(func.sum(column), 0) for column in summed),
            func.coalesce(func.max(q.longest_wait_s), 0.0),
            func.coalesce(func.sum(q.handled), 0),
            func.coalesce(func.sum(q.handle_s), 0.0),
        )
        .where(q.interval_start >= since, q.interval_start <= now)
        .group_by(q.queue)
    ).all()
    today = {row[0]: _counts(row[1:]) for row in rows}
    waiting = {
        queue: (count, oldest)
        for queue, count, oldest in session.execute(
            select(QueueCall.queue, func.count(), func.min(QueueCall.offered_at))
            .where(
                QueueCall.booked_interval.is_(None),
                QueueCall.answered_at.is_(None),
                QueueCall.offered_at >= now - WAITING_AT_MOST,
                still_ringing(now),
            )
            .group_by(QueueCall.queue)
        )
    }
    staff = queue_staff(session)
    names = set(session.scalars(select(Queue.name))) | set(today) | set(waiting)
    tiles = []
    for name in sorted(names):
        count, oldest = waiting.get(name, (0, None))
        longest = max(0.0, (now - oldest).total_seconds()) if oldest is not None else None
        tiles.append(
            QueueTile(
                name, today.get(name, QueueCounts()), count, longest, formula, staff.get(name)
            )
        )
    return tiles


def still_ringing(now: datetime) -> ColumnElement[bool]:
    """A waiting call still rings a desk: one of its legs is open (not ended) on a desk that
    is not known to be gone. A desk is gone when its presence went silent for
    :data:`LOST_AFTER` or it logged out; a leg whose agent has no presence row this viewer
    can read counts as ringing (only the hour of :data:`WAITING_AT_MOST` bounds it). So a
    caller whose every desk died mid-ring leaves the tile once the last desk shows lost.
    """
    gone = exists().where(
        AgentPresence.user_id == QueueLeg.agent_id,
        or_(
            AgentPresence.heartbeat_at < now - LOST_AFTER,
            AgentPresence.state == AgentStatus.LOGGED_OUT.value,
        ),
    )
    return exists().where(
        QueueLeg.sip_call_id == QueueCall.sip_call_id, QueueLeg.ended_at.is_(None), ~gone
    )


def agents_today(
    session: Session, since: datetime, now: datetime
) -> Mapping[uuid.UUID, AgentToday]:
    """Each agent's handled calls and handling time (talk + hold + wrap-up) since ``since``."""
    rows = session.execute(
        select(
            AgentInterval.agent_id,
            func.sum(AgentInterval.handled_in + AgentInterval.handled_out),
            func.sum(AgentInterval.talk_s + AgentInterval.hold_s + AgentInterval.wrapup_s),
        )
        .where(AgentInterval.interval_start >= since, AgentInterval.interval_start <= now)
        .group_by(AgentInterval.agent_id)
    )
    return {agent: AgentToday(int(n or 0), float(s or 0.0)) for agent, n, s in rows}


@dataclass(frozen=True, slots=True)
class BoardFigures:
    queues: list[QueueTile]
    agents: Mapping[uuid.UUID, AgentToday]


def day_start(now: datetime, zone: tzinfo | None) -> datetime:
    """Midnight of ``now``'s day in ``zone`` (``None``: this machine's), in UTC."""
    local = now.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def read_figures(
    sessions: sessionmaker[Session], formula: ServiceLevelFormula, zone: tzinfo | None = None
) -> BoardFigures:
    """Today's queue tiles and agent figures, in the database's clock."""
    with sessions() as session:
        now = database_now(session)
        since = day_start(now, zone)
        return BoardFigures(
            queue_tiles(session, since, now, formula), agents_today(session, since, now)
        )


def campaigns_progress(sessions: sessionmaker[Session]) -> list[CampaignProgress]:
    """Each active campaign's progress (dialed, contacted, successes, remaining). A grouped
    scan of the campaign's entries, not of the call log: the board reads it on a slower
    clock than the rest (:data:`CAMPAIGNS_EVERY_S`)."""
    return [
        campaign_progress(sessions, info.name) for info in all_campaigns(sessions) if info.active
    ]


CAMPAIGNS_EVERY_S = 30

"""The supervision tables: one current presence row per agent, and the log of their states.

Times are the database's clock (PostgreSQL's ``now()``; on SQLite, one machine, its clock),
so desks whose clocks disagree still line up on a board.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agentdesk.db.base import Base, UtcDateTime
from agentdesk.domain.clock import utcnow
from agentdesk.domain.contact_metrics import (
    DEFAULT_SERVICE_SECONDS,
    DEFAULT_SHORT_ABANDON_SECONDS,
)
from agentdesk.domain.ids import uuid7


class AgentPresence(Base):
    """What one agent's desk said last: state, since when, the call, and its heartbeat."""

    __tablename__ = "agent_presence"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(64))
    since: Mapped[datetime] = mapped_column(UtcDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime())
    call_direction: Mapped[str | None] = mapped_column(String(16))
    call_number: Mapped[str | None] = mapped_column(String(64))
    party_name: Mapped[str | None] = mapped_column(String(200))
    campaign: Mapped[str | None] = mapped_column(String(120))


class AgentStateLog(Base):
    """Append-only: every state an agent entered, and when (the next row ends it)."""

    __tablename__ = "agent_state_log"
    __table_args__ = (Index("ix_agent_state_log_user_at", "user_id", "at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class Queue(Base):
    """A queue: a name for the numbers callers dial, and its service-level thresholds.

    Configuration: every desk reads it, a user manager writes it (migration 0020).
    """

    __tablename__ = "queues"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    service_seconds: Mapped[float] = mapped_column(default=DEFAULT_SERVICE_SECONDS)
    short_abandon_seconds: Mapped[float] = mapped_column(default=DEFAULT_SHORT_ABANDON_SECONDS)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class QueueNumber(Base):
    """A number (E.164) that reaches a queue; a number belongs to one queue only."""

    __tablename__ = "queue_numbers"

    e164: Mapped[str] = mapped_column(String(16), primary_key=True)
    queue_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("queues.id", ondelete="CASCADE"), index=True
    )


class QueueMember(Base):
    """Who serves a queue: one agent, or one team (its agents, as the team is now).

    Configuration like the queue itself (migration 0026). The board counts the members'
    presence on the queue's tile; ``--team`` reports pick the queues a team's agents serve.
    """

    __tablename__ = "queue_members"
    __table_args__ = (
        UniqueConstraint("queue_id", "user_id", name="uq_queue_members_queue_user"),
        UniqueConstraint("queue_id", "team_id", name="uq_queue_members_queue_team"),
        CheckConstraint("(user_id IS NULL) <> (team_id IS NULL)", name="one_member"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    queue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("queues.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True
    )


class QueueLeg(Base):
    """One desk's part of a queue call: a copy of the figures of its call row, which a desk
    may not be allowed to read, kept by the journal entry that changes the row."""

    __tablename__ = "queue_legs"

    call_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sip_call_id: Mapped[str] = mapped_column(String(256), index=True)
    queue: Mapped[str] = mapped_column(String(64))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_elsewhere: Mapped[bool] = mapped_column(default=False)
    talk_seconds: Mapped[float] = mapped_column(default=0.0)
    hold_seconds: Mapped[float] = mapped_column(default=0.0)
    wrapup_seconds: Mapped[float | None]


class QueueCall(Base):
    """One caller in a queue: every desk the call rang logs a leg with the same SIP Call-ID,
    and this row is their sum (see ``supervision.queue_calls``). ``booked_*``: what the row
    added to its intervals last, so a later leg replaces it exactly."""

    __tablename__ = "queue_calls"
    # the calls of one queue interval (its longest wait), and the callers waiting (booked NULL)
    __table_args__ = (Index("ix_queue_calls_interval_queue", "booked_interval", "queue"),)

    sip_call_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    queue: Mapped[str] = mapped_column(String(64))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    talk_seconds: Mapped[float] = mapped_column(default=0.0)
    hold_seconds: Mapped[float] = mapped_column(default=0.0)
    wrapup_seconds: Mapped[float | None]
    booked_interval: Mapped[datetime | None] = mapped_column(UtcDateTime())
    """The interval the call is booked in (its offer's), ``None`` while it is not complete."""
    booked_wait: Mapped[float | None]
    service_seconds: Mapped[float] = mapped_column(default=DEFAULT_SERVICE_SECONDS)
    short_abandon_seconds: Mapped[float] = mapped_column(default=DEFAULT_SHORT_ABANDON_SECONDS)


class QueueInterval(Base):
    """What a queue's calls added to one 15-minute interval (``domain.contact_metrics``)."""

    __tablename__ = "queue_intervals"
    __table_args__ = (Index("ix_queue_intervals_start", "interval_start"),)  # a day, all queues

    queue: Mapped[str] = mapped_column(String(64), primary_key=True)
    interval_start: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    offered: Mapped[int] = mapped_column(default=0)
    answered: Mapped[int] = mapped_column(default=0)
    abandoned: Mapped[int] = mapped_column(default=0)
    short_abandoned: Mapped[int] = mapped_column(default=0)
    answered_within: Mapped[int] = mapped_column(default=0)
    abandoned_after: Mapped[int] = mapped_column(default=0)
    answered_wait_s: Mapped[float] = mapped_column(default=0.0)
    longest_wait_s: Mapped[float] = mapped_column(default=0.0)
    handled: Mapped[int] = mapped_column(default=0)
    handle_s: Mapped[float] = mapped_column(default=0.0)


class AgentInterval(Base):
    """One agent's handled calls in one 15-minute interval (booked where the call ended);
    a day in any time zone is a sum of whole intervals."""

    __tablename__ = "agent_intervals"
    __table_args__ = (Index("ix_agent_intervals_start", "interval_start"),)  # a day, all agents

    agent_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), primary_key=True)
    interval_start: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    handled_in: Mapped[int] = mapped_column(default=0)
    handled_out: Mapped[int] = mapped_column(default=0)
    talk_s: Mapped[float] = mapped_column(default=0.0)
    hold_s: Mapped[float] = mapped_column(default=0.0)
    wrapup_s: Mapped[float] = mapped_column(default=0.0)

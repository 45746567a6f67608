"""The supervision tables: one current presence row per agent, and the log of their states.

Times are the database's clock (PostgreSQL's ``now()``; on SQLite, one machine, its clock),
so desks whose clocks disagree still line up on a board.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from agentdesk.db.base import Base, UtcDateTime


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

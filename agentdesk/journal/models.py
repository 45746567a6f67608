"""The shared side of the journal: which entries the shared database has already applied.

A row is written in the transaction that applies the entry, so "applied" and "recorded as
applied" commit together. A desk that crashed after the commit but before it marked the entry
in its own file finds the row on replay and skips the entry: applying twice changes nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from agentdesk.db.base import Base
from agentdesk.domain.clock import utcnow


class AppliedEntry(Base):
    """One journal entry the shared database has applied (insert and read only)."""

    __tablename__ = "journal_applied"

    entry_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)

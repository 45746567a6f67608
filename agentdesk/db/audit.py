"""The audit log: who created, changed, imported, exported or printed what.

Entries are appended in the caller's transaction, so an audited change and its entry commit
together or not at all. The actor is resolved by the caller (``org.users.actor_of``): this layer
knows the table, not who the users are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from agentdesk.db.base import Base, UuidPk, str_enum
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction


class AuditEntry(UuidPk, Base):
    """Append-only: who created, changed, imported, exported or printed what."""

    __tablename__ = "audit_log"

    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "audit_action"))
    entity_kind: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    details: Mapped[dict[str, Any] | None]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did it: a known user (``user_id``) or only a name (a user unknown to the database)."""

    user_id: uuid.UUID | None
    name: str | None


def audit(
    session: Session,
    actor: Actor | None,
    action: AuditAction,
    entity_kind: str,
    entity_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry in the caller's transaction."""
    session.add(
        AuditEntry(
            user_id=actor.user_id if actor else None,
            actor=actor.name if actor else None,
            action=action,
            entity_kind=entity_kind,
            entity_id=entity_id,
            details=details,
        )
    )

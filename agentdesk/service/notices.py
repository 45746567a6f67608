"""A desk's escalation notices: the unread ones of the desk's user with their case, and
marking them read (on PostgreSQL the ``mark_read`` policy of migration 0015 lets a login
change its own notices only; the service asks for its own too, on both engines)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import ServiceCase
from agentdesk.crm.permissions import acting_access
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.cases import EscalationReason
from agentdesk.domain.clock import utcnow
from agentdesk.org.users import AgentRef, user_by_ref
from agentdesk.service.escalation import ESCALATED
from agentdesk.service.models import CaseNotification

LIMIT = 200
"""The newest unread notices a desk lists; older ones wait until these are read."""


@dataclass(frozen=True, slots=True)
class Notice:
    id: uuid.UUID
    number: str
    subject: str
    reason: EscalationReason | None
    """``None`` for a notice from before the reasons were kept (migration 0025)."""
    created_at: datetime


def _user_id(session: Session, agent: AgentRef | None) -> uuid.UUID | None:
    access = acting_access(session, agent)
    if access is not None:
        return access.user_id
    user = user_by_ref(session, agent) if agent is not None else None
    return user.id if user is not None else None


def unread_escalations(sessions: sessionmaker[Session], agent: AgentRef | None) -> list[Notice]:
    """The user's unread escalation notices, newest first."""
    with unit_of_work(sessions) as session:
        user_id = _user_id(session, agent)
        if user_id is None:
            return []
        rows = session.execute(
            select(
                CaseNotification.id,
                ServiceCase.number,
                ServiceCase.subject,
                CaseNotification.reason,
                CaseNotification.created_at,
            )
            .join(ServiceCase, ServiceCase.id == CaseNotification.case_id)
            .where(
                CaseNotification.user_id == user_id,
                CaseNotification.kind == ESCALATED,
                CaseNotification.read_at.is_(None),
            )
            .order_by(CaseNotification.created_at.desc(), CaseNotification.id.desc())
            .limit(LIMIT)
        ).all()
    return [
        Notice(id_, number or "", subject, _reason(reason), created)
        for id_, number, subject, reason, created in rows
    ]


def _reason(stored: str | None) -> EscalationReason | None:
    try:
        return EscalationReason(stored) if stored else None
    except ValueError:  # a reason a newer version wrote: shown without one
        return None


def mark_read(
    sessions: sessionmaker[Session],
    ids: Iterable[uuid.UUID],
    agent: AgentRef | None,
    now: datetime | None = None,
) -> int:
    """Mark the user's own notices among ``ids`` read; how many were."""
    wanted = list(ids)
    if not wanted:
        return 0
    with unit_of_work(sessions) as session:
        user_id = _user_id(session, agent)
        if user_id is None:
            return 0
        result = session.execute(
            update(CaseNotification)
            .where(
                CaseNotification.id.in_(wanted),
                CaseNotification.user_id == user_id,
                CaseNotification.read_at.is_(None),
            )
            .values(read_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )
        return cast("CursorResult[Any]", result).rowcount

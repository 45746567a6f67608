"""The callback queue: what an agent promised to call back, and when.

An agent sees their own pending callbacks plus the unassigned ("anyone") ones. Each edit
(snooze, reassign, complete, cancel) names the ``version`` the agent was shown; when another
agent changed the callback meanwhile the edit raises
:class:`~agentdesk.calls.log.StaleRecordError` instead of overwriting theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.records import CallLogError, person_name
from agentdesk.crm.models import Callback
from agentdesk.db.audit import audit
from agentdesk.db.base import Base
from agentdesk.db.engine import unit_of_work
from agentdesk.db.versioning import check_version, flush_versioned
from agentdesk.domain.changes import CALLBACKS
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, CallbackStatus
from agentdesk.org.users import AgentRef, actor_of, find_user

OVERDUE_GRACE = timedelta(minutes=5)
"""A callback becomes overdue this long after its due time (a reminder is not a deadline)."""
UPCOMING_HORIZON = timedelta(days=7)

_FIELDS = ("due_at", "agent_id", "status", "note", "phone_e164", "completed_at")

_t = Base.metadata.tables
_callbacks = _t["callbacks"]
_users = _t["users"]
_contacts = _t["contacts"]
_leads = _t["leads"]


class CallbackState(StrEnum):
    """Where a pending callback stands relative to now."""

    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    CLOSED = "closed"  # done or cancelled


@dataclass(frozen=True, slots=True)
class CallbackItem:
    """One callback as the due list shows it; ``version`` goes back with every edit."""

    id: uuid.UUID
    version: int
    due_at: datetime
    status: CallbackStatus
    state: CallbackState
    overdue: bool
    agent_id: uuid.UUID | None  # None: anyone may take it
    agent_username: str | None
    contact_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    name: str | None
    phone_e164: str | None
    note: str | None
    call_id: uuid.UUID | None
    completed_at: datetime | None

    @property
    def due(self) -> bool:
        """Due or overdue: the reminder should have fired."""
        return self.state in (CallbackState.DUE, CallbackState.OVERDUE)


@dataclass(frozen=True, slots=True)
class CallbackChanged:
    """The callback after an edit, and the data kinds the edit touched."""

    callback: CallbackItem
    changed: frozenset[str]


def state_of(
    status: CallbackStatus, due_at: datetime, now: datetime, grace: timedelta = OVERDUE_GRACE
) -> CallbackState:
    if status is not CallbackStatus.PENDING:
        return CallbackState.CLOSED
    if due_at + grace < now:
        return CallbackState.OVERDUE
    if due_at <= now:
        return CallbackState.DUE
    return CallbackState.UPCOMING


class CallbackService:
    """Lists and edits callbacks. ``clock`` is for tests."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        clock: Callable[[], datetime] = utcnow,
        grace: timedelta = OVERDUE_GRACE,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._grace = grace

    def for_agent(
        self,
        agent: AgentRef,
        *,
        horizon: timedelta = UPCOMING_HORIZON,
        limit: int = 200,
    ) -> tuple[CallbackItem, ...]:
        """Pending callbacks of ``agent`` and of anyone: overdue, due, then upcoming within
        ``horizon``; oldest due first."""
        now = self._clock()
        with self._sessions() as session:
            user = find_user(session, agent)
            stmt = (
                _select_items()
                .where(
                    _callbacks.c.status == CallbackStatus.PENDING.value,
                    _callbacks.c.due_at <= now + horizon,
                    or_(_callbacks.c.agent_id == user.id, _callbacks.c.agent_id.is_(None)),
                    _callbacks.c.deleted_at.is_(None),
                )
                .order_by(_callbacks.c.due_at, _callbacks.c.id)
                .limit(limit)
            )
            return tuple(_item(row, now, self._grace) for row in session.execute(stmt))

    def pending(self, *, due_only: bool = False, limit: int | None = None) -> list[CallbackItem]:
        """Every agent's pending callbacks (the supervisor's and the CLI's view)."""
        now = self._clock()
        with self._sessions() as session:
            stmt = _select_items().where(
                _callbacks.c.status == CallbackStatus.PENDING.value,
                _callbacks.c.deleted_at.is_(None),
            )
            if due_only:
                stmt = stmt.where(_callbacks.c.due_at <= now)
            stmt = stmt.order_by(_callbacks.c.due_at, _callbacks.c.id)
            if limit is not None:
                stmt = stmt.limit(limit)
            return [_item(row, now, self._grace) for row in session.execute(stmt)]

    def get(self, callback_id: uuid.UUID) -> CallbackItem:
        with self._sessions() as session:
            row = session.execute(
                _select_items().where(_callbacks.c.id == callback_id)
            ).one_or_none()
            if row is None:
                raise CallLogError(f"callback {callback_id} does not exist")
            return _item(row, self._clock(), self._grace)

    # -- edits -----------------------------------------------------------------------------

    def snooze(
        self,
        callback_id: uuid.UUID,
        until: datetime,
        *,
        expected_version: int,
        actor: AgentRef | None = None,
    ) -> CallbackChanged:
        """Move the due time to ``until`` (which must be in the future)."""
        if until <= self._clock():
            raise CallLogError("snooze to a time in the future")

        def edit(session: Session, callback: Callback) -> dict[str, Any]:
            before = callback.due_at
            callback.due_at = until
            return {"snoozed_from": before.isoformat(), "until": until.isoformat()}

        return self._edit(callback_id, expected_version, actor, edit)

    def reassign(
        self,
        callback_id: uuid.UUID,
        agent: AgentRef | None,
        *,
        expected_version: int,
        actor: AgentRef | None = None,
    ) -> CallbackChanged:
        """Give the callback to ``agent`` (``None``: anyone)."""

        def edit(session: Session, callback: Callback) -> dict[str, Any]:
            before = callback.agent_id
            callback.agent_id = find_user(session, agent).id if agent is not None else None
            return {"from": str(before) if before else None, "to": str(callback.agent_id)}

        return self._edit(callback_id, expected_version, actor, edit)

    def complete(
        self,
        callback_id: uuid.UUID,
        *,
        expected_version: int,
        actor: AgentRef | None = None,
    ) -> CallbackChanged:
        """Mark the callback done (the call that fulfilled it has its own record)."""
        return self._close(callback_id, expected_version, actor, CallbackStatus.DONE)

    def cancel(
        self,
        callback_id: uuid.UUID,
        *,
        expected_version: int,
        actor: AgentRef | None = None,
    ) -> CallbackChanged:
        """Withdraw the callback: nobody needs to call."""
        return self._close(callback_id, expected_version, actor, CallbackStatus.CANCELLED)

    def _close(
        self,
        callback_id: uuid.UUID,
        expected_version: int,
        actor: AgentRef | None,
        status: CallbackStatus,
    ) -> CallbackChanged:
        def edit(session: Session, callback: Callback) -> dict[str, Any]:
            callback.status = status
            callback.completed_at = self._clock()
            return {"status": status.value}

        return self._edit(callback_id, expected_version, actor, edit)

    def _edit(
        self,
        callback_id: uuid.UUID,
        expected_version: int,
        actor: AgentRef | None,
        edit: Callable[[Session, Callback], dict[str, Any]],
    ) -> CallbackChanged:
        with unit_of_work(self._sessions) as session:
            callback = session.get(Callback, callback_id)
            check_version(callback, "callback", callback_id, expected_version, _FIELDS)
            assert callback is not None
            if callback.status is not CallbackStatus.PENDING:
                raise CallLogError(f"callback {callback_id} is already {callback.status.value}")
            details = edit(session, callback)
            flush_versioned(session, callback, "callback", expected_version, _FIELDS)
            audit(
                session,
                actor_of(session, actor),
                AuditAction.UPDATE,
                "callback",
                callback.id,
                details,
            )
            row = session.execute(_select_items().where(_callbacks.c.id == callback_id)).one()
            item = _item(row, self._clock(), self._grace)
        return CallbackChanged(callback=item, changed=frozenset({CALLBACKS}))


def _select_items() -> Select[Any]:
    cb = _callbacks
    return (
        select(
            cb.c.id,
            cb.c.version,
            cb.c.due_at,
            cb.c.status,
            cb.c.agent_id,
            _users.c.username,
            cb.c.contact_id,
            cb.c.lead_id,
            cb.c.phone_e164,
            cb.c.note,
            cb.c.call_id,
            cb.c.completed_at,
            _contacts.c.first_name.label("c_first"),
            _contacts.c.last_name.label("c_last"),
            _contacts.c.country.label("c_country"),
            _leads.c.first_name.label("l_first"),
            _leads.c.last_name.label("l_last"),
            _leads.c.country.label("l_country"),
        )
        .select_from(cb)
        .outerjoin(_users, _users.c.id == cb.c.agent_id)
        .outerjoin(_contacts, _contacts.c.id == cb.c.contact_id)
        .outerjoin(_leads, _leads.c.id == cb.c.lead_id)
    )


def _item(row: Any, now: datetime, grace: timedelta) -> CallbackItem:
    name = person_name(row)
    status = CallbackStatus(row.status)
    state = state_of(status, row.due_at, now, grace)
    return CallbackItem(
        id=row.id,
        version=row.version,
        due_at=row.due_at,
        status=status,
        state=state,
        overdue=state is CallbackState.OVERDUE,
        agent_id=row.agent_id,
        agent_username=row.username,
        contact_id=row.contact_id,
        lead_id=row.lead_id,
        name=name,
        phone_e164=row.phone_e164,
        note=row.note,
        call_id=row.call_id,
        completed_at=row.completed_at,
    )

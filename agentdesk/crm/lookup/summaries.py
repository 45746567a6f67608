"""What the screen pop shows of a caller: the matching records and each one's short history.

Frozen DTOs built by :class:`~agentdesk.crm.lookup.caller.CallerLookup`; the rules of what a
history holds live in :mod:`agentdesk.crm.lookup.history`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from agentdesk.domain.enums import (
    CallDirection,
    CasePriority,
    CaseStatus,
    OwnerKind,
    PhoneKind,
)
from agentdesk.domain.phone import PhoneNumber


@dataclass(frozen=True, slots=True)
class CallSummary:
    """One earlier call with this caller, newest first in :class:`History`."""

    id: uuid.UUID
    started_at: datetime
    direction: CallDirection
    disposition_code: str | None
    notes: str | None
    talk_seconds: float | None


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """An open service case (new, open or pending)."""

    id: uuid.UUID
    subject: str
    status: CaseStatus
    priority: CasePriority
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class OpportunitySummary:
    """An opportunity that is neither won nor lost yet."""

    id: uuid.UUID
    name: str
    stage: str
    """The stage's code (``opportunity_stages``)."""
    amount: Decimal | None
    close_date: date | None


@dataclass(frozen=True, slots=True)
class CallbackSummary:
    """A pending callback that is overdue or due within
    :data:`~agentdesk.crm.lookup.history.CALLBACK_HORIZON`."""

    id: uuid.UUID
    due_at: datetime
    note: str | None
    agent_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class History:
    """What the agent should see at a glance when this record calls."""

    last_calls: tuple[CallSummary, ...] = ()
    open_cases: tuple[CaseSummary, ...] = ()
    open_opportunities: tuple[OpportunitySummary, ...] = ()
    due_callbacks: tuple[CallbackSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """One record that owns the calling number."""

    kind: OwnerKind
    id: uuid.UUID
    name: str
    company: str | None
    phone_kind: PhoneKind
    last_contact_at: datetime | None
    history: History


@dataclass(frozen=True, slots=True)
class CallerMatch:
    """The normalised number and every record it belongs to (possibly none)."""

    number: PhoneNumber
    matches: tuple[Match, ...]

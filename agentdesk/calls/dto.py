"""What the call log takes and hands out: frozen values, never live ORM rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from agentdesk.domain.enums import CallDirection, CasePriority
from agentdesk.domain.labels import Label
from agentdesk.org.users import AgentRef


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the softphone knows about a call. Timestamps are aware UTC (naive is refused)."""

    direction: CallDirection
    started_at: datetime
    remote_raw: str | None = None
    remote_e164: str | None = None
    local_party: str | None = None
    agent: AgentRef | None = None
    sip_call_id: str | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    hold_seconds: float | None = None
    end_reason: str | None = None
    recording_path: str | None = None
    contact_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    queue_number: str | None = None
    """The number (E.164) the caller dialed, which names the queue; ``None`` for no queue."""
    answered_elsewhere: bool = False
    wrapup_seconds: float | None = None


@dataclass(frozen=True, slots=True)
class CallbackRequest:
    """A callback to schedule from the wrap-up.

    ``agent`` ``None`` means anyone may take it. ``contact_id``, ``lead_id`` and ``phone_e164``
    default to the call's.
    """

    due_at: datetime
    agent: AgentRef | None = None
    contact_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    phone_e164: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    """A service case opened from the call (linked to it and to the caller)."""

    subject: str
    priority: CasePriority = CasePriority.NORMAL
    description: str | None = None
    zone: str | None = None
    """The zone of the office hours until a calendar is imported (``[service] timezone`` of
    the desk that made the wrap-up); None: the machine's."""
    opened_at: datetime | None = None
    """When the agent opened it (a journal replay later keeps this, not the replay's time)."""


@dataclass(frozen=True, slots=True)
class WrapUp:
    """Everything the wrap-up form saves, in one transaction.

    Give ``call_id`` for a call recorded with :meth:`CallLog.start_call`, ``facts`` for one that
    was not (the call row is created), or both to record the final facts at the same time.
    ``disposition_code`` is required. ``record_id`` is the id the desk gave the call (the
    journal's entries name it): the row is updated if it exists, else created with that id.
    """

    disposition_code: str
    call_id: uuid.UUID | None = None
    facts: CallFacts | None = None
    notes: str | None = None
    callback: CallbackRequest | None = None
    new_case: NewCase | None = None
    opportunity_id: uuid.UUID | None = None
    actor: AgentRef | None = None  # who saved it (defaults to the call's agent)
    linked_case_id: uuid.UUID | None = None
    """An open case of the party the call is about (instead of opening a new one)."""
    record_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call as stored."""

    id: uuid.UUID
    version: int
    direction: CallDirection
    remote_e164: str | None
    remote_raw: str | None
    local_party: str | None
    agent_id: uuid.UUID | None
    sip_call_id: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    ring_seconds: float | None
    talk_seconds: float | None
    hold_seconds: float | None
    end_reason: str | None
    recording_path: str | None
    disposition_code: str | None
    notes: str | None
    contact_id: uuid.UUID | None
    account_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    opportunity_id: uuid.UUID | None
    case_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class WrapUpSaved:
    """The result of :meth:`CallLog.save_wrapup`; ``changed`` names the data kinds touched."""

    call: CallRecord
    callback_id: uuid.UUID | None
    case_id: uuid.UUID | None
    changed: frozenset[str]


@dataclass(frozen=True, slots=True)
class DispositionInfo:
    """A wrap-up code for the form's chooser."""

    id: uuid.UUID
    code: str
    label: str
    needs_callback: bool
    is_default: bool
    label_zh: str | None = None

    @property
    def labels(self) -> Label:
        """The label in English and Chinese: the UI shows the one of its language."""
        return Label(self.label, self.label_zh)


@dataclass(frozen=True, slots=True)
class RecentCall:
    """A row of the agent's recent-calls list."""

    id: uuid.UUID
    direction: CallDirection
    remote_e164: str | None
    started_at: datetime
    talk_seconds: float | None
    disposition_code: str | None
    party_name: str | None
    contact_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    account_id: uuid.UUID | None

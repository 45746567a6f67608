"""What the desk controller tells the UI: frozen views, delivered on the asyncio (GUI) thread.

The UI never sees a telephony event or an ORM object: it renders these and sends commands back
to :class:`agentdesk.app.desk.controller.DeskController`.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from agentdesk.app.notices import Notice
from agentdesk.calls.dto import DispositionInfo, WrapUpSaved
from agentdesk.crm.lookup.summaries import Match
from agentdesk.crm.party_details import PartyRef


class CallPhase(enum.StrEnum):
    RINGING = "ringing"  # inbound, offered
    DIALING = "dialing"  # outbound, not answered yet
    TALKING = "talking"
    HELD = "held"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class CallView:
    """The agent's current call as the softphone bar shows it."""

    call_id: str
    sip_call_id: str
    inbound: bool
    remote: str
    display_name: str | None
    phase: CallPhase
    muted: bool = False
    recording: bool = False
    started: float = 0.0  # monotonic
    answered: float | None = None  # monotonic
    consult_call_id: str | None = None
    consult_connected: bool = False
    transfer_status: str | None = None


@dataclass(frozen=True, slots=True)
class AgentView:
    status: str  # an AgentStatus value
    not_ready_reason: str | None
    pending_not_ready: str | None
    wrapup_deadline: float | None  # monotonic


@dataclass(frozen=True, slots=True)
class RegistrationView:
    state: str  # "direct", "registering", "registered", "unregistered", "failed"
    detail: str


@dataclass(frozen=True, slots=True)
class ScreenPop:
    """Who is calling: no match, one, or several; ``chosen`` is what the panel should show."""

    call_id: str
    sip_call_id: str
    number: str
    matches: tuple[Match, ...]
    chosen: Match | None
    from_context: bool = False
    inbound: bool = True
    """False for a call the agent placed: an unknown number is not an "unknown caller"."""
    unavailable: bool = False
    """The database could not be reached: who is calling is not known (not "unknown caller");
    the desk retries and pops again when it can."""
    queue: str | None = None
    """The queue whose number the caller dialed (``agentdesk queue add``), if any."""

    @property
    def kind(self) -> str:
        if self.unavailable:
            return "unavailable"
        if self.chosen is not None and (self.from_context or len(self.matches) == 1):
            return "one"
        return "several" if len(self.matches) > 1 else "none"


@dataclass(frozen=True, slots=True)
class WrapupView:
    call_id: str
    sip_call_id: str
    number: str
    party: PartyRef | None
    deadline: float | None  # monotonic; None: no timer
    seconds: float | None
    dispositions: tuple[DispositionInfo, ...]
    default_code: str | None


@dataclass(frozen=True, slots=True)
class AgentChanged:
    agent: AgentView


@dataclass(frozen=True, slots=True)
class RegistrationChangedView:
    registration: RegistrationView


@dataclass(frozen=True, slots=True)
class CallChanged:
    call: CallView | None  # None: no call any more


@dataclass(frozen=True, slots=True)
class ScreenPopReady:
    pop: ScreenPop


@dataclass(frozen=True, slots=True)
class PartyChosen:
    """The record the call is linked to changed (chooser, new contact, context)."""

    call_id: str
    party: PartyRef | None


@dataclass(frozen=True, slots=True)
class WrapupStarted:
    wrapup: WrapupView


@dataclass(frozen=True, slots=True)
class WrapupFinished:
    call_id: str
    saved: WrapUpSaved | None
    """``None``: kept in the journal (the database is away, or the change failed in a way that
    may pass); the journal applies it later."""
    expired: bool
    callback_due: datetime | None = None
    """The callback time the agent chose in the form (the dialer schedules the entry by it)."""

    @property
    def changed(self) -> frozenset[str]:
        return self.saved.changed if self.saved is not None else frozenset()

    @property
    def kept(self) -> bool:
        return self.saved is None


@dataclass(frozen=True, slots=True)
class CallFinished:
    """The agent's call ended, with how (the dialer records it as the attempt's outcome).

    ``outcome`` is a ``telephony.port.CallOutcome`` value; ``sip_code`` the final INVITE status
    for an unanswered call (408 for our own ring timeout).
    """

    call_id: str
    inbound: bool
    outcome: str
    sip_code: int
    answered: bool
    started_at: datetime
    ended_at: datetime
    record_id: uuid.UUID | None = None
    """The call's row in the log (its journal entries' record)."""


@dataclass(frozen=True, slots=True)
class DialFailed:
    """A ``dial()`` that was accepted did not become a call (the phone refused it)."""

    target: str
    reason: str


@dataclass(frozen=True, slots=True)
class DataChanged:
    """Stored data changed outside a wrap-up (a missed call was logged).

    For a logged call, ``call_id`` is the desk's call and ``record_id`` the call row written
    (the dialer links its attempt to it).
    """

    changed: frozenset[str]
    call_id: str | None = None
    record_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class DeskNotice:
    """Something for the status bar; ``error`` ones are shown prominently. The UI words it
    by its kind (``notice``); ``message`` is the English sentence."""

    notice: Notice
    error: bool = False

    @property
    def message(self) -> str:
        return self.notice.message


@dataclass(frozen=True, slots=True)
class JournalView:
    """The desk's journal: changes kept on this computer, not yet in the shared database."""

    pending: int
    refused: int
    unreachable: bool


@dataclass(frozen=True, slots=True)
class JournalChanged:
    journal: JournalView


DeskEvent = (
    AgentChanged
    | RegistrationChangedView
    | CallChanged
    | ScreenPopReady
    | PartyChosen
    | WrapupStarted
    | WrapupFinished
    | CallFinished
    | DialFailed
    | DataChanged
    | DeskNotice
    | JournalChanged
)

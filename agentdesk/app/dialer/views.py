"""What the dialer session tells the UI: its phase and view, notices, and how an entry ended.

Frozen values, delivered on the asyncio (GUI) thread; the panel renders them and sends commands
back to :class:`agentdesk.app.dialer.session.DialerSession`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from agentdesk.app.notices import Notice
from agentdesk.crm.party_details import PartyRef
from agentdesk.dialer.campaigns import CampaignInfo
from agentdesk.dialer.entry_state import EntryState
from agentdesk.dialer.outcomes import CampaignProgress
from agentdesk.dialer.rules import Outcome
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.labels import Label
from agentdesk.telephony.port import CallOutcome

DEFAULT_PREVIEW_SECONDS = 10.0

# The port's outcome of an outbound call, as the dialer's attempt outcome. Inbound-only
# outcomes cannot happen on a dialled call; they count as our failure.
_OUTCOMES: Mapping[str, Outcome] = {
    CallOutcome.ANSWERED_COMPLETED: Outcome.ANSWERED,
    CallOutcome.TRANSFERRED: Outcome.ANSWERED,
    CallOutcome.BUSY: Outcome.BUSY,
    CallOutcome.NO_ANSWER: Outcome.NO_ANSWER,
    CallOutcome.INVALID_NUMBER: Outcome.INVALID_NUMBER,
    CallOutcome.DECLINED: Outcome.DECLINED,
    CallOutcome.CANCELLED: Outcome.CANCELLED,
}


def attempt_outcome(call_outcome: str) -> Outcome:
    """The attempt outcome for how a dialled call ended (a ``CallOutcome`` value)."""
    return _OUTCOMES.get(call_outcome, Outcome.FAILED)


class DialerPhase(enum.StrEnum):
    STOPPED = "stopped"  # not started, or paused
    WAITING = "waiting"  # started; the agent is busy (another call, wrap-up, not ready)
    LOADING = "loading"  # asking for the next entry
    OFFERED = "offered"  # an entry is reserved and shown (preview countdown)
    CHOOSING = "choosing"  # manual mode: ``choices`` are listed for the agent to pick
    DIALING = "dialing"  # last checks done / the phone is calling
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    NOTHING = "nothing"  # nothing dialable now; ``blocked`` says why
    OUTAGE = "outage"  # paused by itself: reservations need the shared database, away now


@dataclass(frozen=True, slots=True)
class EntryResult:
    """How the previous entry ended: ``what`` is an attempt outcome, a wrap-up code,
    ``skipped`` or ``dnc``; ``status`` and ``next_at`` where the entry stands now."""

    name: str
    what: str
    status: str
    next_at: datetime | None = None
    label: Label | None = None
    """A wrap-up code's labels (the UI shows its language's): a code is not for people."""


@dataclass(frozen=True, slots=True)
class DialerView:
    """What the dialer panel renders."""

    campaign: CampaignInfo | None
    phase: DialerPhase = DialerPhase.STOPPED
    entry: OfferedEntry | None = None
    countdown_deadline: float | None = None
    """Monotonic time the previewed entry is dialled at; ``None``: no countdown running."""
    countdown_seconds: float = DEFAULT_PREVIEW_SECONDS
    blocked: Mapping[str, int] = field(default_factory=dict)
    progress: CampaignProgress | None = None
    last_result: EntryResult | None = None
    choices: tuple[OfferedEntry, ...] = ()
    """Manual mode: the entries the agent may pick (none of them reserved)."""

    @property
    def running(self) -> bool:
        return self.phase is not DialerPhase.STOPPED

    @property
    def mode(self) -> str | None:
        return self.campaign.mode if self.campaign else None


@dataclass(frozen=True, slots=True)
class DialerChanged:
    view: DialerView


@dataclass(frozen=True, slots=True)
class DialerNotice:
    """Something for the status bar, worded by the UI by its kind (``notice``)."""

    notice: Notice
    error: bool = False
    who: str = ""
    reason: str = ""
    """For a refused pick: a key of ``agentdesk.dialer.picking.REASONS`` (the UI words it)."""

    @property
    def message(self) -> str:
        """The English sentence."""
        return self.notice.message


DialerEvent = DialerChanged | DialerNotice
Listener = Callable[[DialerEvent], None]


def party_of(entry: OfferedEntry) -> PartyRef | None:
    """The CRM record the entry came from, if any."""
    if entry.contact_id is not None:
        return PartyRef(OwnerKind.CONTACT, entry.contact_id)
    if entry.lead_id is not None:
        return PartyRef(OwnerKind.LEAD, entry.lead_id)
    return None


def who(entry: OfferedEntry) -> str:
    """The entry as a notice names it: the person, else the number."""
    return entry.name or entry.phone


def describe(
    entry: OfferedEntry, what: str, state: EntryState, label: Label | None = None
) -> EntryResult:
    waits = state.status in ("new", "callback")
    until = state.next_eligible_at if waits else None
    return EntryResult(who(entry), what, state.status, until, label)

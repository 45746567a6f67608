"""The agent's dialer session: works one campaign through the desk controller, free of Qt.

The agent picks a campaign and starts; the session asks for the next entry
(:func:`~agentdesk.dialer.selection.next_entry`, which reserves it), and by the campaign's mode:

preview
    the entry and its script show with a countdown (:data:`DEFAULT_PREVIEW_SECONDS`, a
    constructor setting: the campaign table has no column for it yet); at zero it is dialled.
    The agent may dial at once or skip it with a reason (back to the pool, audited).
progressive
    the entry is dialled as soon as it is reserved, i.e. as soon as the agent is available
    after the previous call's wrap-up.
manual
    the next few dialable entries are listed (:func:`~agentdesk.dialer.picking.peek_entries`,
    nothing reserved); the agent picks one, which is then reserved if it is still dialable for
    them (:func:`~agentdesk.dialer.picking.reserve_entry`: another agent may have taken it, or
    it was listed, or its hours closed) and dialled. A refused pick says why and the list is
    read again.

Dialling: ``start_dialing`` (the last DNC check) on the executor, then
:meth:`DeskController.dial` with the entry's record as the party, so the desk's screen pop,
call log and wrap-up work as for any outbound call. When the call ends the desk's
``CallFinished`` gives the SIP outcome, recorded with ``record_attempt`` (which applies the
retry rules). An answered call waits for the desk's wrap-up: ``WrapupFinished`` gives the
disposition and the callback time, applied with ``apply_disposition``. The desk does not wrap up
unanswered calls, so for them the retry rules alone decide the entry's next state.

The attempt is linked to the desk's call row: the row the wrap-up saved (answered calls), or
the row the desk logs for an unanswered call (its ``DataChanged`` names it; it may come before
or after the attempt is recorded).

Callbacks of campaign calls belong to the campaign entry, not to the CRM callback list: the
session tells the desk (``callback_elsewhere``) that the wrap-up of its call writes no CRM
callback, and ``apply_disposition`` makes the entry the agent's callback at the chosen time.
One callback, not two that could both be called; and because the dialer dials it, the DNC
lists and the callee's calling hours are checked again when it falls due, and the call counts
as an attempt of the campaign. The Callbacks tab lists these callbacks too (:meth:`callbacks`)
and dials them through :meth:`dial_callback`, i.e. through the same checks.

Everything here runs on the asyncio loop (the GUI thread under qasync); database work goes to
the executor and its results come back with ``call_soon_threadsafe``, as in the desk. The
session acts only while the agent is *available*: a countdown stops during an inbound call or
a break and starts again afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import (
    AgentChanged,
    CallChanged,
    CallFinished,
    CallPhase,
    DataChanged,
    DeskEvent,
    DialFailed,
    WrapupFinished,
    WrapupStarted,
)
from agentdesk.app.loop_work import LoopWork
from agentdesk.app.records import PartyRef
from agentdesk.dialer.callbacks import CampaignCallback as CampaignCallback
from agentdesk.dialer.callbacks import agent_callbacks
from agentdesk.dialer.campaigns import CampaignInfo as CampaignInfo
from agentdesk.dialer.campaigns import (
    DialerError,
    check_assigned,
    info_of,
    load_agent,
)
from agentdesk.dialer.models import Campaign
from agentdesk.dialer.outcomes import CampaignProgress as CampaignProgress
from agentdesk.dialer.outcomes import (
    DoNotCallError,
    EntryState,
    apply_disposition,
    campaign_progress,
    link_attempt_call,
    record_attempt,
    skip_entry,
    start_dialing,
)
from agentdesk.dialer.picking import EntryUnavailableError as EntryUnavailableError
from agentdesk.dialer.picking import PeekResult, peek_entries, reserve_entry
from agentdesk.dialer.rules import DialMode, Outcome
from agentdesk.dialer.selection import OfferedEntry as OfferedEntry
from agentdesk.dialer.selection import next_entry
from agentdesk.domain import agent_state as ast
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import OwnerKind
from agentdesk.telephony.port import CallOutcome

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_PREVIEW_SECONDS = 10.0
NOTHING_RETRY_SECONDS = 30.0
"""While nothing is dialable the session asks again this often (hours open, retries fall due)."""
MISSING_CALLBACK_DELAY = timedelta(days=1)
"""A callback code saved without a time (the form allows it) calls back after this long."""
CHOICES = 20
"""Entries listed for the agent to pick from in manual mode."""
MAX_PENDING_LINKS = 50

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


@dataclass(frozen=True, slots=True)
class EntryResult:
    """How the previous entry ended: ``what`` is an attempt outcome, a wrap-up code,
    ``skipped`` or ``dnc``; ``status`` and ``next_at`` where the entry stands now."""

    name: str
    what: str
    status: str
    next_at: datetime | None = None


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
    message: str
    error: bool = False
    who: str = ""
    reason: str = ""
    """For a refused pick: a key of ``agentdesk.dialer.picking.REASONS`` (the UI words it)."""


DialerEvent = DialerChanged | DialerNotice
Listener = Callable[[DialerEvent], None]


@dataclass
class _Dial:
    """One entry being dialled (loop thread only)."""

    entry: OfferedEntry
    placed: bool = False
    call_id: str | None = None
    answered: bool = False
    recorded: EntryState | None = None
    wrapup: tuple[str, datetime | None, uuid.UUID] | None = None
    """Code, callback time and call row of the saved wrap-up."""
    applying: bool = False


@dataclass
class _Link:
    """The two halves of an unanswered call's attempt-to-call-row link, as they arrive."""

    attempt_id: uuid.UUID | None = None
    record_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class _Next:
    entry: OfferedEntry | None
    blocked: Mapping[str, int]
    progress: CampaignProgress


class DialerSession:
    """One agent's dialer: campaign choice, start / pause, preview, skip, dial, outcomes."""

    def __init__(
        self,
        controller: DeskController,
        sessions: sessionmaker[Session],
        *,
        loop: asyncio.AbstractEventLoop,
        executor: Executor,
        agent: str,
        preview_seconds: float = DEFAULT_PREVIEW_SECONDS,
        nothing_retry_seconds: float = NOTHING_RETRY_SECONDS,
        choices: int = CHOICES,
        clock: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.controller = controller
        self.agent = agent
        self._sessions = sessions
        self._loop = loop
        self._preview_seconds = preview_seconds
        self._retry_seconds = nothing_retry_seconds
        self._clock = clock
        self._now = monotonic
        self._listeners: list[Listener] = []
        self.view = DialerView(campaign=None, countdown_seconds=preview_seconds)
        self._dial: _Dial | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._generation = 0  # bumped on pause / campaign change: late results are stale
        self._work = LoopWork(
            loop, executor, lambda error: self._notice(str(error), error=True), log
        )
        self._choice_limit = choices
        self._links: dict[str, _Link] = {}  # desk call id -> its attempt / call row so far
        self._picking_callback = False  # a Callbacks-tab pick is being judged
        controller.subscribe(self._on_desk_event)
        controller.callback_elsewhere = self._is_campaign_call

    # -- wiring --------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Deliver every dialer event to ``listener``; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: DialerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("dialer listener failed on %r", event)

    def _set(self, **changes: Any) -> None:
        self.view = replace(self.view, **changes)
        self._emit(DialerChanged(self.view))

    def _notice(self, message: str, error: bool = False) -> None:
        self._emit(DialerNotice(message, error))

    # -- blocking queries (run them on the executor) -------------------------------------------

    def campaigns(self) -> list[CampaignInfo]:
        """The campaigns this agent may work, highest priority first. Blocking."""
        with self._sessions() as session:
            user = load_agent(session, self.agent)
            rows = session.scalars(
                select(Campaign)
                .where(Campaign.deleted_at.is_(None))
                .order_by(Campaign.priority.desc(), Campaign.name)
            ).all()
            mine = []
            for campaign in rows:
                with contextlib.suppress(DialerError):
                    check_assigned(session, campaign, user)
                    mine.append(info_of(campaign))
            return mine

    def callbacks(self) -> tuple[CampaignCallback, ...]:
        """The agent's campaign callbacks (the Callbacks tab lists them). Blocking."""
        return agent_callbacks(self._sessions, self.agent, now=self._clock())

    # -- commands (loop thread) ----------------------------------------------------------------

    def select_campaign(self, campaign: CampaignInfo | None) -> None:
        """Work ``campaign`` from now on (pauses the current one first)."""
        current = self.view.campaign
        if current is not None and campaign is not None and campaign.name == current.name:
            self._set(campaign=campaign)
            return
        self.pause()
        self._set(campaign=campaign, progress=None, blocked={}, last_result=None)
        if campaign is not None:
            self.refresh_progress()

    def refresh_progress(self) -> None:
        campaign = self.view.campaign
        if campaign is None:
            return
        generation = self._generation

        def done(progress: CampaignProgress) -> None:
            if generation == self._generation:
                self._set(progress=progress)

        self._background(lambda: campaign_progress(self._sessions, campaign.name), done)

    def start(self) -> str | None:
        """Start dialing the chosen campaign; returns why not, or None."""
        if self.view.campaign is None:
            return "choose a campaign"
        if self.view.running:
            return None
        if not self.view.campaign.active:
            return "the campaign is paused by its administrator"
        self._set(phase=DialerPhase.WAITING, blocked={})
        self._maybe_next()
        return None

    def pause(self) -> None:
        """Stop after the current call; a reserved entry that was not dialled goes back now."""
        self._generation += 1
        self._cancel_timer()
        entry = self.view.entry
        if self.view.phase is DialerPhase.OFFERED and entry is not None:
            self._release(entry)
        dialing = self._dial is not None
        self._set(
            phase=DialerPhase.STOPPED,
            entry=self.view.entry if dialing else None,
            countdown_deadline=None,
            choices=(),
        )

    def dial_now(self) -> str | None:
        """Dial the offered entry at once; returns why not, or None."""
        entry = self.view.entry
        if self.view.phase is not DialerPhase.OFFERED or entry is None:
            return "no entry is offered"
        refused = self.controller.dial_refusal()
        if refused is not None:
            return refused
        self._dial_entry(entry)
        return None

    def skip(self, reason: str = "") -> str | None:
        """Give the offered entry back (eligible again later) and take the next one."""
        entry = self.view.entry
        if self.view.phase is not DialerPhase.OFFERED or entry is None:
            return "no entry is offered"
        self._cancel_timer()
        self._set(phase=DialerPhase.LOADING, countdown_deadline=None, entry=None)
        generation = self._generation

        def work() -> EntryState:
            return skip_entry(
                self._sessions, entry.id, self.agent, reason=reason or None, now=self._clock()
            )

        def done(_state: EntryState) -> None:
            if generation == self._generation:
                self._set(
                    last_result=EntryResult(_who(entry), "skipped", "new", _state.next_eligible_at)
                )
                self._maybe_next()

        self._background(work, done, self._lost_entry)
        return None

    def pick(self, entry_id: uuid.UUID) -> str | None:
        """Manual mode: reserve the listed entry the agent picked and dial it; returns why
        not, or None. A pick the database refuses (taken, listed, out of hours...) comes back
        as a notice and the list is read again."""
        campaign = self.view.campaign
        if self.view.phase is not DialerPhase.CHOOSING or campaign is None:
            return "no list of entries is shown"
        chosen = next((e for e in self.view.choices if e.id == entry_id), None)
        if chosen is None:
            return "that entry is not in the list"
        refused = self.controller.dial_refusal()
        if refused is not None:
            return refused
        self._cancel_timer()
        self._generation += 1  # a list refresh still running must not replace this
        generation = self._generation
        self._set(phase=DialerPhase.LOADING, entry=chosen, choices=())

        def work() -> OfferedEntry:
            return reserve_entry(
                self._sessions, campaign.name, self.agent, entry_id, now=self._clock()
            )

        def done(entry: OfferedEntry) -> None:
            if generation != self._generation:
                self._release(entry)
                return
            if not self._agent_free():  # a call came in meanwhile
                self._release(entry)
                self._set(phase=DialerPhase.WAITING, entry=None)
                return
            self._set(phase=DialerPhase.OFFERED, entry=entry)
            self._dial_entry(entry)

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            reason = error.reason if isinstance(error, EntryUnavailableError) else ""
            message = f"{_who(chosen)} was not dialled: {error}"
            failure = not isinstance(error, DialerError)
            self._emit(DialerNotice(message, failure, who=_who(chosen), reason=reason))
            if isinstance(error, EntryUnavailableError) and error.reason == "dnc":
                self._set(last_result=EntryResult(_who(chosen), "dnc", "dnc"))
            self._set(entry=None)
            self._maybe_next()

        self._background(work, done, failed)
        return None

    def dial_callback(
        self,
        callback: CampaignCallback,
        on_refused: Callable[[str, str], None] | None = None,
    ) -> str | None:
        """Dial one of the agent's campaign callbacks picked outside the dialer (the
        Callbacks tab); returns why not at once, or None.

        The pick goes through :func:`reserve_entry` like a manual-mode pick, so the DNC lists,
        the calling hours, the due time and the campaign's state are judged again under the
        lock; a refusal goes to ``on_refused(reason, message)`` (a notice without it), the
        reason a key of :data:`~agentdesk.dialer.picking.REASONS` or ``""``. A running dialer is
        paused first (an entry it offered goes back) and stays paused after the call: the
        agent chose to make this one call, not to resume the campaign.
        """
        if self._dial is not None or self._picking_callback:
            return "the dialer is already calling"
        refused = self.controller.dial_refusal()
        if refused is not None:
            return refused
        self.pause()
        self._picking_callback = True
        who = callback.name or callback.phone_e164

        def refuse(reason: str, why: str) -> None:
            if on_refused is not None:
                on_refused(reason, why)
            else:
                self._notice(f"{who} was not dialled: {why}", error=True)

        def work() -> OfferedEntry:
            return reserve_entry(
                self._sessions, callback.campaign, self.agent, callback.id, now=self._clock()
            )

        def done(entry: OfferedEntry) -> None:
            self._picking_callback = False
            # The agent may have started the dialer or taken a call while the pick was judged.
            why = self.controller.dial_refusal()
            if why is None and self.view.running:
                why = "the dialer was started meanwhile"
            if why is None and self._dial is not None:
                why = "the dialer is already calling"
            if why is not None:
                in_use = {self.view.entry.id if self.view.entry else None}
                in_use.add(self._dial.entry.id if self._dial else None)
                if entry.id not in in_use:  # the started dialer may have reserved it itself
                    self._release(entry)
                refuse("", why)
                return
            self._dial_entry(entry, show=False)

        def failed(error: BaseException) -> None:
            self._picking_callback = False
            reason = error.reason if isinstance(error, EntryUnavailableError) else ""
            if reason == "dnc":
                self._set(last_result=EntryResult(who, "dnc", "dnc"))
            refuse(reason, str(error))

        self._background(work, done, failed)
        return None

    def refresh_choices(self) -> None:
        """Manual mode: read the list of entries again."""
        if self.view.phase in (DialerPhase.CHOOSING, DialerPhase.NOTHING):
            self._maybe_next()

    def close(self) -> None:
        """Stop (the window is closing): a reserved entry goes back to the pool."""
        self.pause()

    # -- the next entry ------------------------------------------------------------------------

    def _agent_free(self) -> bool:
        c = self.controller
        return (
            c.state.status is ast.AgentStatus.AVAILABLE
            and c.wrapup is None
            and c.dial_refusal() is None
        )

    def _maybe_next(self) -> None:
        if not self.view.running or self._dial is not None:
            return
        if not self._agent_free():
            self._set(phase=DialerPhase.WAITING, entry=None, countdown_deadline=None, choices=())
            return
        if self.view.mode == DialMode.MANUAL:
            self._load_choices()
        else:
            self._load_next()

    def _load_choices(self) -> None:
        campaign = self.view.campaign
        assert campaign is not None
        self._cancel_timer()
        if self.view.phase is not DialerPhase.CHOOSING:  # a refresh keeps the list shown
            self._set(phase=DialerPhase.LOADING, entry=None, countdown_deadline=None)
        generation = self._generation
        limit = self._choice_limit

        def work() -> tuple[PeekResult, CampaignProgress]:
            now = self._clock()
            found = peek_entries(self._sessions, campaign.name, self.agent, limit=limit, now=now)
            return found, campaign_progress(self._sessions, campaign.name)

        def done(result: tuple[PeekResult, CampaignProgress]) -> None:
            if generation != self._generation or self._dial is not None:
                return
            found, progress = result
            if not self._agent_free():
                self._set(phase=DialerPhase.WAITING, choices=(), progress=progress)
                return
            phase = DialerPhase.CHOOSING if found.entries else DialerPhase.NOTHING
            self._set(
                phase=phase, entry=None, choices=found.entries, blocked=found.blocked,
                progress=progress,
            )  # fmt: skip
            # Read again now and then: retries fall due, hours open, other agents take entries.
            self._timer = self._loop.call_later(self._retry_seconds, self._retry_nothing)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._notice(f"the dialer stopped: {error}", error=True)
                self.pause()

        self._background(work, done, failed)

    def _load_next(self) -> None:
        campaign = self.view.campaign
        assert campaign is not None
        self._cancel_timer()
        self._set(phase=DialerPhase.LOADING, entry=None, countdown_deadline=None)
        generation = self._generation

        def work() -> _Next:
            now = self._clock()
            result = next_entry(self._sessions, campaign.name, self.agent, now=now, explain=False)
            blocked: Mapping[str, int] = {}
            if result.entry is None:
                # Why nothing is dialable: the scan runs only when there is nothing to dial.
                why = next_entry(self._sessions, campaign.name, self.agent, now=now, dry_run=True)
                blocked = why.blocked
            return _Next(result.entry, blocked, campaign_progress(self._sessions, campaign.name))

        def done(found: _Next) -> None:
            if generation != self._generation:
                if found.entry is not None:
                    self._release(found.entry)
                return
            self._set(progress=found.progress, blocked=found.blocked)
            if found.entry is None:
                self._set(phase=DialerPhase.NOTHING)
                self._timer = self._loop.call_later(self._retry_seconds, self._retry_nothing)
            else:
                self._offer(found.entry)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._notice(f"the dialer stopped: {error}", error=True)
                self.pause()

        self._background(work, done, failed)

    def _retry_nothing(self) -> None:
        self._timer = None
        if self.view.phase in (DialerPhase.NOTHING, DialerPhase.CHOOSING):
            self._maybe_next()

    def _offer(self, entry: OfferedEntry) -> None:
        mode = self.view.mode
        self._set(phase=DialerPhase.OFFERED, entry=entry, countdown_deadline=None)
        if not self._agent_free():
            return  # the countdown starts when the agent is available again
        if mode == DialMode.PROGRESSIVE:
            self._dial_entry(entry)
        elif mode == DialMode.PREVIEW:
            self._start_countdown(entry)

    def _start_countdown(self, entry: OfferedEntry) -> None:
        self._cancel_timer()
        seconds = self._preview_seconds
        self._timer = self._loop.call_later(seconds, self._countdown_done, entry.id)
        self._set(countdown_deadline=self._now() + seconds)

    def _countdown_done(self, entry_id: uuid.UUID) -> None:
        self._timer = None
        entry = self.view.entry
        if self.view.phase is DialerPhase.OFFERED and entry is not None and entry.id == entry_id:
            if self._agent_free():
                self._dial_entry(entry)
            else:
                self._set(countdown_deadline=None)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _release(self, entry: OfferedEntry) -> None:
        """Give back a reservation that will not be used (pause, stale result): no delay."""

        def work() -> EntryState:
            return skip_entry(self._sessions, entry.id, self.agent, delay=timedelta(0))

        self._background(work, None, lambda error: log.info("release of %s: %s", entry.id, error))

    def _lost_entry(self, error: BaseException) -> None:
        """The reservation ran out or someone changed the entry: say so, take the next one."""
        self._dial = None
        self._notice(f"entry skipped: {error}", error=not isinstance(error, DialerError))
        self._set(entry=None, countdown_deadline=None)
        if self.view.running:
            self._set(phase=DialerPhase.WAITING)
            self._maybe_next()

    # -- dialling ------------------------------------------------------------------------------

    def _dial_entry(self, entry: OfferedEntry, *, show: bool = True) -> None:
        """Dial the reserved entry; ``show=False`` for a call the stopped dialer places for
        the Callbacks tab: its phase stays, so it does not resume after the call."""
        self._cancel_timer()
        dial = self._dial = _Dial(entry)
        if show:
            self._set(phase=DialerPhase.DIALING, countdown_deadline=None)

        def work() -> EntryState:
            return start_dialing(self._sessions, entry.id, self.agent, now=self._clock())

        def started(_state: EntryState) -> None:
            if self._dial is not dial:
                return
            dial.placed = True
            why = self.controller.dial(entry.phone, party_of(entry))
            if why is not None:
                # Something took the line during the last check (an inbound call): the entry
                # is in progress, so it is closed as our failure and retried by the rules.
                self._notice(f"{entry.phone} was not dialled: {why}", error=True)
                self._record(dial, Outcome.FAILED, None, None, None)

        def refused(error: BaseException) -> None:
            if self._dial is not dial:
                return
            if isinstance(error, DoNotCallError):
                self._set(last_result=EntryResult(_who(entry), "dnc", "dnc"))
            self._lost_entry(error)

        self._background(work, started, refused)

    def _is_campaign_call(self, call_id: str) -> bool:
        """The desk asks at wrap-up save: is this call the dialer's (its callback is ours)?"""
        return self._dial is not None and self._dial.call_id == call_id

    def _link(
        self,
        call_id: str,
        *,
        attempt_id: uuid.UUID | None = None,
        record_id: uuid.UUID | None = None,
    ) -> None:
        """Link an unanswered call's attempt to its call row once both are known."""
        link = self._links.get(call_id)
        if link is None:
            return  # not a call the dialer placed
        link.attempt_id = attempt_id or link.attempt_id
        link.record_id = record_id or link.record_id
        if link.attempt_id is None or link.record_id is None:
            return
        del self._links[call_id]
        attempt, row = link.attempt_id, link.record_id
        self._background(
            lambda: link_attempt_call(self._sessions, attempt, row),
            None,
            lambda error: log.warning("attempt %s not linked to call %s: %s", attempt, row, error),
        )

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, AgentChanged):
            self._on_agent_changed()
            return
        if isinstance(event, DataChanged) and event.call_id and event.record_id:
            self._link(event.call_id, record_id=event.record_id)
            return
        dial = self._dial
        if dial is None:
            return
        if isinstance(event, CallChanged) and event.call is not None:
            call = event.call
            if dial.placed and dial.call_id is None and not call.inbound:
                dial.call_id = call.call_id
                self._links[call.call_id] = _Link()
                while len(self._links) > MAX_PENDING_LINKS:  # halves that never came
                    del self._links[next(iter(self._links))]
            if call.call_id == dial.call_id and call.phase is CallPhase.TALKING:
                dial.answered = True
                if self.view.phase is DialerPhase.DIALING:
                    self._set(phase=DialerPhase.ON_CALL)
        elif isinstance(event, CallFinished) and event.call_id == dial.call_id:
            code = 200 if event.answered else event.sip_code
            outcome = attempt_outcome(event.outcome)
            self._record(dial, outcome, code, event.started_at, event.ended_at)
        elif isinstance(event, DialFailed) and dial.placed and dial.call_id is None:
            self._record(dial, Outcome.FAILED, None, None, None)
        elif isinstance(event, WrapupStarted) and event.wrapup.call_id == dial.call_id:
            if self.view.running:  # a paused dialer (or a Callbacks-tab call) stays stopped
                self._set(phase=DialerPhase.WRAP_UP)
        elif isinstance(event, WrapupFinished) and event.call_id == dial.call_id:
            saved = event.saved.call
            dial.wrapup = (saved.disposition_code or "", event.callback_due, saved.id)
            self._apply_wrapup(dial)

    def _on_agent_changed(self) -> None:
        phase = self.view.phase
        free = self._agent_free()
        if phase is DialerPhase.WAITING and free:
            self._maybe_next()
        elif phase in (DialerPhase.CHOOSING, DialerPhase.NOTHING) and not free:
            self._cancel_timer()  # the list is read again when the agent is free
            self._set(phase=DialerPhase.WAITING, choices=())
        elif phase is DialerPhase.OFFERED and self.view.entry is not None:
            if not free and self.view.countdown_deadline is not None:
                self._cancel_timer()
                self._set(countdown_deadline=None)
            elif free and self.view.countdown_deadline is None and self._timer is None:
                if self.view.mode == DialMode.PREVIEW:
                    self._start_countdown(self.view.entry)
                elif self.view.mode == DialMode.PROGRESSIVE:
                    self._dial_entry(self.view.entry)

    def _record(
        self,
        dial: _Dial,
        outcome: Outcome,
        sip_code: int | None,
        started_at: datetime | None,
        ended_at: datetime | None,
    ) -> None:
        entry = dial.entry

        def work() -> tuple[EntryState, CampaignProgress]:
            state = record_attempt(
                self._sessions,
                entry.id,
                outcome,
                sip_code,
                agent=self.agent,
                started_at=started_at,
                ended_at=ended_at,
                now=self._clock(),
            )
            return state, campaign_progress(self._sessions, entry.campaign)

        def done(result: tuple[EntryState, CampaignProgress]) -> None:
            state, progress = result
            dial.recorded = state
            if dial.call_id is not None:
                if outcome is Outcome.ANSWERED:  # linked by the wrap-up's call row
                    self._links.pop(dial.call_id, None)
                else:
                    self._link(dial.call_id, attempt_id=state.attempt_id)
            self._set_result(entry, progress, _describe(entry, outcome, state))
            if outcome is not Outcome.ANSWERED:
                self._finish(dial)
            elif dial.wrapup is not None:
                self._apply_wrapup(dial)
            elif self.view.phase is DialerPhase.DIALING:
                self._set(phase=DialerPhase.WRAP_UP)

        def failed(error: BaseException) -> None:
            self._notice(f"the attempt on {entry.phone} was not recorded: {error}", error=True)
            self._finish(dial)

        self._background(work, done, failed)

    def _apply_wrapup(self, dial: _Dial) -> None:
        # The attempt is recorded first: the disposition applies to it.
        if dial.recorded is None or dial.wrapup is None or dial.applying:
            return
        dial.applying = True
        code, due, record_id = dial.wrapup
        entry = dial.entry
        dispositions = self.controller.services.calls.dispositions

        def work() -> tuple[EntryState, CampaignProgress]:
            now = self._clock()
            callback_at = due
            needs = any(d.code == code and d.needs_callback for d in dispositions())
            if needs and callback_at is None:
                callback_at = now + MISSING_CALLBACK_DELAY
            state = apply_disposition(
                self._sessions,
                entry.id,
                code,
                agent=self.agent,
                callback_at=callback_at if needs else None,
                call_id=record_id,
                now=now,
            )
            return state, campaign_progress(self._sessions, entry.campaign)

        def done(result: tuple[EntryState, CampaignProgress]) -> None:
            state, progress = result
            self._set_result(entry, progress, _describe(entry, code, state))
            self._finish(dial)

        def failed(error: BaseException) -> None:
            self._notice(f"the wrap-up was not applied to {entry.phone}: {error}", error=True)
            self._finish(dial)

        self._background(work, done, failed)

    def _set_result(
        self, entry: OfferedEntry, progress: CampaignProgress, result: EntryResult
    ) -> None:
        # A callback dialled from the Callbacks tab may be of another campaign than the one
        # shown: its counts must not replace the shown campaign's.
        shown = self.view.campaign
        if shown is not None and shown.name == entry.campaign:
            self._set(progress=progress, last_result=result)
        else:
            self._set(last_result=result)

    def _finish(self, dial: _Dial) -> None:
        if self._dial is not dial:
            return
        self._dial = None
        self._set(entry=None)
        if self.view.running:
            self._set(phase=DialerPhase.WAITING)
            self._maybe_next()

    # -- background work -----------------------------------------------------------------------

    def _background(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        return self._work.submit(work, on_success, on_failure)

    @property
    def busy(self) -> bool:
        """Database work is still running (tests and shutdown wait for it)."""
        return bool(self._work.pending)


def party_of(entry: OfferedEntry) -> PartyRef | None:
    """The CRM record the entry came from, if any."""
    if entry.contact_id is not None:
        return PartyRef(OwnerKind.CONTACT, entry.contact_id)
    if entry.lead_id is not None:
        return PartyRef(OwnerKind.LEAD, entry.lead_id)
    return None


def _who(entry: OfferedEntry) -> str:
    return entry.name or entry.phone


def _describe(entry: OfferedEntry, what: str, state: EntryState) -> EntryResult:
    waits = state.status in ("new", "callback")
    return EntryResult(_who(entry), what, state.status, state.next_eligible_at if waits else None)

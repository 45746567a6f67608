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

This module holds the session's public commands; its parts live next to it:
:mod:`~agentdesk.app.dialer.offering` (the next entry, countdown, list),
:mod:`~agentdesk.app.dialer.dialling` (the call, its attempt, its one-transaction wrap-up and the
entry's in-progress hold), :mod:`~agentdesk.app.dialer.views` (what the panel renders) and
:mod:`~agentdesk.app.dialer.core` (the state they share). The Callbacks tab lists the agent's
campaign callbacks too (:meth:`DialerSession.callbacks`) and dials them through
:meth:`DialerSession.dial_callback`, i.e. through the same checks.

Everything here runs on the asyncio loop (the GUI thread under qasync); database work goes to
the executor and its results come back with ``call_soon_threadsafe``, as in the desk.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import (
    AgentChanged,
    CallChanged,
    CallFinished,
    DeskEvent,
    DialFailed,
    WrapupFinished,
    WrapupStarted,
)
from agentdesk.app.desk.wrapup import OwnedWrapup
from agentdesk.app.dialer.core import DialerCore, entry_key
from agentdesk.app.dialer.dialling import CampaignCalls
from agentdesk.app.dialer.offering import Offering
from agentdesk.app.dialer.views import (
    DEFAULT_PREVIEW_SECONDS,
    DialerNotice,
    DialerPhase,
    DialerView,
    EntryResult,
    Listener,
    who,
)
from agentdesk.app.notices import NoticeKind as K
from agentdesk.app.notices import notice
from agentdesk.db.errors import RequestError
from agentdesk.dialer.callbacks import CampaignCallback, agent_callbacks
from agentdesk.dialer.campaigns import CampaignInfo, agent_campaigns
from agentdesk.dialer.entry_state import EntryState
from agentdesk.dialer.outcomes import CampaignProgress, campaign_progress, skip_entry
from agentdesk.dialer.picking import EntryUnavailableError, reserve_entry
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.domain.clock import utcnow
from agentdesk.telephony.port import NO_ROUTE_REASONS

NOTHING_RETRY_SECONDS = 30.0
"""While nothing is dialable the session asks again this often (hours open, retries fall due)."""
CHOICES = 20
"""Entries listed for the agent to pick from in manual mode."""


class DialerSession:
    """One agent's dialer: campaign choice, start / pause, preview, skip, dial, outcomes.

    ``renew_hold_every`` (seconds) renews a dialled entry's in-progress hold that often
    instead of at half of what is left of it (tests shorten it).
    """

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
        renew_hold_every: float | None = None,
    ) -> None:
        self.controller = controller
        self.agent = agent
        self._core = DialerCore(
            controller,
            sessions,
            loop=loop,
            executor=executor,
            agent=agent,
            view=DialerView(campaign=None, countdown_seconds=preview_seconds),
            clock=clock,
            monotonic=monotonic,
        )
        self._offering = Offering(
            self._core,
            dial=lambda entry: self._calls.dial_entry(entry),
            preview_seconds=preview_seconds,
            retry_seconds=nothing_retry_seconds,
            choices=choices,
        )
        self._calls = CampaignCalls(
            self._core,
            on_free=self._offering.maybe_next,
            on_lost=self._offering.lost_entry,
            on_stop=self._offering.pause,
            renew_hold_every=renew_hold_every,
        )
        self._picking_callback = False  # a Callbacks-tab pick is being judged
        controller.subscribe(self._on_desk_event)
        controller.set_wrapup_owner(self)

    # -- wiring --------------------------------------------------------------------------------

    @property
    def view(self) -> DialerView:
        return self._core.view

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Deliver every dialer event to ``listener``; returns the unsubscribe function."""
        return self._core.listeners.add(listener)

    def owned_wrapup(self, call_id: str) -> OwnedWrapup | None:
        """The desk's :class:`~agentdesk.app.desk.wrapup.WrapupOwner` hook: the wrap-up of a
        call this session placed is saved with the campaign entry's next state."""
        return self._calls.owned_wrapup(call_id)

    def _on_desk_event(self, event: DeskEvent) -> None:
        match event:
            case AgentChanged():
                self._offering.on_agent_changed()
            case CallChanged(call=call) if call is not None:
                self._calls.on_call_changed(call)
            case CallFinished():
                self._calls.on_call_finished(event)
            case DialFailed(reason=reason):
                self._calls.on_dial_failed(reason)
            case WrapupStarted():
                self._calls.on_wrapup_started(event)
            case WrapupFinished():
                self._calls.on_wrapup_finished(event)

    # -- blocking queries (run them on the executor) -------------------------------------------

    def campaigns(self) -> list[CampaignInfo]:
        """The campaigns this agent may work, highest priority first. Blocking."""
        return agent_campaigns(self._core.sessions, self.agent)

    def callbacks(self) -> tuple[CampaignCallback, ...]:
        """The agent's campaign callbacks (the Callbacks tab lists them). Blocking."""
        return agent_callbacks(self._core.sessions, self.agent, now=self._core.clock())

    # -- commands (loop thread) ----------------------------------------------------------------

    def select_campaign(self, campaign: CampaignInfo | None) -> None:
        """Work ``campaign`` from now on (pauses the current one first)."""
        current = self._core.view.campaign
        if current is not None and campaign is not None and campaign.name == current.name:
            self._core.set(campaign=campaign)
            return
        self.pause()
        self._core.set(campaign=campaign, progress=None, blocked={}, last_result=None)
        if campaign is not None:
            self.refresh_progress()

    def refresh_progress(self) -> None:
        core = self._core
        campaign = core.view.campaign
        if campaign is None:
            return
        generation, sessions = core.generation, core.sessions

        def done(progress: CampaignProgress) -> None:
            if generation == core.generation:
                core.set(progress=progress)

        work = lambda: campaign_progress(sessions, campaign.name)  # noqa: E731
        core.background(work, done, core.failed_unless_away)

    def start(self) -> str | None:
        """Start dialing the chosen campaign; returns why not, or None."""
        campaign = self._core.view.campaign
        if campaign is None:
            return "choose a campaign"
        if self._core.view.running:
            return None
        if not campaign.active:
            return "the campaign is paused by its administrator"
        problem = self.controller.route_problem()
        if problem is not None:  # every dial would fail (and used to burn the list)
            return NO_ROUTE_REASONS[problem]
        self._core.set(phase=DialerPhase.WAITING, blocked={})
        self._offering.maybe_next()
        return None

    def pause(self) -> None:
        """Stop after the current call; a reserved entry that was not dialled goes back now."""
        self._offering.pause()

    def dial_now(self) -> str | None:
        """Dial the offered entry at once; returns why not, or None."""
        entry = self._core.view.entry
        if self._core.view.phase is not DialerPhase.OFFERED or entry is None:
            return "no entry is offered"
        refused = self.controller.dial_refusal()
        if refused is not None:
            return refused
        self._calls.dial_entry(entry)
        return None

    def skip(self, reason: str = "") -> str | None:
        """Give the offered entry back (eligible again later) and take the next one."""
        core = self._core
        entry = core.view.entry
        if core.view.phase is not DialerPhase.OFFERED or entry is None:
            return "no entry is offered"
        core.cancel_timer()
        core.set(phase=DialerPhase.LOADING, countdown_deadline=None, entry=None)
        generation, sessions = core.generation, core.sessions

        def work() -> EntryState:
            return skip_entry(
                sessions, entry.id, self.agent, reason=reason or None, now=core.clock()
            )

        def done(state: EntryState) -> None:
            if generation == core.generation:
                result = EntryResult(who(entry), "skipped", "new", state.next_eligible_at)
                core.set(last_result=result)
                self._offering.maybe_next()

        core.background(work, done, self._offering.lost_entry)
        return None

    def pick(self, entry_id: uuid.UUID) -> str | None:
        """Manual mode: reserve the listed entry the agent picked and dial it; returns why
        not, or None. A pick the database refuses (taken, listed, out of hours...) comes back
        as a notice and the list is read again."""
        campaign = self._core.view.campaign
        if self._core.view.phase is not DialerPhase.CHOOSING or campaign is None:
            return "no list of entries is shown"
        chosen = next((e for e in self._core.view.choices if e.id == entry_id), None)
        if chosen is None:
            return "that entry is not in the list"
        refused = self._core.controller.dial_refusal()
        if refused is not None:
            return refused
        sessions, agent = self._core.sessions, self.agent
        self._core.cancel_timer()
        self._core.generation += 1  # a list refresh still running must not replace this
        generation = self._core.generation
        self._core.set(phase=DialerPhase.LOADING, entry=chosen, choices=())

        def work() -> OfferedEntry:
            return reserve_entry(sessions, campaign.name, agent, entry_id, now=self._core.clock())

        def done(entry: OfferedEntry) -> None:
            if generation != self._core.generation:
                self._core.release(entry)
                return
            if not self._core.agent_free():  # a call came in meanwhile
                self._core.release(entry)
                self._core.set(phase=DialerPhase.WAITING, entry=None)
                return
            self._core.set(phase=DialerPhase.OFFERED, entry=entry)
            self._calls.dial_entry(entry)

        def failed(error: BaseException) -> None:
            if generation != self._core.generation:
                return
            reason = error.reason if isinstance(error, EntryUnavailableError) else ""
            said = notice(K.NOT_DIALLED, who=who(chosen), why=error)
            failure = not isinstance(error, RequestError)
            self._core.emit(DialerNotice(said, failure, who=who(chosen), reason=reason))
            if isinstance(error, EntryUnavailableError) and error.reason == "dnc":
                self._core.set(last_result=EntryResult(who(chosen), "dnc", "dnc"))
            self._core.set(entry=None)
            self._offering.maybe_next()

        self._core.background(work, done, failed)
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
        if self._core.dial is not None or self._picking_callback:
            return "the dialer is already calling"
        refused = self._core.controller.dial_refusal()
        if refused is not None:
            return refused
        self.pause()
        self._picking_callback = True
        sessions, agent = self._core.sessions, self.agent
        name = callback.name or callback.phone_e164

        def refuse(reason: str, why: str) -> None:
            if on_refused is not None:
                on_refused(reason, why)
            else:
                self._core.notice(notice(K.NOT_DIALLED, who=name, why=why), error=True)

        def work() -> OfferedEntry:
            return reserve_entry(
                sessions, callback.campaign, agent, callback.id, now=self._core.clock()
            )

        def done(entry: OfferedEntry) -> None:
            self._picking_callback = False
            # The agent may have started the dialer or taken a call while the pick was judged.
            why = self._core.controller.dial_refusal()
            if why is None and self._core.view.running:
                why = "the dialer was started meanwhile"
            if why is None and self._core.dial is not None:
                why = "the dialer is already calling"
            if why is not None:
                in_use = {entry_key(self._core.view.entry)}
                in_use.add(entry_key(self._core.dial.entry if self._core.dial else None))
                if entry.id not in in_use:  # the started dialer may have reserved it itself
                    self._core.release(entry)
                refuse("", why)
                return
            self._calls.dial_entry(entry, show=False)

        def failed(error: BaseException) -> None:
            self._picking_callback = False
            reason = error.reason if isinstance(error, EntryUnavailableError) else ""
            if reason == "dnc":
                self._core.set(last_result=EntryResult(name, "dnc", "dnc"))
            refuse(reason, str(error))

        self._core.background(work, done, failed)
        return None

    def refresh_choices(self) -> None:
        """Manual mode: read the list of entries again."""
        if self._core.view.phase in (DialerPhase.CHOOSING, DialerPhase.NOTHING):
            self._offering.maybe_next()

    def close(self) -> None:
        """Stop (the window is closing): a reserved entry goes back to the pool."""
        self.pause()

    # -- background work -----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Database work is still running (tests and shutdown wait for it)."""
        return bool(self._core.work.pending)

    async def drained(self) -> None:
        """Return once the session's database work, and any work its results started, has
        delivered (tests await it before asserting that nothing more happens)."""
        await self._core.work.drained()

    @property
    def timer_due(self) -> float | None:
        """When the session's own timer (countdown, list refresh) fires, in loop time."""
        timer = self._core.timer
        return timer.when() if timer is not None and not timer.cancelled() else None

"""The desk controller: one agent's call flow, free of Qt.

Softphone events arrive on the phone's thread and are moved onto the asyncio loop (the GUI
thread under qasync) with ``call_soon_threadsafe``; everything below runs on that loop, and
every database call goes to the executor. The controller is the desk's public face; its parts
live next to it:

- :mod:`~agentdesk.app.desk.dispatch`: each softphone event to its handler (agent state, call);
- :mod:`~agentdesk.app.desk.screen_pop`: the caller lookup and the record the call is linked to;
- :mod:`~agentdesk.app.desk.call_commands`: answer, hold, mute, DTMF, record, transfer;
- :mod:`~agentdesk.app.desk.outbound`: placing calls;
- :mod:`~agentdesk.app.desk.wrapup`: the wrap-up timer and saving, and the :class:`WrapupOwner`
  hook through which the dialer saves its campaign calls' wrap-ups;
- :mod:`~agentdesk.app.desk.core`: the state they share.

Decisions: a pop is shown while the call is live (ringing *or* already auto-answered), since
with ``auto_answer_seconds = 0`` it would otherwise never show; a call offered while the agent
is not available is refused with 480; dialling while not ready makes the agent available for
the call and puts the not-ready reason back afterwards (a pending not-ready).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from agentdesk.app.desk.call_commands import CallCommands
from agentdesk.app.desk.core import DeskCore, DeskServices, Listener, LiveCall
from agentdesk.app.desk.dispatch import PhoneEvents
from agentdesk.app.desk.events import (
    AgentView,
    DeskNotice,
    JournalView,
    RegistrationView,
    WrapupFinished,
    WrapupView,
)
from agentdesk.app.desk.journal_watch import JournalWatch
from agentdesk.app.desk.outbound import Outbound
from agentdesk.app.desk.screen_pop import ScreenPops
from agentdesk.app.desk.wrapup import WrapupForm, WrapupOwner, Wrapups
from agentdesk.app.event_log import EventLog
from agentdesk.app.notices import NoticeKind, notice
from agentdesk.calls.dto import DispositionInfo
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain import agent_state as ast
from agentdesk.domain.clock import utcnow
from agentdesk.journal.files import KeptElsewhere, kept_elsewhere
from agentdesk.journal.recovery import OwedWrapup, close_left_open, owed_wrapups, prune
from agentdesk.journal.store import Entry
from agentdesk.telephony import port

SHUTDOWN_POLL_S = 0.02


class DeskController:
    """Owns the agent state and the current call; the UI renders its events."""

    def __init__(
        self,
        phone: port.Softphone,
        services: DeskServices,
        *,
        loop: asyncio.AbstractEventLoop,
        executor: Executor,
        agent: str,
        default_region: str,
        wrapup_seconds: float | None = 60,
        auto_answer_seconds: float | None = None,
        event_log: EventLog | None = None,
        register_password: str | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.phone = phone
        self.services = services
        self.agent = agent
        self._loop = loop
        self._password = register_password
        self._core = core = DeskCore(
            phone,
            services,
            loop=loop,
            executor=executor,
            agent=agent,
            default_region=default_region,
            wrapup_seconds=wrapup_seconds,
            event_log=event_log or EventLog(None),
            monotonic=monotonic,
        )
        self._pops = ScreenPops(core)
        self._commands = CallCommands(core)
        self._outbound = Outbound(core, self._pops)
        self._wrapups = Wrapups(core)
        self._journal = JournalWatch(core, services.journal)
        self._events = PhoneEvents(
            core,
            self._pops,
            self._outbound,
            self._wrapups,
            auto_answer_seconds=auto_answer_seconds,
            answer=self._commands.answer,
        )
        self._started = False
        self._owed: list[OwedWrapup] = []
        self.subscribe(
            lambda event: self._next_owed() if isinstance(event, WrapupFinished) else None
        )
        # Subscribe at once: the phone listens from its construction, and an INVITE that
        # arrives before start() is kept and handled once the agent is logged in.
        self._early: list[port.SoftphoneEvent] = []
        self.phone.subscribe(self._from_phone)

    # -- wiring --------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._core.listeners.add(listener)

    def set_wrapup_owner(self, owner: WrapupOwner | None) -> None:
        """Let ``owner`` save the wrap-ups of the calls it placed (the dialer session)."""
        self._wrapups.owner = owner

    def call_record(self, call_id: str) -> uuid.UUID | None:
        """The call log row of the live call ``call_id`` (its journal entries' record)."""
        call = self._core.current(call_id)
        return call.record_id if call is not None else None

    def keep(self, kind: str, payload: dict[str, Any], record_id: uuid.UUID) -> Future[Entry]:
        """Append a change to the desk's journal, in order with the calls' own entries (loop
        thread): a use case's change about a call (the dialer's attempt) follows the call."""
        return self._core.keep(kind, payload, record_id)

    def start(self, *, available: bool = True) -> None:
        """Subscribe to the phone, log the agent in and register when ``[sip] mode`` says so."""
        if self._started:
            return
        self._started = True
        self._core.set_state(ast.LogIn(available=available))
        self._journal.start()
        self._wrapups.preload()
        self._recover()
        config = self.phone.config
        if config.mode == "register":
            self._core.publish_registration("registering", "")
            self._core.command(self.phone.register(self._password or ""), "register")
        else:
            self._core.publish_registration("direct", f"{config.bind_address}:{config.port}")
        early, self._early = self._early, []
        for event in early:
            self._on_phone_event(event)

    def _recover(self) -> None:
        """After a crash: end the calls left open, and ask for the wrap-up still owed."""
        core = self._core
        journal = core.services.journal

        def work() -> tuple[list[OwedWrapup], list[KeptElsewhere]]:
            elsewhere = kept_elsewhere(journal.store.path)
            if not journal.store.claim():
                return [], elsewhere  # another desk runs on this journal: its calls are live
            close_left_open(journal)
            prune(journal, utcnow())
            return owed_wrapups(journal), elsewhere

        def found(result: tuple[list[OwedWrapup], list[KeptElsewhere]]) -> None:
            owed, elsewhere = result
            for kept in elsewhere:
                # Written for another address (the server moved?): never applied by itself,
                # since it may be another database; said so an admin can replay it.
                said = notice(
                    NoticeKind.KEPT_ELSEWHERE,
                    count=kept.pending,
                    database=kept.database or "?",
                    file=kept.path,
                )
                core.emit(DeskNotice(said, error=True))
            core.journal_changed()
            self._owed.extend(owed)
            self._next_owed()

        core.journal_work.submit(work, found)

    def _next_owed(self) -> None:
        """Ask for the next owed wrap-up once the agent is between calls."""
        core = self._core
        if self._owed and core.wrapup_call is None and core.call is None and not core.closing:
            self._wrapups.begin_owed(self._owed.pop(0))

    def _from_phone(self, event: port.SoftphoneEvent) -> None:
        # The phone's thread: hand over and return at once.
        with contextlib.suppress(RuntimeError):  # the loop is closed during shutdown
            self._loop.call_soon_threadsafe(self._on_phone_event, event)

    def _on_phone_event(self, event: port.SoftphoneEvent) -> None:
        if not self._started:
            self._early.append(event)
            return
        self._events.dispatch(event)

    async def drained(self) -> None:
        """Return once the phone events handed to the loop so far are handled and the database
        work they started (and any work that work started) has delivered its result."""
        await asyncio.sleep(0)  # phone events queued with call_soon_threadsafe run first
        core = self._core
        while core.work.pending or core.journal_work.pending:
            await core.journal_work.drained()
            await core.work.drained()

    # -- state ---------------------------------------------------------------------------------

    @property
    def state(self) -> ast.AgentState:
        return self._core.state

    @property
    def call(self) -> LiveCall | None:
        """The agent's live call (``None`` between calls and during wrap-up)."""
        return self._core.call

    @property
    def wrapup(self) -> WrapupView | None:
        """The open wrap-up, once its dispositions are loaded."""
        return self._core.wrapup

    @property
    def registration(self) -> RegistrationView:
        return self._core.registration

    @property
    def agent_view(self) -> AgentView:
        return self._core.agent_view

    @property
    def journal(self) -> JournalView:
        """The changes this desk keeps until the shared database takes them."""
        return self._journal.view

    def set_available(self) -> str | None:
        """Returns why it was refused, or None."""
        reason = ast.refusal(self._core.state, ast.SetAvailable())
        if reason is None:
            self._core.set_state(ast.SetAvailable())
        return reason

    def set_not_ready(self, reason: str) -> str | None:
        refused = ast.refusal(self._core.state, ast.SetNotReady(reason))
        if refused is None:
            self._core.set_state(ast.SetNotReady(reason))
        return refused

    # -- screen pop ----------------------------------------------------------------------------

    def window_shown(self) -> None:
        self._pops.window_shown()

    def screen_pop_shown(self, call_id: str) -> None:
        self._pops.screen_pop_shown(call_id)

    def choose_party(self, ref: PartyRef | None) -> None:
        self._pops.choose_party(ref)

    def current_party(self) -> PartyRef | None:
        return self._pops.current_party()

    # -- call commands -------------------------------------------------------------------------

    def answer(self) -> None:
        self._commands.answer()

    def reject(self) -> None:
        self._commands.reject()

    def hangup(self) -> None:
        self._commands.hangup()

    def toggle_hold(self) -> None:
        self._commands.toggle_hold()

    def toggle_mute(self) -> None:
        self._commands.toggle_mute()

    def send_dtmf(self, digits: str) -> None:
        self._commands.send_dtmf(digits)

    def toggle_recording(self) -> None:
        self._commands.toggle_recording()

    def blind_transfer(self, target: str) -> None:
        self._commands.blind_transfer(target)

    def start_consult(self, target: str) -> None:
        self._commands.start_consult(target)

    def complete_consult(self) -> None:
        self._commands.complete_consult()

    def cancel_consult(self) -> None:
        self._commands.cancel_consult()

    # -- outbound ------------------------------------------------------------------------------

    def dial_refusal(self) -> str | None:
        """Why a call cannot be placed now (another call, wrap-up...), or None."""
        return self._outbound.dial_refusal()

    def dial(self, text: str, party: PartyRef | None = None) -> str | None:
        """Place a call; returns why it cannot be placed, or None (the call shows up when the
        phone reports it dialled, or a ``DialFailed`` follows)."""
        return self._outbound.dial(text, party)

    def route_problem(self) -> port.NoRoute | None:
        """Why the phone cannot call phone numbers now (its settings, or a registration that
        has not succeeded), or None. A dialer must not start without a route: every dial
        would fail."""
        config = self.phone.config
        problem = port.number_route(config)
        registered = self._core.registration.state == "registered"
        if problem is None and config.mode == "register" and not registered:
            return port.NoRoute.NOT_REGISTERED
        return problem

    # -- wrap-up -------------------------------------------------------------------------------

    def set_wrapup_notes(self, notes: str) -> None:
        """The notes typed so far (saved with the default code if the timer runs out)."""
        self._wrapups.set_notes(notes)

    @property
    def wrapup_codes(self) -> tuple[DispositionInfo, ...]:
        """The wrap-up codes loaded at start or by the last wrap-up."""
        return self._wrapups.codes

    def save_wrapup(self, form: WrapupForm) -> str | None:
        """Save the agent's wrap-up; returns why it cannot be saved, or None."""
        return self._wrapups.submit(form)

    # -- shutdown ------------------------------------------------------------------------------

    async def shutdown(self, timeout: float = 5.0) -> None:
        """Hang up, save a pending wrap-up with the default code, unregister, close the phone."""
        core = self._core
        if core.closing:
            return
        core.closing = True
        deadline = core.now() + timeout

        async def until(done: Callable[[], bool]) -> None:
            while not done() and core.now() < deadline:
                await asyncio.sleep(SHUTDOWN_POLL_S)

        call = core.call
        if call is not None:
            with contextlib.suppress(Exception):
                self.phone.hangup(call.view.call_id)
            await until(lambda: core.call is None)
        # The dispositions are loading.
        await until(lambda: core.wrapup is not None or core.wrapup_call is None)
        self._wrapups.save_pending()
        await until(lambda: core.wrapup_call is None)
        pending = [asyncio.wrap_future(f) for f in list(core.work.pending)]
        if pending:
            with contextlib.suppress(Exception):
                await asyncio.wait(pending, timeout=max(0.1, deadline - core.now()))
        if core.registration.state == "registered":
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.wrap_future(self.phone.unregister()), timeout=2)
        self._journal.stop()
        core.close_writer()
        core.events.close()

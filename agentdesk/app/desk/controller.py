"""The desk controller: one agent's call flow, free of Qt.

Softphone events arrive on the phone's thread and are moved onto the asyncio loop (the GUI
thread under qasync) with ``call_soon_threadsafe``; everything below runs on that loop, and
every database call goes to the executor. The flow (see ARCHITECTURE.md):

CallOffered -> agent state ringing -> caller lookup on the executor -> if the call is still the
agent's live call, ``ScreenPopReady`` (late results are dropped) -> the UI fills the panel and
reports ``screen_pop_shown``. CallEnded -> wrap-up with the ``[agent] wrapup_seconds`` timer; on
expiry the wrap-up is saved with the default disposition and the notes the UI pushed so far.

Decisions: a pop is shown while the call is live (ringing *or* already auto-answered), since
with ``auto_answer_seconds = 0`` it would otherwise never show; a call offered while the agent
is not available is refused with 480; dialling while not ready makes the agent available for
the call and puts the not-ready reason back afterwards (a pending not-ready).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from agentdesk.app.desk.events import (
    AgentChanged,
    AgentView,
    CallChanged,
    CallFinished,
    CallPhase,
    CallView,
    DataChanged,
    DeskEvent,
    DeskNotice,
    DialFailed,
    PartyChosen,
    RegistrationChangedView,
    RegistrationView,
    ScreenPop,
    ScreenPopReady,
    WrapupFinished,
    WrapupStarted,
    WrapupView,
)
from agentdesk.app.event_log import (
    CALL_ANSWERED,
    CALL_ENDED,
    CALL_OFFERED,
    DESK_READY,
    SCREEN_POP_SHOWN,
    WRAPUP_SAVED,
    EventLog,
)
from agentdesk.app.loop_work import LoopWork
from agentdesk.app.records import PartyRef, RecordService
from agentdesk.calls.callbacks import CallbackService
from agentdesk.calls.dto import (
    CallbackRequest,
    CallFacts,
    DispositionInfo,
    NewCase,
    WrapUp,
    WrapUpSaved,
)
from agentdesk.calls.log import CallLog
from agentdesk.crm.lookup.caller import CallerLookup, History, Match
from agentdesk.crm.search import ContactSearch
from agentdesk.domain import agent_state as ast
from agentdesk.domain.changes import CALLS
from agentdesk.domain.enums import CallDirection, OwnerKind, PhoneKind
from agentdesk.domain.phone import InvalidPhoneNumber, try_normalize
from agentdesk.telephony import port
from agentdesk.telephony.sip_message import CtiContext

log = logging.getLogger(__name__)
T = TypeVar("T")
Listener = Callable[[DeskEvent], None]

NOT_AVAILABLE_CODE = 480


@dataclass(frozen=True)
class DeskServices:
    """The CRM services the desk uses; built once by the composition root."""

    lookup: CallerLookup
    calls: CallLog
    callbacks: CallbackService
    search: ContactSearch
    records: RecordService


@dataclass(frozen=True, slots=True)
class WrapupForm:
    """What the agent filled in on the wrap-up panel."""

    disposition_code: str
    notes: str = ""
    callback_due: datetime | None = None
    callback_note: str | None = None
    case_subject: str | None = None
    opportunity_id: uuid.UUID | None = None


@dataclass
class _Call:
    """What the controller tracks about the agent's call (mutable, loop thread only)."""

    view: CallView
    started_at: datetime
    number_e164: str | None = None
    dialed: str | None = None
    context: CtiContext | None = None
    party: PartyRef | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    hold_seconds: float = 0.0
    held_since: float | None = None
    recording_path: str | None = None
    pop_shown: bool = False


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
        self._region = default_region
        self._auto_answer = auto_answer_seconds
        self._events = event_log or EventLog(None)
        self._password = register_password
        self._now = monotonic
        self._listeners: list[Listener] = []
        self.state = ast.AgentState.logged_out(wrapup_seconds)
        self.call: _Call | None = None
        self.registration = RegistrationView("direct", "")
        self.wrapup: WrapupView | None = None
        self._wrapup_call: _Call | None = None
        self._draft_notes = ""
        self._wrapup_timer: asyncio.TimerHandle | None = None
        self._saving = False
        self._work = LoopWork(
            loop, executor, lambda error: self._emit(DeskNotice(str(error), error=True)), log
        )
        self._closing = False
        self._started = False
        self._dialing: tuple[str, PartyRef | None] | None = None
        # The dialer keeps the callbacks of its campaign calls on the campaign entry (the
        # campaign's DNC and calling-hours rules apply when it is dialled): for a call this
        # says True of, the wrap-up writes no CRM callback.
        self.callback_elsewhere: Callable[[str], bool] = lambda _call_id: False
        # Subscribe at once: the phone listens from its construction, and an INVITE that
        # arrives before start() is kept and handled once the agent is logged in.
        self._early: list[port.SoftphoneEvent] = []
        self.phone.subscribe(self._from_phone)

    # -- wiring --------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def start(self, *, available: bool = True) -> None:
        """Subscribe to the phone, log the agent in and register when ``[sip] mode`` says so."""
        if self._started:
            return
        self._started = True
        self._set_state(ast.LogIn(available=available))
        config = getattr(self.phone, "config", None)
        if getattr(config, "mode", "direct") == "register":
            self._publish_registration("registering", "")
            self._command(self.phone.register(self._password or ""), "register")
        else:
            where = f"{getattr(config, 'bind_address', '')}:{getattr(config, 'port', '')}"
            self._publish_registration("direct", where)
        early, self._early = self._early, []
        for event in early:
            self._on_phone_event(event)

    def _from_phone(self, event: port.SoftphoneEvent) -> None:
        # The phone's thread: hand over and return at once.
        with contextlib.suppress(RuntimeError):  # the loop is closed during shutdown
            self._loop.call_soon_threadsafe(self._on_phone_event, event)

    def _emit(self, event: DeskEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("desk listener failed on %r", event)

    def _publish_registration(self, state: str, detail: str) -> None:
        self.registration = RegistrationView(state, detail)
        self._emit(RegistrationChangedView(self.registration))

    # -- agent state ---------------------------------------------------------------------------

    @property
    def agent_view(self) -> AgentView:
        s = self.state
        return AgentView(s.status.value, s.not_ready_reason, s.pending_not_ready, s.wrapup_deadline)

    def _set_state(self, action: ast.AgentAction) -> bool:
        try:
            self.state = ast.transition(self.state, action)
        except ast.InvalidTransition as exc:
            log.debug("agent state refused %s: %s", action.name, exc.reason)
            return False
        self._emit(AgentChanged(self.agent_view))
        return True

    def set_available(self) -> str | None:
        """Returns why it was refused, or None."""
        reason = ast.refusal(self.state, ast.SetAvailable())
        if reason is None:
            self._set_state(ast.SetAvailable())
        return reason

    def set_not_ready(self, reason: str) -> str | None:
        refused = ast.refusal(self.state, ast.SetNotReady(reason))
        if refused is None:
            self._set_state(ast.SetNotReady(reason))
        return refused

    # -- phone events --------------------------------------------------------------------------

    def _on_phone_event(self, event: port.SoftphoneEvent) -> None:
        if not self._started:
            self._early.append(event)
            return
        handler = getattr(self, f"_on_{type(event).__name__}", None)
        if handler is not None:
            handler(event)

    def _on_RegistrationChanged(self, event: port.RegistrationChanged) -> None:
        detail = f"{event.code} {event.reason}".strip() if event.code else ""
        self._publish_registration(event.state.value, detail)

    def _on_CallOffered(self, event: port.CallOffered) -> None:
        self._events.emit(
            CALL_OFFERED,
            event.sip_call_id,
            ts=event.received_at,
            remote=event.remote_number,
            call_id=event.call_id,
        )
        if self._closing or not self._set_state(ast.CallOffered(event.call_id)):
            self._command(self.phone.reject(event.call_id, NOT_AVAILABLE_CODE), "reject")
            self._emit(DeskNotice(f"call from {event.remote_number or 'unknown'} refused"))
            return
        remote = event.remote_number or event.remote_user or ""
        number = try_normalize(remote, self._region) if event.remote_number else None
        started = datetime.fromtimestamp(event.received_at, UTC)
        call = _Call(
            view=CallView(
                call_id=event.call_id,
                sip_call_id=event.sip_call_id,
                inbound=True,
                remote=number.e164 if number else remote,
                display_name=event.remote_display_name,
                phase=CallPhase.RINGING,
                started=self._now(),
            ),
            started_at=started,
            number_e164=number.e164 if number else None,
            dialed=event.dialed_number,
            context=event.context,
        )
        self.call = call
        self._emit(CallChanged(call.view))
        self._look_up(call)
        if self._auto_answer is not None:
            self._loop.call_later(self._auto_answer, self._auto_answer_due, event.call_id)

    def _auto_answer_due(self, call_id: str) -> None:
        call = self.call
        if (
            call is not None
            and call.view.call_id == call_id
            and call.view.phase is CallPhase.RINGING
        ):
            self.answer()

    def _on_CallDialed(self, event: port.CallDialed) -> None:
        call = self.call
        if call is None and self._dialing is not None:
            self._start_outbound(event)
            return
        if call is not None and call.view.call_id != event.call_id:
            # Call waiting is off, so a second outbound leg is the consult call.
            self._update(consult_call_id=event.call_id, consult_connected=False)
            return
        if call is not None:
            self._update(sip_call_id=event.sip_call_id)

    def _on_CallRinging(self, event: port.CallRinging) -> None:
        pass

    def _on_CallAnswered(self, event: port.CallAnswered) -> None:
        call = self.call
        if call is None:
            return
        if event.call_id == call.view.consult_call_id:
            self._update(consult_connected=True)
            return
        if event.call_id != call.view.call_id:
            return
        self._set_state(ast.CallAnswered(event.call_id))
        call.answered_at = datetime.now(UTC)
        self._events.emit(CALL_ANSWERED, call.view.sip_call_id, call_id=event.call_id)
        self._update(phase=CallPhase.TALKING, answered=self._now())

    def _on_CallHeld(self, event: port.CallHeld) -> None:
        call = self._current(event.call_id)
        if call is None:
            return
        self._set_state(ast.CallHeld(event.call_id))
        call.held_since = self._now()
        self._update(phase=CallPhase.HELD)

    def _on_CallResumed(self, event: port.CallResumed) -> None:
        call = self._current(event.call_id)
        if call is None:
            return
        self._set_state(ast.CallResumed(event.call_id))
        self._end_hold(call)
        self._update(phase=CallPhase.TALKING)

    def _on_CallMuted(self, event: port.CallMuted) -> None:
        if self._current(event.call_id):
            self._update(muted=True)

    def _on_CallUnmuted(self, event: port.CallUnmuted) -> None:
        if self._current(event.call_id):
            self._update(muted=False)

    def _on_RecordingStarted(self, event: port.RecordingStarted) -> None:
        call = self._current(event.call_id)
        if call is not None:
            call.recording_path = str(event.path)
            self._update(recording=True)

    def _on_RecordingStopped(self, event: port.RecordingStopped) -> None:
        call = self._current(event.call_id)
        if call is not None:
            self._update(recording=False)
        elif self._wrapup_call is not None and self._wrapup_call.view.call_id == event.call_id:
            self._wrapup_call.recording_path = str(event.path)

    def _on_TransferProgress(self, event: port.TransferProgress) -> None:
        if self._current(event.call_id):
            self._update(transfer_status=f"{event.code} {event.reason}".strip())

    def _on_TransferCompleted(self, event: port.TransferCompleted) -> None:
        if self._current(event.call_id):
            self._update(transfer_status="transferred" if event.success else "transfer failed")
            if not event.success:
                self._emit(DeskNotice(f"transfer failed ({event.code})", error=True))

    def _on_DtmfReceived(self, event: port.DtmfReceived) -> None:
        if self._current(event.call_id):
            self._emit(DeskNotice(f"caller pressed {event.digit}"))

    def _on_CallEnded(self, event: port.CallEnded) -> None:
        call = self.call
        if call is None:
            return
        if event.call_id == call.view.consult_call_id:
            self._update(consult_call_id=None, consult_connected=False)
            return
        if event.call_id != call.view.call_id:
            return
        self._end_hold(call)
        ended_at = call.ended_at = datetime.now(UTC)
        call.end_reason = f"{event.outcome.value}: {event.sip_code} {event.reason}".strip()[:100]
        self._events.emit(
            CALL_ENDED, call.view.sip_call_id, call_id=event.call_id, outcome=event.outcome.value
        )
        self.call = None
        ended = replace(call.view, phase=CallPhase.ENDED)
        call.view = ended
        self._emit(
            CallFinished(
                call_id=event.call_id,
                inbound=call.view.inbound,
                outcome=event.outcome.value,
                sip_code=event.sip_code,
                answered=call.answered_at is not None,
                started_at=call.started_at,
                ended_at=ended_at,
            )
        )
        self._emit(CallChanged(None))
        if call.answered_at is None:
            self._set_state(ast.CallFailed(event.call_id))
            self._background(
                lambda: self.services.calls.start_call(self._facts(call)),
                lambda row: self._emit(DataChanged(frozenset({CALLS}), event.call_id, row.id)),
            )
            return
        self._set_state(ast.CallEnded(event.call_id, self._now()))
        self._begin_wrapup(call)

    # -- screen pop ----------------------------------------------------------------------------

    def _look_up(self, call: _Call) -> None:
        def work() -> ScreenPop:
            return self._pop_for(call)

        def done(pop: ScreenPop) -> None:
            live = self.call
            if live is not call:
                log.debug("dropping the stale screen pop for %s", call.view.call_id)
                if self._wrapup_call is call and call.party is None and pop.chosen is not None:
                    # Too late to pop, not too late to link the call to its caller.
                    self.choose_party(PartyRef(pop.chosen.kind, pop.chosen.id))
                return
            if pop.chosen is not None:
                call.party = PartyRef(pop.chosen.kind, pop.chosen.id)
            self._emit(ScreenPopReady(pop))

        self._background(work, done)

    def _pop_for(self, call: _Call) -> ScreenPop:
        """Runs on the executor."""
        view = call.view
        if call.context is not None:
            ref = self.services.records.resolve_context(call.context.kind, call.context.id)
            if ref is not None:
                match = self._match_for(ref)
                return ScreenPop(view.call_id, view.sip_call_id, view.remote, (match,), match, True)
        matches: tuple[Match, ...] = ()
        number = view.remote
        if call.number_e164 is not None:
            with contextlib.suppress(InvalidPhoneNumber):
                matches = self.services.lookup.lookup(call.number_e164, self._region).matches
        chosen = matches[0] if len(matches) == 1 else None
        return ScreenPop(view.call_id, view.sip_call_id, number, matches, chosen)

    def _match_for(self, ref: PartyRef) -> Match:
        details = self.services.records.details(ref)
        kind = details.phones[0].kind if details.phones else PhoneKind.WORK
        last = details.calls[0].started_at if details.calls else None
        return Match(ref.kind, ref.id, details.name, details.company, kind, last, History())

    def window_shown(self) -> None:
        """The UI put the main window on screen: log ``desk_ready`` (start-up is timed to it).

        The softphone listens from construction (direct mode), so the window is the later step;
        ``sip`` says whether a ``register`` mode desk is registered yet.
        """
        self._events.emit(DESK_READY, None, sip=self.registration.state)

    def screen_pop_shown(self, call_id: str) -> None:
        """The UI filled the customer panel for this call's pop."""
        call = self.call
        if call is None or call.view.call_id != call_id or call.pop_shown:
            return
        call.pop_shown = True
        self._events.emit(SCREEN_POP_SHOWN, call.view.sip_call_id, call_id=call_id)

    def choose_party(self, ref: PartyRef | None) -> None:
        """Link the current call (or the call in wrap-up) to ``ref`` (chooser, new contact)."""
        call = self.call or self._wrapup_call
        if call is None:
            return
        call.party = ref
        if self.wrapup is not None and call is self._wrapup_call:
            self.wrapup = replace(self.wrapup, party=ref)
        self._emit(PartyChosen(call.view.call_id, ref))

    def current_party(self) -> PartyRef | None:
        call = self.call or self._wrapup_call
        return call.party if call is not None else None

    # -- commands ------------------------------------------------------------------------------

    def _current(self, call_id: str | None = None) -> _Call | None:
        call = self.call
        if call is None or (call_id is not None and call.view.call_id != call_id):
            return None
        return call

    def _update(self, **changes: Any) -> None:
        call = self.call
        if call is None:
            return
        call.view = replace(call.view, **changes)
        self._emit(CallChanged(call.view))

    def _end_hold(self, call: _Call) -> None:
        if call.held_since is not None:
            call.hold_seconds += self._now() - call.held_since
            call.held_since = None

    def _command(self, future: Future[Any], what: str) -> Future[Any]:
        def done(f: Future[Any]) -> None:
            error = f.exception()
            if error is not None:
                with contextlib.suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(
                        self._emit, DeskNotice(f"{what} failed: {error}", error=True)
                    )

        future.add_done_callback(done)
        return future

    def answer(self) -> None:
        call = self.call
        if call is not None and call.view.phase is CallPhase.RINGING:
            self._command(self.phone.answer(call.view.call_id), "answer")

    def reject(self) -> None:
        call = self.call
        if call is not None and call.view.phase is CallPhase.RINGING:
            self._command(self.phone.reject(call.view.call_id, 603), "reject")

    def hangup(self) -> None:
        call = self.call
        if call is not None:
            self._command(self.phone.hangup(call.view.call_id), "hang up")

    def toggle_hold(self) -> None:
        call = self.call
        if call is None:
            return
        if call.view.phase is CallPhase.HELD:
            self._command(self.phone.resume(call.view.call_id), "resume")
        elif call.view.phase is CallPhase.TALKING:
            self._command(self.phone.hold(call.view.call_id), "hold")

    def toggle_mute(self) -> None:
        call = self.call
        if call is None or call.view.phase not in (CallPhase.TALKING, CallPhase.HELD):
            return
        if call.view.muted:
            self._command(self.phone.unmute(call.view.call_id), "unmute")
        else:
            self._command(self.phone.mute(call.view.call_id), "mute")

    def send_dtmf(self, digits: str) -> None:
        call = self.call
        if call is not None and call.view.phase is CallPhase.TALKING:
            self._command(self.phone.send_dtmf(call.view.call_id, digits), "DTMF")

    def toggle_recording(self) -> None:
        call = self.call
        if call is None or call.view.phase not in (CallPhase.TALKING, CallPhase.HELD):
            return
        if call.view.recording:
            self._command(self.phone.stop_recording(call.view.call_id), "stop recording")
        else:
            self._command(self.phone.start_recording(call.view.call_id), "record")

    def _context(self, call: _Call) -> CtiContext | None:
        if call.party is None:
            return call.context
        return CtiContext(call.party.kind.value, str(call.party.id))

    def _target(self, text: str) -> str:
        text = text.strip()
        number = try_normalize(text, self._region) if text and "@" not in text else None
        return number.e164 if number is not None else text

    def blind_transfer(self, target: str) -> None:
        call = self.call
        if call is not None and target.strip():
            future = self.phone.blind_transfer(
                call.view.call_id, self._target(target), self._context(call)
            )
            self._command(future, "transfer")

    def start_consult(self, target: str) -> None:
        call = self.call
        if call is not None and target.strip() and call.view.consult_call_id is None:
            future = self.phone.start_consult(
                call.view.call_id, self._target(target), self._context(call)
            )
            self._command(future, "consult call")

    def complete_consult(self) -> None:
        call = self.call
        if call is not None and call.view.consult_call_id is not None:
            self._command(self.phone.complete_consult(call.view.call_id), "complete transfer")

    def cancel_consult(self) -> None:
        call = self.call
        if call is not None and call.view.consult_call_id is not None:
            self._command(self.phone.cancel_consult(call.view.call_id), "cancel transfer")

    def dial_refusal(self) -> str | None:
        """Why a call cannot be placed now (another call, wrap-up...), or None."""
        if self.call is not None or self._dialing is not None:
            return "finish the current call first"
        check = self.state
        if check.status is ast.AgentStatus.NOT_READY:
            check = ast.transition(check, ast.SetAvailable())
        return ast.refusal(check, ast.CallOffered("dialing"))

    def dial(self, text: str, party: PartyRef | None = None) -> str | None:
        """Place a call; returns why it cannot be placed, or None (the call shows up when the
        phone reports it dialled, or a ``DialFailed`` follows)."""
        target = self._target(text)
        if not target:
            return "enter a number"
        refused = self.dial_refusal()
        if refused is not None:
            return refused
        self._dialing = (target, party)

        def failed(f: Future[str]) -> None:
            error = f.exception()
            if error is not None:
                with contextlib.suppress(RuntimeError):
                    self._loop.call_soon_threadsafe(self._dial_failed, str(error))

        self.phone.dial(target).add_done_callback(failed)
        return None

    def _dial_failed(self, error: str) -> None:
        target = self._dialing[0] if self._dialing is not None else ""
        self._dialing = None
        self._emit(DeskNotice(f"the call was not placed: {error}", error=True))
        self._emit(DialFailed(target, error))

    def _start_outbound(self, event: port.CallDialed) -> None:
        assert self._dialing is not None
        target, party = self._dialing
        self._dialing = None
        reason = None
        if self.state.status is ast.AgentStatus.NOT_READY:
            reason = self.state.not_ready_reason
            self.state = ast.transition(self.state, ast.SetAvailable())
        if not self._set_state(ast.CallOffered(event.call_id)):
            self._command(self.phone.hangup(event.call_id), "hang up")
            self._emit(DialFailed(target, "the agent cannot take a call now"))
            return
        if reason is not None:
            self._set_state(ast.SetNotReady(reason))
        number = try_normalize(target, self._region)
        call = _Call(
            view=CallView(
                call_id=event.call_id,
                sip_call_id=event.sip_call_id,
                inbound=False,
                remote=target,
                display_name=None,
                phase=CallPhase.DIALING,
                started=self._now(),
            ),
            started_at=datetime.now(UTC),
            number_e164=number.e164 if number else None,
            party=party,
        )
        self.call = call
        self._emit(CallChanged(call.view))
        if party is None:
            self._look_up(call)
        else:
            self._emit(PartyChosen(event.call_id, party))

    # -- wrap-up -------------------------------------------------------------------------------

    def _begin_wrapup(self, call: _Call) -> None:
        self._wrapup_call = call
        self._draft_notes = ""
        deadline = self.state.wrapup_deadline
        seconds = self.state.wrapup_seconds

        def load() -> tuple[tuple[DispositionInfo, ...], DispositionInfo | None]:
            return self.services.calls.dispositions(), self.services.calls.default_disposition()

        def loaded(result: tuple[tuple[DispositionInfo, ...], DispositionInfo | None]) -> None:
            codes, default = result
            if self._wrapup_call is not call:
                return
            self.wrapup = WrapupView(
                call_id=call.view.call_id,
                sip_call_id=call.view.sip_call_id,
                number=call.view.remote,
                party=call.party,
                deadline=deadline,
                seconds=seconds,
                dispositions=codes,
                default_code=default.code if default else None,
            )
            self._emit(WrapupStarted(self.wrapup))

        if self.state.status is ast.AgentStatus.WRAP_UP:
            self._background(load, loaded)
            if deadline is not None:
                delay = max(0.0, deadline - self._now())
                self._wrapup_timer = self._loop.call_later(delay, self._wrapup_expired, call)
        else:  # wrap-up disabled ([agent] wrapup_seconds = 0): save at once
            self._save(call, None, expired=True)

    def set_wrapup_notes(self, notes: str) -> None:
        """The notes typed so far (saved with the default code if the timer runs out)."""
        self._draft_notes = notes

    def save_wrapup(self, form: WrapupForm) -> str | None:
        """Save the agent's wrap-up; returns why it cannot be saved, or None."""
        call = self._wrapup_call
        if call is None:
            return "there is no call to wrap up"
        if not form.disposition_code.strip():
            return "choose a disposition"
        if self._saving:
            return "already saving"
        self._save(call, form, expired=False)
        return None

    def _wrapup_expired(self, call: _Call) -> None:
        self._wrapup_timer = None
        if self._wrapup_call is call and not self._saving:
            self._save(call, None, expired=True)

    def _save(self, call: _Call, form: WrapupForm | None, *, expired: bool) -> None:
        self._saving = True
        notes = form.notes if form is not None else self._draft_notes
        facts = self._facts(call)
        crm_callback = not self.callback_elsewhere(call.view.call_id)
        if not crm_callback and form is not None and form.callback_due and form.callback_note:
            # No CRM callback row to hold the note: it stays with the call's notes.
            notes = "\n".join(part for part in (notes, form.callback_note) if part)

        def work() -> WrapUpSaved:
            calls = self.services.calls
            if form is not None:
                code = form.disposition_code
            else:
                default = calls.default_disposition()
                if default is None:
                    raise ValueError("no default disposition is configured")
                code = default.code
            callback = None
            if form is not None and form.callback_due is not None and crm_callback:
                callback = CallbackRequest(
                    due_at=form.callback_due.astimezone(UTC),
                    agent=self.agent,
                    phone_e164=call.number_e164,
                    note=form.callback_note or None,
                )
            case = None
            if form is not None and form.case_subject and form.case_subject.strip():
                case = NewCase(subject=form.case_subject.strip(), description=notes or None)
            return calls.save_wrapup(
                WrapUp(
                    disposition_code=code,
                    facts=facts,
                    notes=notes,
                    callback=callback,
                    new_case=case,
                    opportunity_id=form.opportunity_id if form is not None else None,
                    actor=self.agent,
                )
            )

        def saved(result: WrapUpSaved) -> None:
            self._saving = False
            if self._wrapup_call is not call:
                return
            self._events.emit(
                WRAPUP_SAVED,
                call.view.sip_call_id,
                call_id=call.view.call_id,
                disposition=result.call.disposition_code,
                expired=expired,
            )
            self._finish_wrapup(expired)
            due = form.callback_due if form is not None else None
            self._emit(WrapupFinished(call.view.call_id, result, expired, due))

        def failed(error: BaseException) -> None:
            self._saving = False
            self._emit(DeskNotice(f"the wrap-up was not saved: {error}", error=True))

        self._background(work, saved, failed)

    def _finish_wrapup(self, expired: bool) -> None:
        if self._wrapup_timer is not None:
            self._wrapup_timer.cancel()
            self._wrapup_timer = None
        self._wrapup_call = None
        self.wrapup = None
        self._draft_notes = ""
        if self.state.status is ast.AgentStatus.WRAP_UP:
            deadline = self.state.wrapup_deadline
            if expired and deadline is not None:
                self._set_state(ast.WrapupExpired(max(self._now(), deadline)))
            else:
                self._set_state(ast.WrapupDone())

    def _facts(self, call: _Call) -> CallFacts:
        party = call.party
        ids: dict[str, uuid.UUID | None] = {"contact_id": None, "lead_id": None, "account_id": None}
        if party is not None:
            ids[f"{party.kind.value}_id"] = party.id
        return CallFacts(
            direction=CallDirection.INBOUND if call.view.inbound else CallDirection.OUTBOUND,
            started_at=call.started_at,
            remote_raw=call.view.remote or None,
            remote_e164=call.number_e164,
            local_party=call.dialed,
            agent=self.agent,
            sip_call_id=call.view.sip_call_id or None,
            answered_at=call.answered_at,
            ended_at=call.ended_at,
            hold_seconds=round(call.hold_seconds, 3) if call.answered_at else None,
            end_reason=call.end_reason,
            recording_path=call.recording_path,
            **ids,
        )

    # -- background work -----------------------------------------------------------------------

    def _background(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        return self._work.submit(work, on_success, on_failure)

    # -- shutdown ------------------------------------------------------------------------------

    async def shutdown(self, timeout: float = 5.0) -> None:
        """Hang up, save a pending wrap-up with the default code, unregister, close the phone."""
        if self._closing:
            return
        self._closing = True
        deadline = self._now() + timeout
        call = self.call
        if call is not None:
            with contextlib.suppress(Exception):
                self.phone.hangup(call.view.call_id)
            while self.call is not None and self._now() < deadline:
                await asyncio.sleep(0.02)
        while self.wrapup is None and self._wrapup_call is not None and self._now() < deadline:
            await asyncio.sleep(0.02)  # the dispositions are loading
        wrapped = self._wrapup_call
        if wrapped is not None and not self._saving:
            self._save(wrapped, None, expired=True)
        while self._wrapup_call is not None and self._now() < deadline:
            await asyncio.sleep(0.02)
        pending = [asyncio.wrap_future(f) for f in list(self._work.pending)]
        if pending:
            with contextlib.suppress(Exception):
                await asyncio.wait(pending, timeout=max(0.1, deadline - self._now()))
        if self.registration.state == "registered":
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.wrap_future(self.phone.unregister()), timeout=2)
        self._events.close()


def party_ref(kind: str, record_id: uuid.UUID) -> PartyRef:
    return PartyRef(OwnerKind(kind), record_id)

"""The pjsua2 softphone: the ``Softphone`` port on one account of a ``SipEngine``.

Public methods only enqueue a closure on the engine's SIP thread and hand back a ``Future``
(see ``engine`` for why there is one thread). pjsua2 callbacks (``account``, ``call``) only
translate pj objects into frozen events from ``agentdesk.telephony.port`` and pass them to the
subscribers. The package's other modules hold the parts: ``transports``, ``account``,
``call``, ``media``, ``recording``, ``transfer``, and the flood guard in ``flood``/``engine``.

Every pjsua2 object (Account, Call, AudioMediaRecorder) is referenced from Python until it is
torn down on the SIP thread, in order, before ``libDestroy``: a Call collected after
``libDestroy`` aborts the process.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

import pjsua2 as pj

from agentdesk.domain.enums import CallDirection
from agentdesk.domain.ids import uuid7
from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.offer import call_offered
from agentdesk.telephony.pjsua2.account import PjAccount, make_account
from agentdesk.telephony.pjsua2.call import PjCall, call_op
from agentdesk.telephony.pjsua2.engine import SipEngine
from agentdesk.telephony.pjsua2.media import connect_media
from agentdesk.telephony.pjsua2.recording import Recordings
from agentdesk.telephony.pjsua2.sip_uri import target_uri
from agentdesk.telephony.pjsua2.transfer import Transfers
from agentdesk.telephony.pjsua2.transports import (
    account_transport,
    apply_codecs,
    close_transports,
    make_guard_account,
    open_transports,
)
from agentdesk.telephony.port import (
    CallAnswered,
    CallDialed,
    CallEnded,
    CallHeld,
    CallId,
    CallMuted,
    CallResumed,
    CallRinging,
    CallUnmuted,
    DtmfMethod,
    EventSink,
    SipConfig,
    SoftphoneError,
    SoftphoneEvent,
    UnknownCall,
    outcome_for,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class Pjsua2Softphone:
    """The ``Softphone`` port on pjsua2: one account on its own transports, on a ``SipEngine``."""

    def __init__(self, engine: SipEngine, config: SipConfig) -> None:
        self._engine = engine
        self._config = config
        self._sinks: list[EventSink] = []
        self._sinks_lock = threading.Lock()
        self._calls: dict[CallId, PjCall] = {}
        self._graveyard: list[PjCall | PjAccount] = []
        self._transport_ids: list[int] = []
        self._account: PjAccount | None = None
        self._guard: Any = None
        self._password: str | None = None
        self._closed = False
        self._recordings = Recordings(engine.ep, config, self.emit)
        self._transfers = Transfers(
            self._calls,
            config,
            live=self._live,
            dial=self._dial,
            emit=self.emit,
            later=engine.submit,
        )
        try:
            engine.call(self._open)
        except Exception:
            # e.g. the port is taken: release whatever was created before failing
            engine.call(self._teardown)
            raise
        engine.add_ticker(self._tick)

    @property
    def config(self) -> SipConfig:
        """The ``[sip]`` settings this phone was opened with."""
        return self._config

    # --- public commands (any thread) -------------------------------------------------------
    def subscribe(self, sink: EventSink) -> None:
        with self._sinks_lock:
            self._sinks.append(sink)

    def register(self, password: str) -> Future[None]:
        return self._submit(lambda: self._register(password))

    def unregister(self) -> Future[None]:
        return self._submit(self._unregister)

    def answer(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._answer(call_id))

    def reject(self, call_id: CallId, code: int = 603) -> Future[None]:
        return self._submit(lambda: self._live(call_id).answer(call_op(code)))

    def dial(self, target: str, headers: Mapping[str, str] | None = None) -> Future[CallId]:
        return self._submit(lambda: self._dial(target, dict(headers or {})))

    def hangup(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._hangup(call_id))

    def hold(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._live(call_id).setHold(call_op()))

    def resume(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._live(call_id).unhold())

    def mute(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._set_mute(call_id, True))

    def unmute(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._set_mute(call_id, False))

    def send_dtmf(self, call_id: CallId, digits: str) -> Future[DtmfMethod]:
        return self._submit(lambda: self._live(call_id).send_digits(digits))

    def blind_transfer(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[None]:
        return self._submit(lambda: self._transfers.blind(call_id, target, context))

    def start_consult(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[CallId]:
        return self._submit(lambda: self._transfers.start_consult(call_id, target, context))

    def complete_consult(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._transfers.complete_consult(call_id))

    def cancel_consult(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._transfers.cancel_consult(call_id))

    def start_recording(self, call_id: CallId, path: Path | None = None) -> Future[Path]:
        return self._submit(lambda: self._recordings.start(self._live(call_id), path))

    def stop_recording(self, call_id: CallId) -> Future[Path | None]:
        return self._submit(lambda: self._recordings.stop(self._live(call_id)))

    def close(self) -> None:
        """Hang up, unregister, and free every call, recorder, account and transport."""
        if self._closed:
            return
        self._engine.call(self._teardown)
        self._engine.remove_ticker(self._tick)
        self._closed = True

    # --- what the account and calls report (SIP thread) -------------------------------------
    def emit(self, event: SoftphoneEvent) -> None:
        """Deliver ``event`` to every subscriber; a failing subscriber is logged, not raised."""
        with self._sinks_lock:
            sinks = list(self._sinks)
        for sink in sinks:
            try:
                sink(event)
            except Exception:
                log.exception("event subscriber failed on %r", event)

    def on_incoming_call(self, account: PjAccount, prm: Any, received_at: float) -> None:
        call = PjCall(self, account, self._new_id(), CallDirection.INBOUND, prm.callId)
        self._calls[call.our_id] = call
        busy = any(not c.ended and c is not call and not c.silent for c in self._calls.values())
        try:
            whole = str(prm.rdata.wholeMsg)
        except Exception:  # the identity is then unknown, but the call still rings
            whole = ""
        if busy and not self._config.call_waiting:
            call.silent = True
            # Not from inside this callback: pjsua aborts (pjsip_rx_data_free_cloned assertion)
            # when a large INVITE gets its final answer here. The next pump answers 486.
            self._engine.submit(lambda: call.answer_quietly(486))
            # Told all the same, so the desk's log of offers is complete.
            headers = self._config.x_headers
            self.emit(call_offered(whole, call.our_id, received_at, headers, busy_refused=True))
            return
        call.answer(call_op(180))
        call.ringing_sent = True
        event = call_offered(whole, call.our_id, received_at, self._config.x_headers)
        call.context = event.context
        if self._config.auto_answer_seconds is not None:
            call.auto_answer_at = time.monotonic() + self._config.auto_answer_seconds
        self.emit(event)

    def on_call_state(self, call: PjCall) -> None:
        info = call.getInfo()
        state = info.state
        if state == pj.PJSIP_INV_STATE_EARLY and call.direction is CallDirection.OUTBOUND:
            code = int(info.lastStatusCode)
            if code in (180, 183) and not call.ringing_sent:
                call.ringing_sent = True
                self.emit(CallRinging(call.our_id, code))
        elif state == pj.PJSIP_INV_STATE_CONFIRMED and not call.answered:
            call.answered = True
            call.deadline = None
            call.auto_answer_at = None
            self.emit(CallAnswered(call.our_id, call.direction))
            if self._config.record_calls and call.recorder is None:
                self._recordings.start(call, None)
        elif state == pj.PJSIP_INV_STATE_DISCONNECTED and not call.ended:
            self._call_disconnected(call, int(info.lastStatusCode), str(info.lastReason))

    def on_media_state(self, call: PjCall) -> None:
        local_hold = call.locally_held()
        connect_media(self._engine.ep, call)
        if local_hold and not call.held:
            call.held = True
            self.emit(CallHeld(call.our_id))
        elif not local_hold and call.held:
            call.held = False
            self.emit(CallResumed(call.our_id))

    def on_transfer_status(self, call: PjCall, code: int, reason: str, prm: Any) -> None:
        self._transfers.on_status(call, code, reason, prm)

    # --- SIP-thread internals ---------------------------------------------------------------
    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        if self._closed:
            future: Future[T] = Future()
            future.set_exception(SoftphoneError("the softphone is closed"))
            return future
        return self._engine.submit(fn)

    @staticmethod
    def _new_id() -> CallId:
        # Time-ordered and unique per process even across phones re-created on one port.
        return str(uuid7())

    def _live(self, call_id: CallId) -> PjCall:
        call = self._calls.get(call_id)
        if call is None or call.ended:
            raise UnknownCall(call_id)
        return call

    def _open(self) -> None:
        ep = self._engine.ep
        cfg = self._config
        open_transports(ep, cfg, self._transport_ids)
        self._guard = make_guard_account(self._transport_ids[0])
        self._engine.guard_account_id = self._guard.getId()
        apply_codecs(ep, cfg.codecs)
        if not cfg.headless and (cfg.input_device or cfg.output_device):
            self._engine.use_devices(cfg.input_device, cfg.output_device)
        if cfg.mode == "direct":
            self._account = self._make_account(register=False)

    def _make_account(self, *, register: bool) -> PjAccount:
        transport_id = account_transport(self._config, self._transport_ids)
        password = self._password or ""
        return make_account(self, self._config, transport_id, register=register, password=password)

    def _register(self, password: str) -> None:
        if self._config.mode != "register":
            raise SoftphoneError("register() needs [sip] mode = register")
        self._password = password
        if self._account is not None:
            self._graveyard.append(self._account)
            self._account.shutdown()
            self._account = None
        self._account = self._make_account(register=True)

    def _unregister(self) -> None:
        if self._account is None or self._config.mode != "register":
            raise SoftphoneError("not registered")
        self._account.setRegistration(False)

    def _answer(self, call_id: CallId) -> None:
        call = self._live(call_id)
        if call.direction is not CallDirection.INBOUND or call.answered:
            raise SoftphoneError(f"call {call_id} is not ringing")
        call.auto_answer_at = None
        call.answer(call_op(200))

    def _dial(self, target: str, headers: dict[str, str]) -> CallId:
        if self._account is None:
            raise SoftphoneError("no account: register first")
        uri = target_uri(target, self._config)
        call = PjCall(self, self._account, self._new_id(), CallDirection.OUTBOUND)
        self._calls[call.our_id] = call
        try:
            call.makeCall(uri, call_op(headers=headers))
        except Exception:
            call.ended = True
            self._graveyard.append(call)
            del self._calls[call.our_id]
            raise
        call.deadline = time.monotonic() + self._config.ring_timeout_seconds
        sip_call_id = ""
        with contextlib.suppress(Exception):
            sip_call_id = str(call.getInfo().callIdString)
        self.emit(CallDialed(call.our_id, sip_call_id, uri))
        return call.our_id

    def _hangup(self, call_id: CallId) -> None:
        call = self._live(call_id)
        declined = call.direction is CallDirection.INBOUND and not call.answered
        call.hangup(call_op(603 if declined else 0))

    def _set_mute(self, call_id: CallId, muted: bool) -> None:
        call = self._live(call_id)
        call.muted = muted
        connect_media(self._engine.ep, call)
        self.emit(CallMuted(call_id) if muted else CallUnmuted(call_id))

    def _call_disconnected(self, call: PjCall, code: int, reason: str) -> None:
        call.ended = True
        if call.recorder is not None:
            self._recordings.stop(call)
        if call.consult_of is not None:
            original = self._calls.get(call.consult_of)
            if original is not None and original.consult == call.our_id:
                original.consult = None if not call.transferred else original.consult
        if not call.silent:
            outcome = outcome_for(
                call.direction,
                408 if call.timed_out else code,
                answered=call.answered,
                transferred=call.transferred,
            )
            elsewhere = call.completed_elsewhere and not call.answered
            self.emit(CallEnded(call.our_id, code, reason, outcome, call.direction, elsewhere))
        # Never delete a Call inside its own callback: the ticker drops it later.
        self._graveyard.append(call)

    def _tick(self, now: float) -> None:
        for call in list(self._calls.values()):
            if call.ended:
                continue
            if call.auto_answer_at is not None and now >= call.auto_answer_at:
                call.auto_answer_at = None
                call.answer_quietly(200)
            if call.deadline is not None and now >= call.deadline and not call.answered:
                call.deadline = None
                call.timed_out = True
                call.hangup_quietly()
        self._recordings.tick(now)
        if self._graveyard:
            dead = self._graveyard
            self._graveyard = []
            for obj in dead:
                if isinstance(obj, PjCall):
                    self._calls.pop(obj.our_id, None)
            dead.clear()

    def _teardown(self) -> None:
        for call in list(self._calls.values()):
            if not call.ended:
                call.silent = True
                call.hangup_quietly()
        if self._account is not None and self._config.mode == "register":
            with contextlib.suppress(Exception):
                self._account.setRegistration(False)
        # Let the BYEs / un-REGISTER go out before the objects disappear.
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and any(not c.ended for c in self._calls.values()):
            self._engine.ep.libHandleEvents(10)
        for call in self._calls.values():
            if call.recorder is not None:
                self._recordings.stop(call)
        self._recordings.settle()
        self._calls.clear()
        self._graveyard.clear()
        if self._account is not None:
            with contextlib.suppress(Exception):
                self._account.shutdown()
            self._account = None
        if self._guard is not None:
            if self._engine.guard_account_id == self._guard.getId():
                self._engine.guard_account_id = None
            with contextlib.suppress(Exception):
                self._guard.shutdown()
            self._guard = None
        close_transports(self._engine.ep, self._transport_ids)

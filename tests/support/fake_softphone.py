"""A fake ``Softphone`` for unit and UI tests: same port, no SIP, driven by the test.

Commands behave like the real adapter's (same events, same errors, completed Futures); what the
far end does is played by the test through the ``offer_call``/``remote_*`` methods. Events are
delivered synchronously to the subscribers, on the calling thread.
"""

from __future__ import annotations

import enum
import itertools
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from agentdesk.domain.enums import CallDirection
from agentdesk.telephony.cti_context import CONTEXT_HEADER, CtiContext, encode_context
from agentdesk.telephony.offer import call_offered
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
    DtmfReceived,
    EventSink,
    RecordingStarted,
    RecordingStopped,
    RegistrationChanged,
    RegistrationState,
    SipConfig,
    SoftphoneError,
    SoftphoneEvent,
    TransferCompleted,
    TransferProgress,
    UnknownCall,
    outcome_for,
)

T = TypeVar("T")
_DTMF = set("0123456789*#ABCD")


def _context_header(context: CtiContext | None) -> dict[str, str]:
    return {CONTEXT_HEADER: encode_context(context)} if context is not None else {}


def _invite_text(
    sip_call_id: str,
    number: str | None,
    display_name: str | None,
    dialed: str | None,
    diversion: str | None,
    headers: Mapping[str, str],
    *,
    anonymous: bool,
) -> str:
    """The INVITE a caller with these details sends (``number`` None: no identity given)."""
    if anonymous:
        from_ = '"Anonymous" <sip:anonymous@anonymous.invalid>'
    elif number is None:
        from_ = "<sip:fake.invalid>"
    else:
        name = (display_name or "").replace("\\", "\\\\").replace('"', '\\"')
        from_ = f'"{name}" <sip:{number}@fake.invalid>' if name else f"<sip:{number}@fake.invalid>"
    user = dialed or "agent"
    lines = [
        f"INVITE sip:{user}@fake.invalid SIP/2.0",
        f"From: {from_};tag=fake",
        f"To: <sip:{user}@fake.invalid>",
        f"Call-ID: {sip_call_id}",
        "CSeq: 1 INVITE",
    ]
    if anonymous:
        lines.append("Privacy: id")
    if diversion is not None:
        lines.append(f"Diversion: <sip:{diversion}@fake.invalid>;reason=unconditional")
    lines += [f"{header}: {value}" for header, value in headers.items()]
    return "\r\n".join(lines) + "\r\n\r\n"


class _Phase(enum.Enum):
    RINGING = "ringing"  # inbound, offered
    DIALING = "dialing"  # outbound, INVITE sent
    EARLY = "early"  # outbound, 180 received
    CONNECTED = "connected"
    ENDED = "ended"


@dataclass
class FakeCall:
    """What the fake knows about one call; tests may read it."""

    call_id: CallId
    direction: CallDirection
    remote: str
    phase: _Phase
    headers: dict[str, str] = field(default_factory=dict)
    held: bool = False
    muted: bool = False
    rfc2833: bool = True
    dtmf_sent: list[tuple[str, DtmfMethod]] = field(default_factory=list)
    recording: Path | None = None
    transfer_target: str | None = None
    transfer_context: CtiContext | None = None
    consult: CallId | None = None
    consult_of: CallId | None = None
    answered: bool = False
    ring_timer: threading.Timer | None = None


class FakeSoftphone:
    """Implements ``agentdesk.telephony.port.Softphone`` in memory."""

    def __init__(self, config: SipConfig | None = None, *, password: str | None = None) -> None:
        self.config = config or SipConfig()
        self.password = password
        self.calls: dict[CallId, FakeCall] = {}
        self.registration = RegistrationState.UNREGISTERED
        self.closed = False
        self._sinks: list[EventSink] = []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()

    # --- the port -----------------------------------------------------------------------------
    def subscribe(self, sink: EventSink) -> None:
        self._sinks.append(sink)

    def register(self, password: str) -> Future[None]:
        def run() -> None:
            if self.config.mode != "register":
                raise SoftphoneError("register() needs [sip] mode = register")
            self._emit(RegistrationChanged(RegistrationState.REGISTERING, 0, "", 0))
            if self.password is not None and password != self.password:
                self.registration = RegistrationState.FAILED
                self._emit(RegistrationChanged(self.registration, 401, "Unauthorized", 0))
                return
            self.registration = RegistrationState.REGISTERED
            expires = self.config.register_expires
            self._emit(RegistrationChanged(self.registration, 200, "OK", expires))

        return self._run(run)

    def unregister(self) -> Future[None]:
        def run() -> None:
            if self.registration is not RegistrationState.REGISTERED:
                raise SoftphoneError("not registered")
            self.registration = RegistrationState.UNREGISTERED
            self._emit(RegistrationChanged(self.registration, 200, "OK", 0))

        return self._run(run)

    def answer(self, call_id: CallId) -> Future[None]:
        def run() -> None:
            call = self._live(call_id)
            if call.phase is not _Phase.RINGING:
                raise SoftphoneError(f"call {call_id} is not ringing")
            self._connect(call)

        return self._run(run)

    def reject(self, call_id: CallId, code: int = 603) -> Future[None]:
        def run() -> None:
            call = self._live(call_id)
            if call.phase is not _Phase.RINGING:
                raise SoftphoneError(f"call {call_id} is not ringing")
            self._end(call, code, "Decline" if code == 603 else "Busy Here")

        return self._run(run)

    def dial(self, target: str, headers: Mapping[str, str] | None = None) -> Future[CallId]:
        def run() -> CallId:
            if self.config.mode == "register" and (
                self.registration is not RegistrationState.REGISTERED
            ):
                raise SoftphoneError("no account: register first")
            if not target.strip():
                raise SoftphoneError("not a dialable number or SIP URI: ''")
            call = self._new_call(CallDirection.OUTBOUND, target, _Phase.DIALING)
            call.headers = dict(headers or {})
            self._start_ring_timer(call)
            self._emit(CallDialed(call.call_id, f"fake-{call.call_id}", target))
            return call.call_id

        return self._run(run)

    def hangup(self, call_id: CallId) -> Future[None]:
        def run() -> None:
            call = self._live(call_id)
            if call.phase is _Phase.CONNECTED:
                self._end(call, 200, "OK")
            elif call.direction is CallDirection.OUTBOUND:
                self._end(call, 487, "Request Terminated")
            else:
                self._end(call, 603, "Decline")

        return self._run(run)

    def hold(self, call_id: CallId) -> Future[None]:
        return self._run(lambda: self._set_hold(call_id, True))

    def resume(self, call_id: CallId) -> Future[None]:
        return self._run(lambda: self._set_hold(call_id, False))

    def mute(self, call_id: CallId) -> Future[None]:
        return self._run(lambda: self._set_mute(call_id, True))

    def unmute(self, call_id: CallId) -> Future[None]:
        return self._run(lambda: self._set_mute(call_id, False))

    def send_dtmf(self, call_id: CallId, digits: str) -> Future[DtmfMethod]:
        def run() -> DtmfMethod:
            call = self._connected(call_id)
            if not digits or set(digits.upper()) - _DTMF:
                raise SoftphoneError(f"not DTMF digits: {digits!r}")
            method = DtmfMethod.RFC2833 if call.rfc2833 else DtmfMethod.SIP_INFO
            call.dtmf_sent.extend((d, method) for d in digits.upper())
            return method

        return self._run(run)

    def blind_transfer(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[None]:
        def run() -> None:
            call = self._connected(call_id)
            call.transfer_target = target
            call.transfer_context = context
            self._emit(TransferProgress(call_id, 100, "Trying"))

        return self._run(run)

    def start_consult(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[CallId]:
        def run() -> CallId:
            original = self._connected(call_id)
            if original.consult is not None:
                raise SoftphoneError(f"call {call_id} already has a consult call")
            if not original.held:
                self._set_hold(call_id, True)
            consult = self._new_call(CallDirection.OUTBOUND, target, _Phase.DIALING)
            if context is not None:
                consult.headers[CONTEXT_HEADER] = encode_context(context)
            consult.consult_of = call_id
            self._start_ring_timer(consult)
            original.consult = consult.call_id
            original.transfer_context = context
            self._emit(CallDialed(consult.call_id, f"fake-{consult.call_id}", target))
            return consult.call_id

        return self._run(run)

    def complete_consult(self, call_id: CallId) -> Future[None]:
        def run() -> None:
            original = self._live(call_id)
            if original.consult is None:
                raise SoftphoneError(f"call {call_id} has no consult call")
            consult = self._live(original.consult)
            if consult.phase is not _Phase.CONNECTED:
                raise SoftphoneError("the consult call is not answered yet")
            original.transfer_target = consult.remote
            self._emit(TransferProgress(call_id, 100, "Trying"))

        return self._run(run)

    def cancel_consult(self, call_id: CallId) -> Future[None]:
        def run() -> None:
            original = self._live(call_id)
            if original.consult is None:
                raise SoftphoneError(f"call {call_id} has no consult call")
            consult = self.calls[original.consult]
            if consult.phase is not _Phase.ENDED:
                self.hangup(consult.call_id).result()
            original.consult = None
            if original.held:
                self._set_hold(call_id, False)

        return self._run(run)

    def start_recording(self, call_id: CallId, path: Path | None = None) -> Future[Path]:
        def run() -> Path:
            call = self._live(call_id)  # as the adapter: recording may start before the answer
            if call.recording is None:
                call.recording = path or Path(self.config.recordings_dir) / f"{call_id}.wav"
                self._emit(RecordingStarted(call_id, call.recording))
            return call.recording

        return self._run(run)

    def stop_recording(self, call_id: CallId) -> Future[Path | None]:
        return self._run(lambda: self._stop_recording(self._live(call_id)))

    def close(self) -> None:
        with self._lock:
            for call in list(self.calls.values()):
                if call.phase is not _Phase.ENDED:
                    call.phase = _Phase.ENDED
                    self._stop_ring_timer(call)
            self.closed = True

    # --- the far end, played by the test ---------------------------------------------------
    def offer_call(
        self,
        remote_number: str | None = "+15550001111",
        *,
        display_name: str | None = None,
        dialed_number: str | None = None,
        diversion_number: str | None = None,
        x_headers: Mapping[str, str] | None = None,
        context: CtiContext | None = None,
        anonymous: bool = False,
        rfc2833: bool = True,
    ) -> CallId | None:
        """An INVITE arrives. Returns the call id, or None when it was refused 486 (busy)."""
        with self._lock:
            self._check_open()
            busy = any(c.phase is not _Phase.ENDED for c in self.calls.values())
            call = self._new_call(CallDirection.INBOUND, remote_number or "", _Phase.RINGING)
            call.rfc2833 = rfc2833
            invite = _invite_text(
                f"fake-{call.call_id}",
                remote_number,
                display_name,
                dialed_number,
                diversion_number,
                {**(x_headers or {}), **_context_header(context)},
                anonymous=anonymous,
            )
            headers = self.config.x_headers
            if busy and not self.config.call_waiting:
                call.phase = _Phase.ENDED  # 486 on the wire, told as refused, like the adapter
                self._emit(
                    call_offered(invite, call.call_id, time.time(), headers, busy_refused=True)
                )
                return None
            # The adapter's own parser reads it, so the offer is what pjsua2 would report.
            self._emit(call_offered(invite, call.call_id, time.time(), headers))
            return call.call_id

    def remote_ringing(self, call_id: CallId, code: int = 180) -> None:
        with self._lock:
            call = self._live(call_id)
            if call.phase is not _Phase.DIALING:
                raise SoftphoneError(f"call {call_id} is not dialing")
            call.phase = _Phase.EARLY
            self._emit(CallRinging(call_id, code))

    def remote_answer(self, call_id: CallId, *, rfc2833: bool = True) -> None:
        with self._lock:
            call = self._live(call_id)
            if call.phase not in (_Phase.DIALING, _Phase.EARLY):
                raise SoftphoneError(f"call {call_id} is not an outbound call in progress")
            call.rfc2833 = rfc2833
            self._connect(call)

    def remote_reject(self, call_id: CallId, code: int, reason: str = "") -> None:
        """The callee refuses an outbound call (486, 480, 404...), or the caller gives up (487)."""
        with self._lock:
            call = self._live(call_id)
            if call.phase is _Phase.CONNECTED:
                raise SoftphoneError(f"call {call_id} is already answered")
            self._end(call, code, reason)

    def remote_hangup(self, call_id: CallId, *, answered_elsewhere: bool = False) -> None:
        """``answered_elsewhere``: the proxy's CANCEL said another desk answered."""
        with self._lock:
            call = self._live(call_id)
            if call.phase is _Phase.RINGING:
                # the caller hung up while ringing, or the proxy cancelled this branch
                self._end(call, 487, "Request Terminated", elsewhere=answered_elsewhere)
            else:
                self._end(call, 200, "Normal call clearing")

    def lose_registration(self, code: int = 408, reason: str = "Request Timeout") -> None:
        """The registrar stops answering the refresh: the account is gone until it registers."""
        with self._lock:
            self.registration = RegistrationState.FAILED
            self._emit(RegistrationChanged(self.registration, code, reason, 0))

    def remote_dtmf(self, call_id: CallId, digit: str, method: DtmfMethod) -> None:
        with self._lock:
            self._connected(call_id)
            self._emit(DtmfReceived(call_id, digit, method))

    def finish_transfer(self, call_id: CallId, *, success: bool = True, code: int = 200) -> None:
        """The transferee's final NOTIFY: on success our legs (and any consult leg) end."""
        with self._lock:
            call = self._live(call_id)
            if call.transfer_target is None:
                raise SoftphoneError(f"call {call_id} has no transfer in progress")
            self._emit(TransferProgress(call_id, code, "OK" if success else "Failed"))
            self._emit(TransferCompleted(call_id, success, code))
            if not success:
                call.transfer_target = None
                return
            self._end(call, 200, "OK", transferred=True)  # our BYE after the NOTIFY
            if call.consult is not None and self.calls[call.consult].phase is not _Phase.ENDED:
                self._end(self.calls[call.consult], 200, "Replaced", transferred=True)

    # --- internals ---------------------------------------------------------------------------
    def _run(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        with self._lock:
            try:
                self._check_open()
                future.set_result(fn())
            except SoftphoneError as exc:
                future.set_exception(exc)
        return future

    def _check_open(self) -> None:
        if self.closed:
            raise SoftphoneError("the softphone is closed")

    def _emit(self, event: SoftphoneEvent) -> None:
        for sink in list(self._sinks):
            sink(event)

    def _new_call(self, direction: CallDirection, remote: str, phase: _Phase) -> FakeCall:
        call = FakeCall(f"fake-{next(self._ids)}", direction, remote, phase)
        self.calls[call.call_id] = call
        return call

    def _live(self, call_id: CallId) -> FakeCall:
        call = self.calls.get(call_id)
        if call is None or call.phase is _Phase.ENDED:
            raise UnknownCall(call_id)
        return call

    def _connected(self, call_id: CallId) -> FakeCall:
        call = self._live(call_id)
        if call.phase is not _Phase.CONNECTED:
            raise SoftphoneError(f"call {call_id} is not answered")
        return call

    def _start_ring_timer(self, call: FakeCall) -> None:
        # As the adapter: an outbound call nobody answers is given up after ring_timeout_seconds
        # (CANCEL, so 487) and reported as no answer. A timer thread stands for the SIP thread.
        timer = threading.Timer(self.config.ring_timeout_seconds, self._ring_timeout, (call,))
        timer.daemon = True
        call.ring_timer = timer
        timer.start()

    def _stop_ring_timer(self, call: FakeCall) -> None:
        if call.ring_timer is not None:
            call.ring_timer.cancel()
            call.ring_timer = None

    def _ring_timeout(self, call: FakeCall) -> None:
        with self._lock:
            if call.ring_timer is not None and call.phase in (_Phase.DIALING, _Phase.EARLY):
                self._end(call, 487, "Request Terminated", outcome_code=408)

    def _connect(self, call: FakeCall) -> None:
        self._stop_ring_timer(call)
        call.phase = _Phase.CONNECTED
        call.answered = True
        self._emit(CallAnswered(call.call_id, call.direction))
        if self.config.record_calls:
            self.start_recording(call.call_id).result()

    def _set_hold(self, call_id: CallId, held: bool) -> None:
        call = self._connected(call_id)
        if call.held != held:
            call.held = held
            self._emit(CallHeld(call_id) if held else CallResumed(call_id))

    def _set_mute(self, call_id: CallId, muted: bool) -> None:
        call = self._live(call_id)  # as the adapter: a ringing call may be muted in advance
        call.muted = muted
        self._emit(CallMuted(call_id) if muted else CallUnmuted(call_id))

    def _stop_recording(self, call: FakeCall) -> Path | None:
        path, call.recording = call.recording, None
        if path is not None:
            self._emit(RecordingStopped(call.call_id, path))
        return path

    def _end(
        self,
        call: FakeCall,
        code: int,
        reason: str,
        *,
        transferred: bool = False,
        outcome_code: int | None = None,
        elsewhere: bool = False,
    ) -> None:
        """End ``call``; ``outcome_code`` when the outcome follows another code (timeouts)."""
        self._stop_ring_timer(call)
        recording, call.recording = call.recording, None
        call.phase = _Phase.ENDED
        outcome = outcome_for(
            call.direction,
            code if outcome_code is None else outcome_code,
            answered=call.answered,
            transferred=transferred,
        )
        self._emit(CallEnded(call.call_id, code, reason, outcome, call.direction, elsewhere))
        if recording is not None:
            # After CallEnded, as the adapter: its file is complete only once the call is gone.
            self._emit(RecordingStopped(call.call_id, recording))

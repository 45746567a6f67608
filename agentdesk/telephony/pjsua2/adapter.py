"""The pjsua2 softphone: the only module that imports pjsua2.

Why one thread: pjlib aborts the whole process (SIGABRT) when it is called from a thread it
does not know, and with worker threads its callbacks arrive on pjmedia threads. So a single
``SipEngine`` thread creates the Endpoint (``threadCnt = 0``, ``mainThreadOnly = True``), pumps
``libHandleEvents(10)`` and runs queued commands between pumps. Public methods only enqueue a
closure and hand back a ``Future``. pjsua2 callbacks only translate pj objects into frozen
events from ``agentdesk.telephony.port`` and pass them to the subscribers.

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

from agentdesk.domain.ids import uuid7
from agentdesk.telephony.audio import AudioDevice, device_index
from agentdesk.telephony.flood import InviteRateLimiter
from agentdesk.telephony.offer import call_offered
from agentdesk.telephony.pjsua2.sip_thread import SipThread, Ticker, describe_error
from agentdesk.telephony.port import (
    CallAnswered,
    CallDialed,
    CallDirection,
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
from agentdesk.telephony.recording import wav_finalised
from agentdesk.telephony.sip_message import CONTEXT_HEADER, CtiContext, encode_context
from agentdesk.telephony.sip_uri import (
    account_uri,
    proxy_uri,
    refer_target,
    registrar_uri,
    target_uri,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

_TRANSPORTS = {"udp": pj.PJSIP_TRANSPORT_UDP, "tcp": pj.PJSIP_TRANSPORT_TCP}
_TLS = pj.PJSIP_TRANSPORT_TLS


class _Endpoint(pj.Endpoint):  # type: ignore[misc]
    """Steers INVITEs over the flood budget to a guard account (see ``flood``)."""

    def __init__(self, engine: SipEngine) -> None:
        super().__init__()
        self._engine = engine

    def onSelectAccount(self, prm: Any) -> None:
        try:
            guard = self._engine.guard_account_id
            if (
                guard is not None
                and str(prm.rdata.info).startswith("Request msg INVITE")
                and not self._engine.invite_limiter.admit(time.monotonic())
            ):
                # pjsua ignores an invalid account here, so we pick the guard account, whose
                # media address cannot be bound: pjsua answers 500 and no socket is created.
                prm.accountIndex = guard
        except Exception:
            log.exception("onSelectAccount failed")


class SipEngine:
    """Owns the process's single pjsua2 Endpoint on a dedicated ``SipThread``.

    Create one per process (bootstrap does it); every ``Pjsua2Softphone`` runs on it.
    """

    def __init__(
        self,
        *,
        headless: bool = True,
        log_level: int = 0,
        invite_limit: int = 24,
        invite_window: float = 0.5,
    ) -> None:
        self._headless = headless
        self._log_level = log_level
        self.ep: Any = None
        self.invite_limiter = InviteRateLimiter(invite_limit, invite_window)
        self.guard_account_id: int | None = None
        self._thread = SipThread(
            setup=self._create_endpoint, pump=self._pump, teardown=self._destroy_endpoint
        )

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the SIP thread; its result or exception lands in the Future."""
        return self._thread.submit(fn)

    def call(self, fn: Callable[[], T], timeout: float = 30.0) -> T:
        """Run ``fn`` on the SIP thread and wait for it."""
        return self._thread.call(fn, timeout)

    def add_ticker(self, ticker: Ticker) -> None:
        self._thread.add_ticker(ticker)

    def remove_ticker(self, ticker: Ticker) -> None:
        self._thread.remove_ticker(ticker)

    def close(self) -> None:
        """Stop the SIP thread and destroy the Endpoint (close every phone first)."""
        self._thread.stop()

    def _pump(self) -> None:
        # Blocks until a network event or 10 ms: low latency without busy polling.
        self.ep.libHandleEvents(10)

    def _create_endpoint(self) -> None:
        ep = _Endpoint(self)
        ep.libCreate()
        cfg = pj.EpConfig()
        # No pjsua worker threads, and every callback on the thread that pumps: pjlib aborts
        # the process on calls from unknown threads.
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.userAgent = "AgentDesk"
        cfg.logConfig.level = self._log_level
        cfg.logConfig.consoleLevel = self._log_level
        ep.libInit(cfg)
        ep.libStart()
        if self._headless:
            ep.audDevManager().setNullDev()
        self.ep = ep

    def _destroy_endpoint(self) -> None:
        if self.ep is not None:
            self.ep.libDestroy()
            self.ep = None

    # --- audio devices ----------------------------------------------------------------------
    def audio_devices(self) -> Future[list[AudioDevice]]:
        def run() -> list[AudioDevice]:
            devices = []
            for index, info in enumerate(self.ep.audDevManager().enumDev2()):
                devices.append(
                    AudioDevice(index, info.name, info.driver, info.inputCount, info.outputCount)
                )
            return devices

        return self.submit(run)

    def select_audio(self, input_name: str, output_name: str) -> Future[None]:
        """Use the named devices (empty name: keep the current one); remembered by the caller."""

        def run() -> None:
            manager = self.ep.audDevManager()
            names = [info.name for info in manager.enumDev2()]
            if input_name:
                manager.setCaptureDev(device_index(names, input_name))
            if output_name:
                manager.setPlaybackDev(device_index(names, output_name))

        return self.submit(run)


def _apply_tls(tcfg: Any, cfg: SipConfig) -> None:
    tls = tcfg.tlsConfig
    if cfg.tls_cert_file is not None:
        tls.certFile = str(cfg.tls_cert_file)
        tls.privKeyFile = str(cfg.tls_key_file or cfg.tls_cert_file)
    if cfg.tls_ca_file is not None:
        tls.CaListFile = str(cfg.tls_ca_file)
        tls.verifyServer = True


def _op(code: int = 0, headers: Mapping[str, str] | None = None) -> Any:
    prm = pj.CallOpParam(True)
    if code:
        prm.statusCode = code
    for name, value in (headers or {}).items():
        header = pj.SipHeader()
        header.hName = name
        header.hValue = value
        prm.txOption.headers.append(header)
    return prm


def _context_headers(context: CtiContext | None) -> dict[str, str]:
    return {CONTEXT_HEADER: encode_context(context)} if context is not None else {}


class _Account(pj.Account):  # type: ignore[misc]
    def __init__(self, phone: Pjsua2Softphone) -> None:
        super().__init__()
        self._phone = phone

    def onIncomingCall(self, prm: Any) -> None:
        received_at = time.time()
        try:
            self._phone._incoming(self, prm, received_at)
        except Exception:
            log.exception("onIncomingCall failed")

    def onRegStarted(self, prm: Any) -> None:
        if prm.renew:
            self._phone._emit(RegistrationChanged(RegistrationState.REGISTERING, 0, "", 0))

    def onRegState(self, prm: Any) -> None:
        code = int(prm.code)
        expires = int(prm.expiration)
        if 200 <= code < 300:
            state = RegistrationState.REGISTERED if expires > 0 else RegistrationState.UNREGISTERED
        else:
            state = RegistrationState.FAILED
        self._phone._emit(RegistrationChanged(state, code, str(prm.reason), expires))


class _Call(pj.Call):  # type: ignore[misc]
    """One pjsua2 call plus what we know about it."""

    def __init__(
        self,
        phone: Pjsua2Softphone,
        account: _Account,
        our_id: CallId,
        direction: CallDirection,
        pj_call_id: int = pj.PJSUA_INVALID_ID,
    ) -> None:
        super().__init__(account, pj_call_id)
        self.phone = phone
        self.our_id = our_id
        self.direction = direction
        self.answered = False
        self.ringing_sent = False
        self.held = False
        self.muted = False
        self.silent = False  # auto-rejected busy calls produce no events
        self.transferred = False
        self.timed_out = False
        self.ended = False
        self.deadline: float | None = None
        self.auto_answer_at: float | None = None
        self.recorder: Any = None
        self.recording_path: Path | None = None
        self.consult_of: CallId | None = None
        self.consult: CallId | None = None
        self.context: CtiContext | None = None

    def audio(self) -> Any | None:
        """The call's active audio media, or None while there is none."""
        try:
            info = self.getInfo()
        except Exception:
            return None
        for index, media in enumerate(info.media):
            if media.type == pj.PJMEDIA_TYPE_AUDIO and media.status in (
                pj.PJSUA_CALL_MEDIA_ACTIVE,
                pj.PJSUA_CALL_MEDIA_REMOTE_HOLD,
            ):
                return self.getAudioMedia(index)
        return None

    def onCallState(self, prm: Any) -> None:
        try:
            self.phone._call_state(self)
        except Exception:
            log.exception("onCallState failed")

    def onCallMediaState(self, prm: Any) -> None:
        try:
            self.phone._media_state(self)
        except Exception:
            log.exception("onCallMediaState failed")

    def onDtmfDigit(self, prm: Any) -> None:
        method = (
            DtmfMethod.SIP_INFO
            if prm.method == pj.PJSUA_DTMF_METHOD_SIP_INFO
            else DtmfMethod.RFC2833
        )
        self.phone._emit(DtmfReceived(self.our_id, str(prm.digit), method))

    def onCallTransferStatus(self, prm: Any) -> None:
        try:
            self.phone._transfer_status(self, int(prm.statusCode), str(prm.reason), prm)
        except Exception:
            log.exception("onCallTransferStatus failed")


class Pjsua2Softphone:
    """The ``Softphone`` port on pjsua2: one account on its own transports, on a ``SipEngine``."""

    def __init__(self, engine: SipEngine, config: SipConfig) -> None:
        self._engine = engine
        self._config = config
        self._sinks: list[EventSink] = []
        self._sinks_lock = threading.Lock()
        self._calls: dict[CallId, _Call] = {}
        self._graveyard: list[Any] = []
        self._pending_stops: list[tuple[CallId, Path, float]] = []
        self._transport_ids: list[int] = []
        self._account: _Account | None = None
        self._guard: Any = None
        self._password: str | None = None
        self._closed = False
        try:
            engine.call(self._open)
        except Exception:
            # e.g. the port is taken: release whatever was created before failing
            engine.call(self._teardown)
            raise
        engine.add_ticker(self._tick)

    @property
    def config(self) -> SipConfig:
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
        return self._submit(lambda: self._live(call_id).answer(_op(code)))

    def dial(self, target: str, headers: Mapping[str, str] | None = None) -> Future[CallId]:
        return self._submit(lambda: self._dial(target, dict(headers or {})))

    def hangup(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._hangup(call_id))

    def hold(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._live(call_id).setHold(_op()))

    def resume(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._resume(call_id))

    def mute(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._set_mute(call_id, True))

    def unmute(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._set_mute(call_id, False))

    def send_dtmf(self, call_id: CallId, digits: str) -> Future[DtmfMethod]:
        return self._submit(lambda: self._send_dtmf(call_id, digits))

    def blind_transfer(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[None]:
        return self._submit(lambda: self._blind_transfer(call_id, target, context))

    def start_consult(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[CallId]:
        return self._submit(lambda: self._start_consult(call_id, target, context))

    def complete_consult(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._complete_consult(call_id))

    def cancel_consult(self, call_id: CallId) -> Future[None]:
        return self._submit(lambda: self._cancel_consult(call_id))

    def start_recording(self, call_id: CallId, path: Path | None = None) -> Future[Path]:
        return self._submit(lambda: self._start_recording(self._live(call_id), path))

    def stop_recording(self, call_id: CallId) -> Future[Path | None]:
        return self._submit(lambda: self._stop_recording(self._live(call_id)))

    def close(self) -> None:
        """Hang up, unregister, and free every call, recorder, account and transport."""
        if self._closed:
            return
        self._engine.call(self._teardown)
        self._engine.remove_ticker(self._tick)
        self._closed = True

    # --- SIP-thread internals ---------------------------------------------------------------
    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        if self._closed:
            future: Future[T] = Future()
            future.set_exception(SoftphoneError("the softphone is closed"))
            return future
        return self._engine.submit(fn)

    def _emit(self, event: SoftphoneEvent) -> None:
        with self._sinks_lock:
            sinks = list(self._sinks)
        for sink in sinks:
            try:
                sink(event)
            except Exception:
                log.exception("event subscriber failed on %r", event)

    @staticmethod
    def _new_id() -> CallId:
        # Time-ordered and unique per process even across phones re-created on one port.
        return str(uuid7())

    def _live(self, call_id: CallId) -> _Call:
        call = self._calls.get(call_id)
        if call is None or call.ended:
            raise UnknownCall(call_id)
        return call

    def _open(self) -> None:
        ep = self._engine.ep
        cfg = self._config
        kinds = [_TLS] if cfg.transport == "tls" else [_TRANSPORTS["udp"], _TRANSPORTS["tcp"]]
        for kind in kinds:
            tcfg = pj.TransportConfig()
            tcfg.port = cfg.port
            tcfg.boundAddress = cfg.bind_address
            tcfg.publicAddress = cfg.bind_address
            if kind == _TLS:
                _apply_tls(tcfg, cfg)
            self._transport_ids.append(ep.transportCreate(kind, tcfg))
        self._make_guard()
        self._apply_codecs()
        if not cfg.headless and (cfg.input_device or cfg.output_device):
            manager = ep.audDevManager()
            names = [info.name for info in manager.enumDev2()]
            if cfg.input_device:
                manager.setCaptureDev(device_index(names, cfg.input_device))
            if cfg.output_device:
                manager.setPlaybackDev(device_index(names, cfg.output_device))
        if cfg.mode == "direct":
            self._account = self._make_account(register=False)

    def _make_guard(self) -> None:
        """The account flood INVITEs are steered to: its media address (TEST-NET-1, RFC 5737)
        is never local, so pjsua refuses the call with 500 before opening any socket."""
        gcfg = pj.AccountConfig()
        gcfg.idUri = "sip:flood-guard@invalid"
        gcfg.sipConfig.transportId = self._transport_ids[0]
        gcfg.natConfig.iceEnabled = False
        gcfg.mediaConfig.transportConfig.boundAddress = "192.0.2.1"
        guard = pj.Account()
        guard.create(gcfg, False)
        self._guard = guard
        self._engine.guard_account_id = guard.getId()

    def _apply_codecs(self) -> None:
        if not self._config.codecs:
            return
        ep = self._engine.ep
        wanted = [c.lower() for c in self._config.codecs]
        for codec in ep.codecEnum2():
            name = codec.codecId.split("/", 1)[0].lower()
            priority = 255 - wanted.index(name) if name in wanted else 0
            ep.codecSetPriority(codec.codecId, priority)

    def _make_account(self, *, register: bool) -> _Account:
        cfg = self._config
        acfg = pj.AccountConfig()
        acfg.idUri = account_uri(cfg)
        transport_id = self._transport_ids[0 if cfg.transport != "tcp" else 1]
        acfg.sipConfig.transportId = transport_id
        if cfg.outbound_proxy:
            acfg.sipConfig.proxies.append(proxy_uri(cfg))
        if register:
            acfg.regConfig.registrarUri = registrar_uri(cfg)
            acfg.regConfig.registerOnAdd = True
            acfg.regConfig.timeoutSec = cfg.register_expires
            acfg.regConfig.retryIntervalSec = cfg.register_retry_seconds
            acfg.regConfig.firstRetryIntervalSec = cfg.register_first_retry_seconds
            acfg.regConfig.randomRetryIntervalSec = 0
            acfg.regConfig.delayBeforeRefreshSec = min(5, max(1, cfg.register_expires // 4))
            user = cfg.auth_username or cfg.username
            cred = pj.AuthCredInfo("digest", "*", user, 0, self._password or "")
            acfg.sipConfig.authCreds.append(cred)
        acfg.natConfig.iceEnabled = False
        acfg.mediaConfig.transportConfig.boundAddress = cfg.bind_address
        account = _Account(self)
        account.create(acfg, True)
        return account

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

    def _incoming(self, account: _Account, prm: Any, received_at: float) -> None:
        call = _Call(self, account, self._new_id(), CallDirection.INBOUND, prm.callId)
        self._calls[call.our_id] = call
        busy = any(not c.ended and c is not call and not c.silent for c in self._calls.values())
        if busy and not self._config.call_waiting:
            call.silent = True
            # Not from inside this callback: pjsua aborts (pjsip_rx_data_free_cloned assertion)
            # when a large INVITE gets its final answer here. The next pump answers 486.
            self._engine.submit(lambda: self._answer_quietly(call, 486))
            return
        call.answer(_op(180))
        call.ringing_sent = True
        try:
            whole = str(prm.rdata.wholeMsg)
        except Exception:  # the identity is then unknown, but the call still rings
            whole = ""
        event = call_offered(whole, call.our_id, received_at, self._config.x_headers)
        call.context = event.context
        if self._config.auto_answer_seconds is not None:
            call.auto_answer_at = time.monotonic() + self._config.auto_answer_seconds
        self._emit(event)

    def _answer(self, call_id: CallId) -> None:
        call = self._live(call_id)
        if call.direction is not CallDirection.INBOUND or call.answered:
            raise SoftphoneError(f"call {call_id} is not ringing")
        call.auto_answer_at = None
        call.answer(_op(200))

    def _dial(self, target: str, headers: dict[str, str]) -> CallId:
        if self._account is None:
            raise SoftphoneError("no account: register first")
        uri = target_uri(target, self._config)
        call = _Call(self, self._account, self._new_id(), CallDirection.OUTBOUND)
        self._calls[call.our_id] = call
        try:
            call.makeCall(uri, _op(headers=headers))
        except Exception:
            call.ended = True
            self._graveyard.append(call)
            del self._calls[call.our_id]
            raise
        call.deadline = time.monotonic() + self._config.ring_timeout_seconds
        sip_call_id = ""
        with contextlib.suppress(Exception):
            sip_call_id = str(call.getInfo().callIdString)
        self._emit(CallDialed(call.our_id, sip_call_id, uri))
        return call.our_id

    def _hangup(self, call_id: CallId) -> None:
        call = self._live(call_id)
        call.hangup(
            _op(603 if call.direction is CallDirection.INBOUND and not call.answered else 0)
        )

    def _resume(self, call_id: CallId) -> None:
        call = self._live(call_id)
        prm = _op()
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        call.reinvite(prm)

    def _set_mute(self, call_id: CallId, muted: bool) -> None:
        call = self._live(call_id)
        call.muted = muted
        self._connect_media(call)
        self._emit(CallMuted(call_id) if muted else CallUnmuted(call_id))

    def _send_dtmf(self, call_id: CallId, digits: str) -> DtmfMethod:
        call = self._live(call_id)
        prm = pj.CallSendDtmfParam()
        prm.digits = digits
        prm.method = pj.PJSUA_DTMF_METHOD_RFC2833
        try:
            call.sendDtmf(prm)
            return DtmfMethod.RFC2833
        except Exception as exc:
            # The far end did not offer telephone-event: fall back to SIP INFO.
            log.info("RFC 2833 DTMF refused (%s); sending SIP INFO", describe_error(exc))
        prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO
        prm.duration = 160
        call.sendDtmf(prm)
        return DtmfMethod.SIP_INFO

    def _blind_transfer(self, call_id: CallId, target: str, context: CtiContext | None) -> None:
        call = self._live(call_id)
        refer_to = refer_target(target_uri(target, self._config), context)
        call.xfer(refer_to, _op(headers=_context_headers(context)))
        call.context = context

    def _start_consult(self, call_id: CallId, target: str, context: CtiContext | None) -> CallId:
        original = self._live(call_id)
        if original.consult is not None and original.consult in self._calls:
            raise SoftphoneError(f"call {call_id} already has a consult call")
        if not original.held:
            original.setHold(_op())
        consult_id = self._dial(target, _context_headers(context))
        self._calls[consult_id].consult_of = call_id
        original.consult = consult_id
        original.context = context
        return consult_id

    def _complete_consult(self, call_id: CallId) -> None:
        original = self._live(call_id)
        if original.consult is None:
            raise SoftphoneError(f"call {call_id} has no consult call")
        consult = self._live(original.consult)
        if not consult.answered:
            raise SoftphoneError("the consult call is not answered yet")
        original.xferReplaces(consult, _op(headers=_context_headers(original.context)))

    def _cancel_consult(self, call_id: CallId) -> None:
        original = self._live(call_id)
        if original.consult is None:
            raise SoftphoneError(f"call {call_id} has no consult call")
        consult = self._calls.get(original.consult)
        if consult is not None and not consult.ended:
            consult.hangup(_op())
        original.consult = None
        if original.held:
            self._resume(call_id)

    def _transfer_status(self, call: _Call, code: int, reason: str, prm: Any) -> None:
        self._emit(TransferProgress(call.our_id, code, reason))
        if not prm.finalNotify:
            return
        success = 200 <= code < 300
        self._emit(TransferCompleted(call.our_id, success, code))
        prm.cont = False
        if success and not call.ended:
            # The transferee has the call now: drop our leg (and the consult leg, if any).
            call.transferred = True
            self._engine.submit(lambda: self._hangup_quietly(call))
            consult = self._calls.get(call.consult) if call.consult is not None else None
            if consult is not None:
                # The target normally BYEs the replaced dialog itself; ours may cross it (481).
                consult.transferred = True
                self._engine.submit(lambda: self._hangup_quietly(consult))

    def _answer_quietly(self, call: _Call, code: int) -> None:
        if not call.ended:
            with contextlib.suppress(Exception):
                call.answer(_op(code))

    def _hangup_quietly(self, call: _Call) -> None:
        if not call.ended:
            with contextlib.suppress(Exception):
                call.hangup(_op())

    def _call_state(self, call: _Call) -> None:
        info = call.getInfo()
        state = info.state
        if state == pj.PJSIP_INV_STATE_EARLY and call.direction is CallDirection.OUTBOUND:
            code = int(info.lastStatusCode)
            if code in (180, 183) and not call.ringing_sent:
                call.ringing_sent = True
                self._emit(CallRinging(call.our_id, code))
        elif state == pj.PJSIP_INV_STATE_CONFIRMED and not call.answered:
            call.answered = True
            call.deadline = None
            call.auto_answer_at = None
            self._emit(CallAnswered(call.our_id, call.direction))
            if self._config.record_calls and call.recorder is None:
                self._start_recording(call, None)
        elif state == pj.PJSIP_INV_STATE_DISCONNECTED and not call.ended:
            call.ended = True
            code = int(info.lastStatusCode)
            if call.recorder is not None:
                self._stop_recording(call)
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
                self._emit(
                    CallEnded(call.our_id, code, str(info.lastReason), outcome, call.direction)
                )
            # Never delete a Call inside its own callback: the ticker drops it later.
            self._graveyard.append(call)

    def _media_state(self, call: _Call) -> None:
        info = call.getInfo()
        local_hold = any(
            m.type == pj.PJMEDIA_TYPE_AUDIO and m.status == pj.PJSUA_CALL_MEDIA_LOCAL_HOLD
            for m in info.media
        )
        self._connect_media(call)
        if local_hold and not call.held:
            call.held = True
            self._emit(CallHeld(call.our_id))
        elif not local_hold and call.held:
            call.held = False
            self._emit(CallResumed(call.our_id))

    def _connect_media(self, call: _Call) -> None:
        """(Re)wire the conference bridge: mic -> call, call -> speaker, both -> recorder."""
        audio = call.audio()
        if audio is None:
            return
        manager = self._engine.ep.audDevManager()
        mic = manager.getCaptureDevMedia()
        speaker = manager.getPlaybackDevMedia()
        audio.startTransmit(speaker)
        if call.muted:
            with contextlib.suppress(Exception):
                mic.stopTransmit(audio)
        else:
            mic.startTransmit(audio)
        if call.recorder is not None:
            audio.startTransmit(call.recorder)
            mic.startTransmit(call.recorder)

    def _start_recording(self, call: _Call, path: Path | None) -> Path:
        if call.recorder is not None and call.recording_path is not None:
            return call.recording_path
        if path is None:
            folder = Path(self._config.recordings_dir)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{call.our_id}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        recorder = pj.AudioMediaRecorder()
        recorder.createRecorder(str(path))
        call.recorder = recorder
        call.recording_path = path
        self._connect_media(call)
        self._emit(RecordingStarted(call.our_id, path))
        return path

    def _stop_recording(self, call: _Call) -> Path | None:
        recorder, path = call.recorder, call.recording_path
        if recorder is None:
            return None
        call.recorder = None
        call.recording_path = None
        audio = call.audio()
        manager = self._engine.ep.audDevManager()
        with contextlib.suppress(Exception):
            if audio is not None:
                audio.stopTransmit(recorder)
            manager.getCaptureDevMedia().stopTransmit(recorder)
        # Destroying the recorder writes the final WAV header, but pjmedia's conference removes
        # the port asynchronously (on its clock tick): RecordingStopped waits for the header.
        del recorder
        if path is not None:
            self._pending_stops.append((call.our_id, path, time.monotonic() + 2.0))
        return path

    def _tick(self, now: float) -> None:
        for call in list(self._calls.values()):
            if call.ended:
                continue
            if call.auto_answer_at is not None and now >= call.auto_answer_at:
                call.auto_answer_at = None
                with contextlib.suppress(Exception):
                    call.answer(_op(200))
            if call.deadline is not None and now >= call.deadline and not call.answered:
                call.deadline = None
                call.timed_out = True
                with contextlib.suppress(Exception):
                    call.hangup(_op())
        if self._pending_stops:
            waiting = []
            for call_id, path, give_up in self._pending_stops:
                if wav_finalised(path) or now >= give_up:
                    self._emit(RecordingStopped(call_id, path))
                else:
                    waiting.append((call_id, path, give_up))
            self._pending_stops = waiting
        if self._graveyard:
            dead = self._graveyard
            self._graveyard = []
            for obj in dead:
                if isinstance(obj, _Call):
                    self._calls.pop(obj.our_id, None)
            dead.clear()

    def _teardown(self) -> None:
        for call in list(self._calls.values()):
            if not call.ended:
                call.silent = True
                with contextlib.suppress(Exception):
                    call.hangup(_op())
        if self._account is not None and self._config.mode == "register":
            with contextlib.suppress(Exception):
                self._account.setRegistration(False)
        # Let the BYEs / un-REGISTER go out before the objects disappear.
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and any(not c.ended for c in self._calls.values()):
            self._engine.ep.libHandleEvents(10)
        for call in self._calls.values():
            if call.recorder is not None:
                self._stop_recording(call)
        # Give pjmedia a few clock ticks to drop the recorders and write their WAV headers.
        deadline = time.monotonic() + 2.0
        while self._pending_stops and time.monotonic() < deadline:
            self._engine.ep.libHandleEvents(10)
            self._pending_stops = [p for p in self._pending_stops if not wav_finalised(p[1])]
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
        for transport_id in self._transport_ids:
            with contextlib.suppress(Exception):
                self._engine.ep.transportClose(transport_id)
        self._transport_ids.clear()

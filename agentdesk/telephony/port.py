"""The telephony port: what the rest of AgentDesk may ask of a softphone, and what it hears back.

The app talks to a ``Softphone`` only through this module. Commands are methods returning a
``concurrent.futures.Future`` so they are safe to call from any thread (the real adapter runs
its SIP stack on a dedicated thread); events are frozen dataclasses delivered to one
subscriber callback, which must be cheap and thread-safe (the app marshals them onto its
asyncio loop with ``loop.call_soon_threadsafe``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from agentdesk.domain.enums import CallDirection  # the port's, re-exported
from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.sip_message import IdentitySource

CallId = str
"""Our own call identifier (not the SIP Call-ID), unique per process."""

SipMode = Literal["direct", "register"]
SipTransport = Literal["udp", "tcp", "tls"]


class SoftphoneError(Exception):
    """A command could not be carried out (unknown call, wrong state, stack refused it)."""


class UnknownCall(SoftphoneError):
    """The call id does not name a live call."""


class RegistrationState(enum.StrEnum):
    """Where the account stands with its registrar."""

    UNREGISTERED = "unregistered"
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"


class CallOutcome(enum.StrEnum):
    """Why a call ended, in words a dialer and a report can use."""

    ANSWERED_COMPLETED = "answered_completed"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    INVALID_NUMBER = "invalid_number"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    REJECTED = "rejected"
    MISSED = "missed"
    TRANSFERRED = "transferred"
    FAILED = "failed"


class DtmfMethod(enum.StrEnum):
    RFC2833 = "rfc2833"
    SIP_INFO = "sip_info"


@dataclass(frozen=True, slots=True)
class SipConfig:
    """The ``[sip]`` settings. The password is never here: the caller passes it to ``register``."""

    mode: SipMode = "direct"
    bind_address: str = "127.0.0.1"
    port: int = 5060
    transport: SipTransport = "udp"
    registrar: str = ""
    username: str = "agent"
    auth_username: str = ""
    display_name: str = ""
    outbound_proxy: str = ""
    codecs: tuple[str, ...] = ("PCMU", "PCMA")
    record_calls: bool = False
    recordings_dir: Path = Path("recordings")
    ring_timeout_seconds: float = 30.0
    auto_answer_seconds: float | None = None
    call_waiting: bool = False
    register_expires: int = 300
    register_retry_seconds: int = 30
    register_first_retry_seconds: int = 5
    tls_cert_file: Path | None = None
    """PEM certificate (and key) for the TLS listener; the CA file verifies peers when set."""
    tls_key_file: Path | None = None
    tls_ca_file: Path | None = None
    headless: bool = True
    input_device: str = ""
    output_device: str = ""
    x_headers: tuple[str, ...] = field(default=())
    """Extra ``X-`` header names to copy into ``CallOffered`` (empty: all of them)."""


class NoRoute(enum.StrEnum):
    """Why a phone cannot place calls to phone numbers (a SIP URI may still work)."""

    NO_PROXY = "no_proxy"
    """Direct mode without ``outbound_proxy``: nobody to send a number to."""
    NO_REGISTRAR = "no_registrar"
    """Register mode without ``registrar`` (and no proxy)."""
    NOT_REGISTERED = "not_registered"
    """Register mode, but the registrar has not accepted the account (yet)."""


NO_ROUTE_REASONS: dict[NoRoute, str] = {
    NoRoute.NO_PROXY: (
        "direct SIP mode without an outbound proxy cannot call phone numbers: set [sip] "
        "outbound_proxy (Settings > SIP account > Outbound proxy) or register with a PBX"
    ),
    NoRoute.NO_REGISTRAR: (
        "register mode without a registrar cannot call phone numbers: set [sip] registrar "
        "(Settings > SIP account > Registrar)"
    ),
    NoRoute.NOT_REGISTERED: (
        "the phone is not registered with the PBX: check Settings > SIP account (registrar, "
        "user name, password)"
    ),
}
""":class:`NoRoute` in English, naming the setting to change (the UI has its own words)."""


def number_route(config: SipConfig) -> NoRoute | None:
    """Why ``config`` gives numbers no destination, or ``None`` when it does.

    A number becomes ``sip:number@registrar`` in register mode, else ``sip:number@proxy``; the
    pjsua2 adapter's request URIs follow this (``sip_uri.target_uri``).
    """
    if config.mode == "register" and config.registrar:
        return None
    if config.outbound_proxy:
        return None
    return NoRoute.NO_REGISTRAR if config.mode == "register" else NoRoute.NO_PROXY


# --- events -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistrationChanged:
    state: RegistrationState
    code: int
    reason: str
    expires: int


@dataclass(frozen=True, slots=True)
class CallOffered:
    """An inbound INVITE arrived and we are ringing (180 sent)."""

    call_id: CallId
    sip_call_id: str
    remote_number: str | None
    """Digits (with a leading ``+`` if given) of the caller; None when withheld or not a number."""
    remote_display_name: str | None
    identity_source: IdentitySource | None
    anonymous: bool
    dialed_number: str | None
    diversion_number: str | None
    x_headers: Mapping[str, str]
    context: CtiContext | None
    received_at: float
    """``time.time()`` when the SIP stack handed us the INVITE."""
    remote_user: str | None = None
    """The caller's raw user part even when it is not a number (``alice``)."""
    to_number: str | None = None
    """The ``To`` header's number: what the caller dialed, also after a proxy forked the call
    (the queue's number unless ``Diversion`` / ``History-Info`` name an earlier one)."""
    busy_refused: bool = False
    """The phone answered 486 itself (a call in progress, call waiting off): the desk logs the
    offer and does not ring."""


@dataclass(frozen=True, slots=True)
class CallDialed:
    """An outbound call was started (INVITE sent)."""

    call_id: CallId
    sip_call_id: str
    target: str


@dataclass(frozen=True, slots=True)
class CallRinging:
    """The far end of an outbound call is alerting (180/183)."""

    call_id: CallId
    code: int


@dataclass(frozen=True, slots=True)
class CallAnswered:
    call_id: CallId
    direction: CallDirection


@dataclass(frozen=True, slots=True)
class CallHeld:
    call_id: CallId


@dataclass(frozen=True, slots=True)
class CallResumed:
    call_id: CallId


@dataclass(frozen=True, slots=True)
class CallMuted:
    call_id: CallId


@dataclass(frozen=True, slots=True)
class CallUnmuted:
    call_id: CallId


@dataclass(frozen=True, slots=True)
class TransferProgress:
    call_id: CallId
    code: int
    reason: str


@dataclass(frozen=True, slots=True)
class TransferCompleted:
    call_id: CallId
    success: bool
    code: int


@dataclass(frozen=True, slots=True)
class DtmfReceived:
    call_id: CallId
    digit: str
    method: DtmfMethod


@dataclass(frozen=True, slots=True)
class RecordingStarted:
    call_id: CallId
    path: Path


@dataclass(frozen=True, slots=True)
class RecordingStopped:
    call_id: CallId
    path: Path


@dataclass(frozen=True, slots=True)
class CallEnded:
    call_id: CallId
    sip_code: int
    reason: str
    outcome: CallOutcome
    direction: CallDirection
    answered_elsewhere: bool = False
    """An inbound call ended by a CANCEL with ``Reason: SIP;cause=200``: a proxy that forked it
    saw another desk answer."""


SoftphoneEvent = (
    RegistrationChanged
    | CallOffered
    | CallDialed
    | CallRinging
    | CallAnswered
    | CallHeld
    | CallResumed
    | CallMuted
    | CallUnmuted
    | TransferProgress
    | TransferCompleted
    | DtmfReceived
    | RecordingStarted
    | RecordingStopped
    | CallEnded
)

EventSink = Callable[[SoftphoneEvent], None]


@runtime_checkable
class Softphone(Protocol):
    """A SIP user agent. Every command may be called from any thread and returns a Future.

    A command's Future fails with ``UnknownCall`` for a call id that is not live, and with
    ``SoftphoneError`` when the stack refuses the request.
    """

    @property
    def config(self) -> SipConfig:
        """The ``[sip]`` settings the phone runs with (read-only; ``mode`` says whether to
        ``register``, ``bind_address``/``port`` where a direct-mode phone listens)."""

    def subscribe(self, sink: EventSink) -> None:
        """Deliver every event to ``sink`` (called on the phone's own thread: keep it cheap)."""

    def register(self, password: str) -> Future[None]: ...
    def unregister(self) -> Future[None]: ...
    def answer(self, call_id: CallId) -> Future[None]: ...
    def reject(self, call_id: CallId, code: int = 603) -> Future[None]: ...
    def dial(self, target: str, headers: Mapping[str, str] | None = None) -> Future[CallId]: ...
    def hangup(self, call_id: CallId) -> Future[None]: ...
    def hold(self, call_id: CallId) -> Future[None]: ...
    def resume(self, call_id: CallId) -> Future[None]: ...
    def mute(self, call_id: CallId) -> Future[None]: ...
    def unmute(self, call_id: CallId) -> Future[None]: ...
    def send_dtmf(self, call_id: CallId, digits: str) -> Future[DtmfMethod]: ...
    def blind_transfer(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[None]: ...
    def start_consult(
        self, call_id: CallId, target: str, context: CtiContext | None = None
    ) -> Future[CallId]: ...
    def complete_consult(self, call_id: CallId) -> Future[None]: ...
    def cancel_consult(self, call_id: CallId) -> Future[None]: ...
    def start_recording(self, call_id: CallId, path: Path | None = None) -> Future[Path]: ...
    def stop_recording(self, call_id: CallId) -> Future[Path | None]: ...
    def close(self) -> None: ...


_FAILURE_OUTCOMES: dict[int, CallOutcome] = {
    486: CallOutcome.BUSY,
    600: CallOutcome.BUSY,
    480: CallOutcome.NO_ANSWER,
    408: CallOutcome.NO_ANSWER,
    404: CallOutcome.INVALID_NUMBER,
    484: CallOutcome.INVALID_NUMBER,
    604: CallOutcome.INVALID_NUMBER,
    487: CallOutcome.CANCELLED,
    603: CallOutcome.DECLINED,
}


def outcome_for(
    direction: CallDirection, code: int, *, answered: bool, transferred: bool = False
) -> CallOutcome:
    """Map how a call ended to a ``CallOutcome``.

    ``code`` is the final status of the INVITE for unanswered calls; an answered call ended
    normally whatever the BYE looked like.
    """
    if transferred:
        return CallOutcome.TRANSFERRED
    if answered:
        return CallOutcome.ANSWERED_COMPLETED
    if direction is CallDirection.INBOUND:
        if code == 487:
            return CallOutcome.MISSED
        if code in (486, 600, 603):
            return CallOutcome.REJECTED
        return CallOutcome.FAILED
    return _FAILURE_OUTCOMES.get(code, CallOutcome.FAILED)

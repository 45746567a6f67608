"""One pjsua2 call plus what we know about it, and the parameters of call operations.

The callbacks only hand the call to its ``CallHost`` (the phone) and return: pjsua2 invokes
them on the SIP thread, and an exception escaping into pjsua2 is only logged.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pjsua2 as pj

from agentdesk.domain.enums import CallDirection
from agentdesk.telephony.cti_context import CONTEXT_HEADER, CtiContext, encode_context
from agentdesk.telephony.offer import clean_text
from agentdesk.telephony.pjsua2.sip_thread import describe_error
from agentdesk.telephony.port import CallId, DtmfMethod, DtmfReceived, SoftphoneEvent
from agentdesk.telephony.sip_message import completed_elsewhere

log = logging.getLogger(__name__)


class CallHost(Protocol):
    """What a call reports to (the phone), always on the SIP thread."""

    def emit(self, event: SoftphoneEvent) -> None: ...
    def on_call_state(self, call: PjCall) -> None: ...
    def on_media_state(self, call: PjCall) -> None: ...
    def on_transfer_status(self, call: PjCall, code: int, reason: str, prm: Any) -> None: ...


def call_op(code: int = 0, headers: Mapping[str, str] | None = None) -> Any:
    """A ``CallOpParam`` with a status code (0: the stack's default) and extra headers."""
    prm = pj.CallOpParam(True)
    if code:
        prm.statusCode = code
    for name, value in (headers or {}).items():
        header = pj.SipHeader()
        header.hName = name
        header.hValue = value
        prm.txOption.headers.append(header)
    return prm


def context_headers(context: CtiContext | None) -> dict[str, str]:
    """The ``X-AgentDesk-Context`` header for a request, or none without a context."""
    return {CONTEXT_HEADER: encode_context(context)} if context is not None else {}


class PjCall(pj.Call):  # type: ignore[misc]
    """One pjsua2 call plus what we know about it."""

    def __init__(
        self,
        host: CallHost,
        account: Any,
        our_id: CallId,
        direction: CallDirection,
        pj_call_id: int = pj.PJSUA_INVALID_ID,
    ) -> None:
        super().__init__(account, pj_call_id)
        self.host = host
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
        self.completed_elsewhere = False
        """A CANCEL said ``Reason: SIP;cause=200`` (another branch of a fork answered)."""

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

    def locally_held(self) -> bool:
        """Whether our side put the call's audio on hold (sendonly)."""
        info = self.getInfo()  # kept in a name: SWIG frees ``media`` with a temporary info
        return any(
            m.type == pj.PJMEDIA_TYPE_AUDIO and m.status == pj.PJSUA_CALL_MEDIA_LOCAL_HOLD
            for m in info.media
        )

    def unhold(self) -> None:
        """Take the call off hold: a re-INVITE back to sendrecv."""
        prm = call_op()
        prm.opt.flag = pj.PJSUA_CALL_UNHOLD
        self.reinvite(prm)

    def send_digits(self, digits: str) -> DtmfMethod:
        """Send DTMF as RFC 2833 events, or as SIP INFO when the far end offered none."""
        prm = pj.CallSendDtmfParam()
        prm.digits = digits
        prm.method = pj.PJSUA_DTMF_METHOD_RFC2833
        try:
            self.sendDtmf(prm)
            return DtmfMethod.RFC2833
        except Exception as exc:
            log.info("RFC 2833 DTMF refused (%s); sending SIP INFO", describe_error(exc))
        prm.method = pj.PJSUA_DTMF_METHOD_SIP_INFO
        prm.duration = 160
        self.sendDtmf(prm)
        return DtmfMethod.SIP_INFO

    def answer_quietly(self, code: int) -> None:
        """Answer with ``code`` unless the call already ended; a refusal is not an error."""
        if not self.ended:
            with contextlib.suppress(Exception):
                self.answer(call_op(code))

    def hangup_quietly(self) -> None:
        """Hang up unless the call already ended; a refusal (481 crossing a BYE) is fine."""
        if not self.ended:
            with contextlib.suppress(Exception):
                self.hangup(call_op())

    def onCallState(self, prm: Any) -> None:
        try:
            self.host.on_call_state(self)
        except Exception:
            log.exception("onCallState failed")

    def onCallTsxState(self, prm: Any) -> None:
        # The CANCEL's own headers reach us only here: the DISCONNECTED state that follows
        # is the 487's event, and the 487 carries no Reason.
        try:
            state = prm.e.body.tsxState
            if state.type == pj.PJSIP_EVENT_RX_MSG and str(state.tsx.method) == "CANCEL":
                whole = clean_text(str(state.src.rdata.wholeMsg))
                self.completed_elsewhere = completed_elsewhere(whole)
        except Exception:
            log.exception("onCallTsxState failed")

    def onCallMediaState(self, prm: Any) -> None:
        try:
            self.host.on_media_state(self)
        except Exception:
            log.exception("onCallMediaState failed")

    def onDtmfDigit(self, prm: Any) -> None:
        method = (
            DtmfMethod.SIP_INFO
            if prm.method == pj.PJSUA_DTMF_METHOD_SIP_INFO
            else DtmfMethod.RFC2833
        )
        self.host.emit(DtmfReceived(self.our_id, str(prm.digit), method))

    def onCallTransferStatus(self, prm: Any) -> None:
        try:
            self.host.on_transfer_status(self, int(prm.statusCode), str(prm.reason), prm)
        except Exception:
            log.exception("onCallTransferStatus failed")

"""Blind and attended (consult) transfer of a phone's calls, carrying the CTI context.

Blind: REFER with the context in the Refer-To URI (the transferee copies it into its INVITE)
and in a header. Attended: the original call is held, a consult call dialled with the context
header, and ``complete_consult`` REFERs the original party with ``Replaces`` of the consult
dialog. Either way, a successful final NOTIFY drops our legs and ends them as transferred.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.pjsua2.call import PjCall, call_op, context_headers
from agentdesk.telephony.pjsua2.sip_uri import refer_target, target_uri
from agentdesk.telephony.port import (
    CallId,
    EventSink,
    SipConfig,
    SoftphoneError,
    TransferCompleted,
    TransferProgress,
)

Dial = Callable[[str, dict[str, str]], CallId]


class Transfers:
    """The transfer commands of one phone (SIP thread only)."""

    def __init__(
        self,
        calls: dict[CallId, PjCall],
        config: SipConfig,
        *,
        live: Callable[[CallId], PjCall],
        dial: Dial,
        emit: EventSink,
        later: Callable[[Callable[[], None]], object],
    ) -> None:
        self._calls = calls
        self._config = config
        self._live = live
        self._dial = dial
        self._emit = emit
        self._later = later  # run on a later pump, outside the pjsua2 callback

    def blind(self, call_id: CallId, target: str, context: CtiContext | None) -> None:
        call = self._live(call_id)
        refer_to = refer_target(target_uri(target, self._config), context)
        call.xfer(refer_to, call_op(headers=context_headers(context)))
        call.context = context

    def start_consult(self, call_id: CallId, target: str, context: CtiContext | None) -> CallId:
        original = self._live(call_id)
        if original.consult is not None and original.consult in self._calls:
            raise SoftphoneError(f"call {call_id} already has a consult call")
        if not original.held:
            original.setHold(call_op())
        consult_id = self._dial(target, context_headers(context))
        self._calls[consult_id].consult_of = call_id
        original.consult = consult_id
        original.context = context
        return consult_id

    def complete_consult(self, call_id: CallId) -> None:
        original = self._live(call_id)
        if original.consult is None:
            raise SoftphoneError(f"call {call_id} has no consult call")
        consult = self._live(original.consult)
        if not consult.answered:
            raise SoftphoneError("the consult call is not answered yet")
        original.xferReplaces(consult, call_op(headers=context_headers(original.context)))

    def cancel_consult(self, call_id: CallId) -> None:
        original = self._live(call_id)
        if original.consult is None:
            raise SoftphoneError(f"call {call_id} has no consult call")
        consult = self._calls.get(original.consult)
        if consult is not None and not consult.ended:
            consult.hangup(call_op())
        original.consult = None
        if original.held:
            original.unhold()

    def on_status(self, call: PjCall, code: int, reason: str, prm: Any) -> None:
        """A NOTIFY about the transfer of ``call``; the final one settles it."""
        self._emit(TransferProgress(call.our_id, code, reason))
        if not prm.finalNotify:
            return
        success = 200 <= code < 300
        self._emit(TransferCompleted(call.our_id, success, code))
        prm.cont = False
        if success and not call.ended:
            # The transferee has the call now: drop our leg (and the consult leg, if any).
            call.transferred = True
            self._later(call.hangup_quietly)
            consult = self._calls.get(call.consult) if call.consult is not None else None
            if consult is not None:
                # The target normally BYEs the replaced dialog itself; ours may cross it (481).
                consult.transferred = True
                self._later(consult.hangup_quietly)

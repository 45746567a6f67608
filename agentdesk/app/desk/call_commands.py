"""The agent's commands on the live call: answer, hold, mute, DTMF, record, transfer.

Each command is sent to the softphone only when the call's phase allows it (a stale click does
nothing); the phone's own events then change the call's view. A command the phone refuses
becomes an error notice.
"""

from __future__ import annotations

from agentdesk.app.desk.core import DeskCore, LiveCall
from agentdesk.app.desk.events import CallPhase
from agentdesk.telephony.cti_context import CtiContext

DECLINE_CODE = 603


class CallCommands:
    """Commands into the telephony port for the agent's live call."""

    def __init__(self, core: DeskCore) -> None:
        self._core = core

    def answer(self) -> None:
        call = self._core.call
        if call is not None and call.view.phase is CallPhase.RINGING:
            self._core.command(self._core.phone.answer(call.view.call_id), "answer")

    def reject(self) -> None:
        call = self._core.call
        if call is not None and call.view.phase is CallPhase.RINGING:
            self._core.command(self._core.phone.reject(call.view.call_id, DECLINE_CODE), "reject")

    def hangup(self) -> None:
        call = self._core.call
        if call is not None:
            self._core.command(self._core.phone.hangup(call.view.call_id), "hang up")

    def toggle_hold(self) -> None:
        call, phone = self._core.call, self._core.phone
        if call is None:
            return
        if call.view.phase is CallPhase.HELD:
            self._core.command(phone.resume(call.view.call_id), "resume")
        elif call.view.phase is CallPhase.TALKING:
            self._core.command(phone.hold(call.view.call_id), "hold")

    def toggle_mute(self) -> None:
        call, phone = self._core.call, self._core.phone
        if call is None or call.view.phase not in (CallPhase.TALKING, CallPhase.HELD):
            return
        if call.view.muted:
            self._core.command(phone.unmute(call.view.call_id), "unmute")
        else:
            self._core.command(phone.mute(call.view.call_id), "mute")

    def send_dtmf(self, digits: str) -> None:
        call = self._core.call
        if call is not None and call.view.phase is CallPhase.TALKING:
            self._core.command(self._core.phone.send_dtmf(call.view.call_id, digits), "DTMF")

    def toggle_recording(self) -> None:
        call, phone = self._core.call, self._core.phone
        if call is None or call.view.phase not in (CallPhase.TALKING, CallPhase.HELD):
            return
        if call.view.recording:
            self._core.command(phone.stop_recording(call.view.call_id), "stop recording")
        else:
            self._core.command(phone.start_recording(call.view.call_id), "record")

    def blind_transfer(self, target: str) -> None:
        call = self._core.call
        if call is not None and target.strip():
            future = self._core.phone.blind_transfer(
                call.view.call_id, self._core.target(target), _context(call)
            )
            self._core.command(future, "transfer")

    def start_consult(self, target: str) -> None:
        call = self._core.call
        if call is not None and target.strip() and call.view.consult_call_id is None:
            future = self._core.phone.start_consult(
                call.view.call_id, self._core.target(target), _context(call)
            )
            self._core.command(future, "consult call")

    def complete_consult(self) -> None:
        call = self._core.call
        if call is not None and call.view.consult_call_id is not None:
            future = self._core.phone.complete_consult(call.view.call_id)
            self._core.command(future, "complete transfer")

    def cancel_consult(self) -> None:
        call = self._core.call
        if call is not None and call.view.consult_call_id is not None:
            future = self._core.phone.cancel_consult(call.view.call_id)
            self._core.command(future, "cancel transfer")


def _context(call: LiveCall) -> CtiContext | None:
    """What a transfer carries to the next desk: the linked record, else the call's own."""
    if call.party is None:
        return call.context
    return CtiContext(call.party.kind.value, str(call.party.id))

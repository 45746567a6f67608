"""Softphone events, on the loop thread: one ``match`` sends each event type to its handler.

The flow (see docs/architecture.md): ``CallOffered`` -> agent state ringing -> caller lookup on
the executor -> ``ScreenPopReady`` while the call lives. ``CallEnded`` -> wrap-up for an
answered call; an unanswered one is logged at once (no wrap-up). A call offered while the agent
is not available is refused with 480.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from agentdesk.app.desk import call_entries as entries
from agentdesk.app.desk.call_entries import TRANSFERRED
from agentdesk.app.desk.core import DeskCore, LiveCall
from agentdesk.app.desk.events import (
    CallChanged,
    CallFinished,
    CallPhase,
    CallView,
    DataChanged,
    DeskNotice,
)
from agentdesk.app.desk.outbound import Outbound
from agentdesk.app.desk.screen_pop import ScreenPops
from agentdesk.app.desk.wrapup import Wrapups
from agentdesk.app.event_log import CALL_ANSWERED, CALL_ENDED, CALL_OFFERED
from agentdesk.app.notices import NoticeKind as K
from agentdesk.app.notices import notice
from agentdesk.domain import agent_state as ast
from agentdesk.domain.changes import CALLS
from agentdesk.domain.phone import try_normalize
from agentdesk.supervision.queues import dialed_queue_number
from agentdesk.telephony import port

NOT_AVAILABLE_CODE = 480
BUSY_CODE = 486


class PhoneEvents:
    """Applies softphone events to the desk: agent state, the live call, pops, wrap-up."""

    def __init__(
        self,
        core: DeskCore,
        pops: ScreenPops,
        outbound: Outbound,
        wrapups: Wrapups,
        *,
        auto_answer_seconds: float | None,
        answer: Callable[[], None],
    ) -> None:
        self._core = core
        self._pops = pops
        self._outbound = outbound
        self._wrapups = wrapups
        self._auto_answer = auto_answer_seconds
        self._answer = answer

    def dispatch(self, event: port.SoftphoneEvent) -> None:
        match event:
            case port.RegistrationChanged():
                self.on_registration_changed(event)
            case port.CallOffered():
                self.on_call_offered(event)
            case port.CallDialed():
                self.on_call_dialed(event)
            case port.CallRinging():
                pass  # the phase stays DIALING until the answer: nothing to show
            case port.CallAnswered():
                self.on_call_answered(event)
            case port.CallHeld():
                self.on_call_held(event)
            case port.CallResumed():
                self.on_call_resumed(event)
            case port.CallMuted() | port.CallUnmuted():
                if self._core.current(event.call_id):
                    self._core.update(muted=isinstance(event, port.CallMuted))
            case port.RecordingStarted():
                self.on_recording_started(event)
            case port.RecordingStopped():
                self.on_recording_stopped(event)
            case port.TransferProgress():
                if self._core.current(event.call_id):
                    self._core.update(transfer_status=f"{event.code} {event.reason}".strip())
            case port.TransferCompleted():
                self.on_transfer_completed(event)
            case port.DtmfReceived():
                if self._core.current(event.call_id):
                    self._core.emit(DeskNotice(notice(K.CALLER_PRESSED, digit=event.digit)))
            case port.CallEnded():
                self.on_call_ended(event)

    def on_registration_changed(self, event: port.RegistrationChanged) -> None:
        detail = f"{event.code} {event.reason}".strip() if event.code else ""
        self._core.publish_registration(event.state.value, detail)

    def on_call_offered(self, event: port.CallOffered) -> None:
        core = self._core
        core.events.emit(
            CALL_OFFERED,
            event.sip_call_id,
            ts=event.received_at,
            remote=event.remote_number,
            call_id=event.call_id,
        )
        if event.busy_refused:  # the phone answered 486 itself: logged, never rung
            self._log_refused(event, BUSY_CODE, "busy")
            return
        status = core.state.status.value
        if core.closing or not core.set_state(ast.CallOffered(event.call_id)):
            core.command(core.phone.reject(event.call_id, NOT_AVAILABLE_CODE), "reject")
            self._log_refused(event, NOT_AVAILABLE_CODE, "closing" if core.closing else status)
            caller = event.remote_number or event.remote_user
            refused = (
                notice(K.CALL_REFUSED, number=caller) if caller else notice(K.WITHHELD_REFUSED)
            )
            core.emit(DeskNotice(refused))
            return
        call = self._live_call(event)
        core.call = call
        entries.opened(core, call)
        core.emit(CallChanged(call.view))
        self._pops.look_up(call)
        if self._auto_answer is not None:
            core.loop.call_later(self._auto_answer, self._auto_answer_due, event.call_id)

    def _live_call(self, event: port.CallOffered) -> LiveCall:
        core = self._core
        remote = event.remote_number or event.remote_user or ""
        number = try_normalize(remote, core.region) if event.remote_number else None
        return LiveCall(
            view=CallView(
                call_id=event.call_id,
                sip_call_id=event.sip_call_id,
                inbound=True,
                remote=number.e164 if number else remote,
                display_name=event.remote_display_name,
                phase=CallPhase.RINGING,
                started=core.now(),
            ),
            started_at=datetime.fromtimestamp(event.received_at, UTC),
            number_e164=number.e164 if number else None,
            dialed=event.dialed_number,
            context=event.context,
            queue_number=dialed_queue_number(
                event.diversion_number, event.to_number, event.dialed_number, core.region
            ),
        )

    def _log_refused(self, event: port.CallOffered, code: int, why: str) -> None:
        """An offer the desk did not ring still goes to the call log, with why, so a
        queue's "offered" counts every desk it reached."""
        call = self._live_call(event)
        call.ended_at = call.started_at
        call.end_reason = f"refused {code}: {why}"
        entries.opened(self._core, call)
        entries.ended(self._core, call)  # its own entry: a restart must not end it again

    def _auto_answer_due(self, call_id: str) -> None:
        call = self._core.current(call_id)
        if call is not None and call.view.phase is CallPhase.RINGING:
            self._answer()

    def on_call_dialed(self, event: port.CallDialed) -> None:
        call = self._core.call
        if call is None and self._outbound.dialing:
            self._outbound.on_dialed(event)
        elif call is not None and call.view.call_id != event.call_id:
            # Call waiting is off, so a second outbound leg is the consult call.
            self._core.update(consult_call_id=event.call_id, consult_connected=False)
        elif call is not None:
            self._core.update(sip_call_id=event.sip_call_id)

    def on_call_answered(self, event: port.CallAnswered) -> None:
        core = self._core
        call = core.call
        if call is None:
            return
        if event.call_id == call.view.consult_call_id:
            core.update(consult_connected=True)
            return
        if event.call_id != call.view.call_id:
            return
        core.set_state(ast.CallAnswered(event.call_id))
        call.answered_at = datetime.now(UTC)
        entries.answered(core, call)
        core.events.emit(CALL_ANSWERED, call.view.sip_call_id, call_id=event.call_id)
        core.update(phase=CallPhase.TALKING, answered=core.now())

    def on_call_held(self, event: port.CallHeld) -> None:
        call = self._core.current(event.call_id)
        if call is None:
            return
        self._core.set_state(ast.CallHeld(event.call_id))
        call.held_since = self._core.now()
        entries.held(self._core, call)
        self._core.update(phase=CallPhase.HELD)

    def on_call_resumed(self, event: port.CallResumed) -> None:
        call = self._core.current(event.call_id)
        if call is None:
            return
        self._core.set_state(ast.CallResumed(event.call_id))
        self._core.end_hold(call)
        entries.resumed(self._core, call)
        self._core.update(phase=CallPhase.TALKING)

    def on_recording_started(self, event: port.RecordingStarted) -> None:
        call = self._core.current(event.call_id)
        if call is not None:
            call.recording_path = str(event.path)
            self._core.update(recording=True)

    def on_recording_stopped(self, event: port.RecordingStopped) -> None:
        wrapped = self._core.wrapup_call
        if self._core.current(event.call_id) is not None:
            self._core.update(recording=False)
        elif wrapped is not None and wrapped.view.call_id == event.call_id:
            wrapped.recording_path = str(event.path)

    def on_transfer_completed(self, event: port.TransferCompleted) -> None:
        if call := self._core.current(event.call_id):
            self._core.update(transfer_status="transferred" if event.success else "transfer failed")
            if event.success:
                entries.transferred(self._core, call)
            if not event.success:
                failed = notice(K.TRANSFER_FAILED, code=event.code)
                self._core.emit(DeskNotice(failed, error=True))

    def on_call_ended(self, event: port.CallEnded) -> None:
        core = self._core
        call = core.call
        if call is None:
            return
        if event.call_id == call.view.consult_call_id:
            core.update(consult_call_id=None, consult_connected=False)
            return
        if event.call_id != call.view.call_id:
            return
        core.end_hold(call)
        ended_at = call.ended_at = datetime.now(UTC)
        call.answered_elsewhere = event.answered_elsewhere
        reason = f"{event.outcome.value}: {event.sip_code} {event.reason}".strip()
        if call.view.transfer_status == "transferred":
            reason = f"{TRANSFERRED}; {reason}"
        call.end_reason = reason[:100]
        core.events.emit(
            CALL_ENDED, call.view.sip_call_id, call_id=event.call_id, outcome=event.outcome.value
        )
        core.call = None
        call.view = replace(call.view, phase=CallPhase.ENDED)
        core.emit(
            CallFinished(
                call_id=event.call_id,
                inbound=call.view.inbound,
                outcome=event.outcome.value,
                sip_code=event.sip_code,
                answered=call.answered_at is not None,
                started_at=call.started_at,
                ended_at=ended_at,
                record_id=call.record_id,
            )
        )
        core.emit(CallChanged(None))
        kept = entries.ended(core, call)
        if call.answered_at is None:
            core.set_state(ast.CallFailed(event.call_id))
            journal, record_id = core.services.journal, call.record_id

            def apply() -> bool:
                entry = kept.result()
                journal.drain()
                return journal.store.is_applied(entry.id)

            def applied(done: bool) -> None:
                if done:  # the row is in the call log: the dialer links its attempt to it
                    core.emit(DataChanged(frozenset({CALLS}), event.call_id, record_id))

            core.background(apply, applied)
            return
        core.set_state(ast.CallEnded(event.call_id, core.now()))
        self._wrapups.begin(call)

"""Outbound calls: the agent (or the dialer) places a call; it becomes the desk's live call when
the phone reports it dialled.

Dialling while not ready makes the agent available for the call and puts the not-ready reason
back afterwards (a pending not-ready), so a break does not stop the agent returning a call.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future
from datetime import UTC, datetime

from agentdesk.app.desk import call_entries
from agentdesk.app.desk.core import DeskCore, LiveCall
from agentdesk.app.desk.events import (
    CallChanged,
    CallPhase,
    CallView,
    DeskNotice,
    DialFailed,
    PartyChosen,
)
from agentdesk.app.desk.screen_pop import ScreenPops
from agentdesk.app.notices import NoticeKind, notice
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain import agent_state as ast
from agentdesk.domain.phone import try_normalize
from agentdesk.telephony import port


class Outbound:
    """Places calls and turns the phone's ``CallDialed`` into the desk's live call."""

    def __init__(self, core: DeskCore, pops: ScreenPops) -> None:
        self._core = core
        self._pops = pops
        self._dialing: tuple[str, PartyRef | None] | None = None

    @property
    def dialing(self) -> bool:
        """A dial was accepted and the phone has not reported the call yet."""
        return self._dialing is not None

    def dial_refusal(self) -> str | None:
        """Why a call cannot be placed now (another call, wrap-up...), or None."""
        if self._core.call is not None or self._dialing is not None:
            return "finish the current call first"
        check = self._core.state
        if check.status is ast.AgentStatus.NOT_READY:
            check = ast.transition(check, ast.SetAvailable())
        return ast.refusal(check, ast.CallOffered("dialing"))

    def dial(self, text: str, party: PartyRef | None = None) -> str | None:
        """Place a call; returns why it cannot be placed, or None (the call shows up when the
        phone reports it dialled, or a ``DialFailed`` follows)."""
        target = self._core.target(text)
        if not target:
            return "enter a number"
        refused = self.dial_refusal()
        if refused is not None:
            return refused
        self._dialing = (target, party)
        loop = self._core.loop

        def failed(f: Future[str]) -> None:
            error = f.exception()
            if error is not None:
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(self._dial_failed, str(error))

        self._core.phone.dial(target).add_done_callback(failed)
        return None

    def _dial_failed(self, error: str) -> None:
        target = self._dialing[0] if self._dialing is not None else ""
        self._dialing = None
        self._core.emit(DeskNotice(notice(NoticeKind.CALL_NOT_PLACED, error=error), error=True))
        self._core.emit(DialFailed(target, error))

    def on_dialed(self, event: port.CallDialed) -> None:
        """The phone placed the call this desk asked for: it becomes the live call."""
        core = self._core
        assert self._dialing is not None
        target, party = self._dialing
        self._dialing = None
        reason = None
        if core.state.status is ast.AgentStatus.NOT_READY:
            reason = core.state.not_ready_reason
            core.state = ast.transition(core.state, ast.SetAvailable())
        if not core.set_state(ast.CallOffered(event.call_id)):
            core.command(core.phone.hangup(event.call_id), "hang up")
            core.emit(DialFailed(target, "the agent cannot take a call now"))
            return
        if reason is not None:
            core.set_state(ast.SetNotReady(reason))
        number = try_normalize(target, core.region)
        call = LiveCall(
            view=CallView(
                call_id=event.call_id,
                sip_call_id=event.sip_call_id,
                inbound=False,
                remote=target,
                display_name=None,
                phase=CallPhase.DIALING,
                started=core.now(),
            ),
            started_at=datetime.now(UTC),
            number_e164=number.e164 if number else None,
            party=party,
        )
        core.call = call
        call_entries.opened(core, call)
        core.emit(CallChanged(call.view))
        if party is None:
            self._pops.look_up(call)
        else:
            core.emit(PartyChosen(event.call_id, party))

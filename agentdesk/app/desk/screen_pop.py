"""The screen pop: who is calling, looked up on the DB worker, shown only while the call lives.

A CTI context header (a transfer from a colleague's desk) names the record directly; otherwise
the caller's E.164 number is looked up. A result that comes back after the call ended is
dropped (no late pop), but still links the call in wrap-up to its caller when that is certain.
When the database cannot be reached the pop says so (the number, "record lookup unavailable")
and the lookup is tried again every two seconds while the call lasts.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace

from agentdesk.app.desk import call_entries
from agentdesk.app.desk.core import DeskCore, LiveCall, log
from agentdesk.app.desk.events import DeskNotice, PartyChosen, ScreenPop, ScreenPopReady
from agentdesk.app.event_log import DESK_READY, SCREEN_POP_SHOWN
from agentdesk.app.notices import NoticeKind, notice
from agentdesk.crm.lookup.summaries import History, Match
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.enums import PhoneKind
from agentdesk.domain.phone import InvalidPhoneNumber
from agentdesk.journal.journal import unreachable

POP_RETRY_S = 2.0
"""How soon a lookup the database did not answer is tried again (while the call lasts)."""


class ScreenPops:
    """Looks callers up and links the call to the record the agent is dealing with."""

    def __init__(self, core: DeskCore) -> None:
        self._core = core

    def look_up(self, call: LiveCall) -> None:
        """Find the caller on the executor; pop the result if ``call`` is still the live one."""
        core = self._core

        def done(pop: ScreenPop) -> None:
            if core.call is not call:
                log.debug("dropping the stale screen pop for %s", call.view.call_id)
                if core.wrapup_call is call and call.party is None and pop.chosen is not None:
                    # Too late to pop, not too late to link the call to its caller.
                    self.choose_party(PartyRef(pop.chosen.kind, pop.chosen.id))
                return
            if pop.chosen is not None:
                call.party = PartyRef(pop.chosen.kind, pop.chosen.id)
                call_entries.linked(core, call)
            core.emit(ScreenPopReady(pop))

        def failed(error: BaseException) -> None:
            if not unreachable(error):
                core.emit(DeskNotice(notice(NoticeKind.WORK_FAILED, error=error), error=True))
                return
            live = core.call is call
            if live and not call.pop_shown:
                # The number, and that the record cannot be looked up: not "unknown caller".
                view = call.view
                pop = ScreenPop(
                    view.call_id, view.sip_call_id, view.remote, (), None,
                    inbound=view.inbound, unavailable=True,
                )  # fmt: skip
                core.emit(ScreenPopReady(pop))
            if live or (core.wrapup_call is call and call.party is None):
                core.loop.call_later(POP_RETRY_S, self._retry, call)

        def pop() -> ScreenPop:
            found = self._pop_for(call)
            return replace(found, queue=core.services.queue_name(call.queue_number))

        core.background(pop, done, failed)

    def _retry(self, call: LiveCall) -> None:
        core = self._core
        if core.call is call or (core.wrapup_call is call and call.party is None):
            self.look_up(call)

    def _pop_for(self, call: LiveCall) -> ScreenPop:
        """Runs on the executor."""
        services = self._core.services
        view = call.view
        if call.context is not None:
            ref = services.records.resolve_context(call.context.kind, call.context.id)
            if ref is not None:
                match = self._match_for(ref)
                return ScreenPop(
                    view.call_id, view.sip_call_id, view.remote, (match,), match, True, view.inbound
                )
        matches: tuple[Match, ...] = ()
        if call.number_e164 is not None:
            with contextlib.suppress(InvalidPhoneNumber):
                found = services.lookup.lookup(
                    call.number_e164, self._core.region, viewer=self._core.agent
                )
                matches = found.matches
        chosen = matches[0] if len(matches) == 1 else None
        return ScreenPop(
            view.call_id, view.sip_call_id, view.remote, matches, chosen, inbound=view.inbound
        )

    def _match_for(self, ref: PartyRef) -> Match:
        details = self._core.services.records.details(ref)
        kind = details.phones[0].kind if details.phones else PhoneKind.WORK
        last = details.calls[0].started_at if details.calls else None
        return Match(ref.kind, ref.id, details.name, details.company, kind, last, History())

    def window_shown(self) -> None:
        """The UI put the main window on screen: log ``desk_ready`` (start-up is timed to it).

        The softphone listens from construction (direct mode), so the window is the later step;
        ``sip`` says whether a ``register`` mode desk is registered yet.
        """
        self._core.events.emit(DESK_READY, None, sip=self._core.registration.state)

    def screen_pop_shown(self, call_id: str) -> None:
        """The UI filled the customer panel for this call's pop."""
        call = self._core.call
        if call is None or call.view.call_id != call_id or call.pop_shown:
            return
        call.pop_shown = True
        self._core.events.emit(SCREEN_POP_SHOWN, call.view.sip_call_id, call_id=call_id)

    def choose_party(self, ref: PartyRef | None) -> None:
        """Link the current call (or the call in wrap-up) to ``ref`` (chooser, new contact)."""
        core = self._core
        call = core.call or core.wrapup_call
        if call is None:
            return
        call.party = ref
        call_entries.linked(core, call)
        if core.wrapup is not None and call is core.wrapup_call:
            core.wrapup = replace(core.wrapup, party=ref)
        core.emit(PartyChosen(call.view.call_id, ref))

    def current_party(self) -> PartyRef | None:
        call = self._core.call or self._core.wrapup_call
        return call.party if call is not None else None

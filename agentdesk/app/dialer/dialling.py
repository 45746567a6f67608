"""Dialling an entry through the desk, and what follows: the attempt, the wrap-up, the link.

``start_dialing`` (the last DNC check) runs on the executor, then :meth:`DeskController.dial`
with the entry's record as the party, so the desk's screen pop, call log and wrap-up work as
for any outbound call. When the call ends the desk's ``CallFinished`` gives the SIP outcome:
the attempt (which applies the retry rules) goes into the desk's journal behind the call's own
entries, linked to the call's row, and is applied at once when the database is there. The desk
does not wrap up unanswered calls, so for them the retry rules alone decide the entry's next
state.

An answered call's wrap-up is this part's journal entry (the desk's
:class:`~agentdesk.app.desk.wrapup.WrapupOwner` hook): the call record and the entry's move by
the disposition in one transaction (:func:`~agentdesk.dialer.campaign_wrapup.
write_campaign_wrapup`). Its callback belongs to the campaign entry, not to the CRM callback
list: one callback, dialled by the dialer, so the DNC lists and calling hours are checked again
when it falls due and the call counts as an attempt of the campaign. Kept through an outage,
the attempt and the wrap-up reach the campaign when the database returns (see
:mod:`agentdesk.journal.campaign_kinds` for an entry that moved on meanwhile).

While the call and its wrap-up last, the entry's in-progress hold is renewed; a desk that dies
stops renewing, and the entry returns to the pool when the hold runs out.

A call that never left the desk is not an attempt: the phone refused to place it (no route,
registration lost: the dialer stops and says why) or a call took the line during the last check
(the dialer goes on). The entry goes back to the pool as it was
(:func:`~agentdesk.dialer.outcomes.return_undialled`), its attempts untouched.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from dataclasses import replace

from agentdesk.app.desk.events import (
    CallFinished,
    CallPhase,
    CallView,
    WrapupFinished,
    WrapupStarted,
)
from agentdesk.app.desk.wrapup import OwnedWrapup, campaign_owned
from agentdesk.app.dialer.core import DialerCore, Dialling, log
from agentdesk.app.dialer.views import (
    DialerPhase,
    EntryResult,
    attempt_outcome,
    describe,
    party_of,
    who,
)
from agentdesk.app.notices import NoticeKind as K
from agentdesk.app.notices import notice
from agentdesk.calls.dto import WrapUpSaved
from agentdesk.db.errors import RequestError
from agentdesk.dialer.campaign_wrapup import CampaignWrapupSaved
from agentdesk.dialer.entry_state import DoNotCallError, EntryState
from agentdesk.dialer.outcomes import (
    CampaignProgress,
    campaign_progress,
    keep_in_progress,
    return_undialled,
    start_dialing,
)
from agentdesk.dialer.rules import Outcome
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.journal.campaign_kinds import (
    CAMPAIGN_ATTEMPT,
    CAMPAIGN_DIAL,
    AttemptApplied,
    attempt_payload,
    dial_payload,
)

MIN_HOLD_RENEWAL_S = 1.0
HOLD_RETRY_S = 5.0
"""A renewal the database did not take (away): tried again this much later."""


class CampaignCalls:
    """The dialler's calls on the desk, from the last checks to the entry's next state."""

    def __init__(
        self,
        core: DialerCore,
        *,
        on_free: Callable[[], None],
        on_lost: Callable[[BaseException], None],
        on_stop: Callable[[], None],
        renew_hold_every: float | None = None,
    ) -> None:
        self._core = core
        self._renew_every = renew_hold_every  # None: at half of what is left of the hold
        self._on_free = on_free  # the dialer may go on: take the next entry
        self._on_lost = on_lost  # the entry could not be dialled
        self._on_stop = on_stop  # the phone cannot place calls: pause the dialer

    def dial_entry(self, entry: OfferedEntry, *, show: bool = True) -> None:
        """Dial the reserved entry; ``show=False`` for a call the stopped dialer places for
        the Callbacks tab: its phase stays, so it does not resume after the call."""
        core = self._core
        core.cancel_timer()
        dial = core.dial = Dialling(entry)
        if show:
            core.set(phase=DialerPhase.DIALING, countdown_deadline=None)
        sessions, agent = core.sessions, core.agent

        def work() -> EntryState:
            return start_dialing(sessions, entry.id, agent, now=core.clock())

        def started(state: EntryState) -> None:
            if core.dial is not dial:
                return
            dial.placed = True
            self._renew_hold_later(dial, state)
            why = core.controller.dial(entry.phone, party_of(entry))
            if why is not None:
                # Something took the line during the last check (an inbound call): the call
                # never left, so the entry goes back untouched and the dialer waits its turn.
                core.notice(notice(K.NOT_DIALLED, who=entry.phone, why=why), error=True)
                self._not_placed(dial)

        def refused(error: BaseException) -> None:
            if core.dial is not dial:
                return
            if isinstance(error, DoNotCallError):
                core.set(last_result=EntryResult(who(entry), "dnc", "dnc"))
            self._on_lost(error)

        core.background(work, started, refused)

    # -- the in-progress hold ------------------------------------------------------------------

    def _renew_hold_later(self, dial: Dialling, state: EntryState) -> None:
        if state.held_until is None:
            return
        delay = self._renew_every
        if delay is None:
            half = (state.held_until - self._core.clock()).total_seconds() / 2
            delay = max(MIN_HOLD_RENEWAL_S, half)
        dial.hold = self._core.loop.call_later(delay, self._renew_hold, dial)

    def _renew_hold(self, dial: Dialling) -> None:
        core = self._core
        dial.hold = None
        if core.dial is not dial:
            return
        sessions, agent, entry_id = core.sessions, core.agent, dial.entry.id

        def renewed(state: EntryState) -> None:
            if core.dial is dial:
                self._renew_hold_later(dial, state)

        def not_renewed(error: BaseException) -> None:
            log.info("hold of %s not renewed: %s", entry_id, error)
            if core.dial is dial and not isinstance(error, RequestError):
                # The database is away: the call and its wrap-up go on, so the hold must be
                # renewed when it returns, or the entry goes to another agent meanwhile.
                dial.hold = core.loop.call_later(HOLD_RETRY_S, self._renew_hold, dial)

        core.background(
            lambda: keep_in_progress(sessions, entry_id, agent, now=core.clock()),
            renewed,
            not_renewed,
        )

    # -- the desk's events ---------------------------------------------------------------------

    def on_call_changed(self, call: CallView) -> None:
        core, dial = self._core, self._core.dial
        if dial is None:
            return
        if dial.placed and dial.call_id is None and not call.inbound:
            dial.call_id = call.call_id
            record_id = core.controller.call_record(call.call_id)
            if record_id is not None:  # read after a crash: the call was this entry's dial
                core.controller.keep(
                    CAMPAIGN_DIAL, dial_payload(dial.entry.id, core.agent), record_id
                )
        if call.call_id == dial.call_id and call.phase is CallPhase.TALKING:
            dial.answered = True
            if core.view.phase is DialerPhase.DIALING:
                core.set(phase=DialerPhase.ON_CALL)

    def on_call_finished(self, event: CallFinished) -> None:
        dial = self._core.dial
        if dial is not None and event.call_id == dial.call_id:
            code = 200 if event.answered else event.sip_code
            outcome = attempt_outcome(event.outcome)
            self.record(dial, outcome, code, event)

    def on_dial_failed(self, reason: str) -> None:
        """The phone refused the call (no route, registration lost...): the next entries would
        fail the same way, so the dialer stops and says why; the entry goes back untouched."""
        core, dial = self._core, self._core.dial
        if dial is not None and dial.placed and dial.call_id is None:
            stopped = notice(K.DIALER_STOPPED_NOT_DIALLED, who=dial.entry.phone, why=reason)
            core.notice(stopped, True)
            self._on_stop()
            self._not_placed(dial)

    def _not_placed(self, dial: Dialling) -> None:
        core, entry_id = self._core, dial.entry.id
        sessions, agent = core.sessions, core.agent
        core.background(
            lambda: return_undialled(sessions, entry_id, agent, now=core.clock()),
            None,
            lambda error: log.info("%s not returned to the pool: %s", entry_id, error),
        )
        self._finish(dial)

    def on_wrapup_started(self, event: WrapupStarted) -> None:
        core, dial = self._core, self._core.dial
        if dial is not None and event.wrapup.call_id == dial.call_id and core.view.running:
            core.set(phase=DialerPhase.WRAP_UP)  # a paused dialer (a Callbacks-tab call) stays

    def on_wrapup_finished(self, event: WrapupFinished) -> None:
        dial = self._core.dial
        if dial is not None and event.call_id == dial.call_id:
            dial.wrapped = True
            self._conclude(dial)

    # -- the attempt and the wrap-up -----------------------------------------------------------

    def record(
        self, dial: Dialling, outcome: Outcome, sip_code: int | None, event: CallFinished
    ) -> None:
        core, entry = self._core, dial.entry
        sessions, journal = core.sessions, core.controller.services.journal
        payload = attempt_payload(
            entry.id,
            outcome,
            sip_code,
            agent=core.agent,
            started_at=event.started_at,
            ended_at=event.ended_at,
        )
        record_id = event.record_id or uuid.uuid4()  # no row: the attempt links to none
        kept = core.controller.keep(CAMPAIGN_ATTEMPT, payload, record_id)

        def work() -> tuple[AttemptApplied | None, CampaignProgress | None]:
            applied = journal.apply_now(kept.result())
            if not isinstance(applied, AttemptApplied):
                return None, None  # kept: the database is away
            progress = None
            with contextlib.suppress(Exception):  # the attempt is in: counts may wait
                progress = campaign_progress(sessions, entry.campaign)
            return applied, progress

        def done(result: tuple[AttemptApplied | None, CampaignProgress | None]) -> None:
            applied, progress = result
            dial.recorded = True
            if applied is None:
                core.notice(notice(K.ATTEMPT_KEPT, who=entry.phone))
            elif applied.state is None:
                moved = notice(K.ATTEMPT_NOT_APPLIED, who=entry.phone, error=applied.refused)
                core.notice(moved, error=True)
            else:
                core.set_result(entry, progress, describe(entry, outcome, applied.state))
            if outcome is not Outcome.ANSWERED:
                self._finish(dial)
            elif dial.wrapped:
                self._conclude(dial)
            elif core.view.phase is DialerPhase.DIALING:
                core.set(phase=DialerPhase.WRAP_UP)

        def failed(error: BaseException) -> None:
            core.notice(notice(K.ATTEMPT_NOT_RECORDED, who=entry.phone, error=error), error=True)
            dial.recorded = True
            self._finish(dial)

        core.background(work, done, failed)

    def owned_wrapup(self, call_id: str) -> OwnedWrapup | None:
        """The desk's hook: the wrap-up of a call this dialer placed is its journal entry."""
        core, dial = self._core, self._core.dial
        if dial is None or dial.call_id != call_id:
            return None
        sessions, entry = core.sessions, dial.entry
        calls = core.controller.services.calls
        owned = campaign_owned(entry.id, core.agent)

        def applied(result: object | None) -> WrapUpSaved | None:
            if not isinstance(result, CampaignWrapupSaved):
                return None  # kept: it reaches the campaign when the database returns
            progress, label = None, None
            with contextlib.suppress(Exception):  # the wrap-up is saved: counts may wait
                progress = campaign_progress(sessions, entry.campaign)
                code = result.saved.call.disposition_code
                label = next((d.labels for d in calls.dispositions() if d.code == code), None)
            dial.saved = (result, progress, label)
            return result.saved

        return replace(owned, applied=applied)

    def _conclude(self, dial: Dialling) -> None:
        """The attempt is recorded and the wrap-up saved: show where the entry stands."""
        if not dial.recorded:
            return  # the attempt's recording concludes it
        if dial.saved is None:  # kept, or not saved: nothing to show yet
            self._finish(dial)
            return
        result, progress, label = dial.saved
        entry = dial.entry
        if result.entry is not None:
            code = result.saved.call.disposition_code or ""
            self._core.set_result(entry, progress, describe(entry, code, result.entry, label))
        else:
            refused = notice(K.WRAPUP_NOT_APPLIED, who=entry.phone, error=result.refused)
            self._core.notice(refused, error=True)
        self._finish(dial)

    def _finish(self, dial: Dialling) -> None:
        core = self._core
        if dial.hold is not None:
            dial.hold.cancel()
            dial.hold = None
        if core.dial is not dial:
            return
        core.dial = None
        core.set(entry=None)
        if core.view.running:
            core.set(phase=DialerPhase.WAITING)
            self._on_free()

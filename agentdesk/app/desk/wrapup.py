"""Wrap-up: after an answered call, the agent codes it; the timer saves what was typed.

``CallEnded`` starts the wrap-up with the ``[agent] wrapup_seconds`` timer; on expiry it is saved
with the default disposition and the notes the UI pushed so far. With ``wrapup_seconds = 0`` the
call is saved at once. Every wrap-up goes into the journal behind the call's own entries. A call
placed by another use case (the dialer's campaign calls) becomes that use case's entry
(:class:`WrapupOwner`), applied with its own changes in one transaction.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from agentdesk.app.desk.core import DeskCore, LiveCall
from agentdesk.app.desk.events import (
    CallPhase,
    CallView,
    DeskNotice,
    WrapupFinished,
    WrapupStarted,
    WrapupView,
)
from agentdesk.app.event_log import WRAPUP_SAVED
from agentdesk.app.notices import NoticeKind, notice
from agentdesk.calls.dto import (
    CallbackRequest,
    CallFacts,
    DispositionInfo,
    NewCase,
    WrapUp,
    WrapUpSaved,
)
from agentdesk.crm.party_details import PartyRef
from agentdesk.dialer.campaign_wrapup import CampaignWrapupSaved
from agentdesk.domain import agent_state as ast
from agentdesk.domain.enums import CallDirection, OwnerKind
from agentdesk.journal.campaign_kinds import CAMPAIGN_WRAPUP, campaign_wrapup_payload
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import WRAPUP, wrapup_payload
from agentdesk.journal.recovery import OwedWrapup
from agentdesk.journal.store import Entry


@dataclass(frozen=True, slots=True)
class WrapupForm:
    """What the agent filled in on the wrap-up panel."""

    disposition_code: str
    notes: str = ""
    callback_due: datetime | None = None
    callback_note: str | None = None
    case_subject: str | None = None
    opportunity_id: uuid.UUID | None = None
    linked_case_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class OwnedWrapup:
    """How a use case keeps the wrap-up of one of its calls."""

    kind: str
    """The journal entry's kind (its applier saves the wrap-up with the owner's changes)."""
    payload: Callable[[dict[str, Any], datetime | None], dict[str, Any]]
    """The entry's payload from the wrap-up's (:func:`~agentdesk.journal.kinds.wrapup_payload`)
    and the callback time the agent chose (the owner keeps the callback)."""
    applied: Callable[[object | None], WrapUpSaved | None]
    """Called on the DB worker with what the applier returned (``None``: kept for later);
    returns the saved wrap-up for the desk."""


def campaign_owned(entry_id: uuid.UUID, agent: str) -> OwnedWrapup:
    """The wrap-up of a call that dialled campaign entry ``entry_id``: a ``campaign.wrapup``
    (the call's wrap-up and the entry's move by the disposition; the callback is the entry's).
    The dialer adds its own reading of the result; a wrap-up owed after a crash uses it as is."""

    def payload(wrapup: dict[str, Any], callback_due: datetime | None) -> dict[str, Any]:
        return campaign_wrapup_payload(entry_id, wrapup, agent=agent, callback_at=callback_due)

    def applied(result: object | None) -> WrapUpSaved | None:
        return result.saved if isinstance(result, CampaignWrapupSaved) else None

    return OwnedWrapup(CAMPAIGN_WRAPUP, payload, applied)


class WrapupOwner(Protocol):
    """A use case that saves the wrap-up of the calls it placed (the dialer: campaign calls)."""

    def owned_wrapup(self, call_id: str) -> OwnedWrapup | None:
        """Asked on the loop thread when the wrap-up of the desk's ``call_id`` is saved.

        ``None``: not one of its calls, the desk keeps the wrap-up alone. Otherwise the wrap-up
        becomes the owner's journal entry and writes no CRM callback: the owner keeps it (for
        the dialer, the campaign entry becomes the agent's callback).
        """
        ...


class Wrapups:
    """The wrap-up of the agent's last answered call: timer, draft notes, saving."""

    def __init__(self, core: DeskCore) -> None:
        self._core = core
        self._draft_notes = ""
        self._timer: asyncio.TimerHandle | None = None
        self.saving = False
        self.owner: WrapupOwner | None = None
        self._codes: tuple[tuple[DispositionInfo, ...], DispositionInfo | None] = ((), None)

    @property
    def codes(self) -> tuple[DispositionInfo, ...]:
        """The codes the last load returned (offered when the database is away)."""
        return self._codes[0]

    def preload(self) -> None:
        """Load the codes once at start: a wrap-up during an outage offers them."""
        calls = self._core.services.calls

        def load() -> tuple[tuple[DispositionInfo, ...], DispositionInfo | None]:
            return calls.dispositions(), calls.default_disposition()

        def loaded(result: tuple[tuple[DispositionInfo, ...], DispositionInfo | None]) -> None:
            if not self._codes[0]:
                self._codes = result

        self._core.background(load, loaded, lambda error: None)

    def begin(self, call: LiveCall) -> None:
        core = self._core
        core.wrapup_call = call
        self._draft_notes = ""
        deadline = core.state.wrapup_deadline
        seconds = core.state.wrapup_seconds
        calls = core.services.calls

        def load() -> tuple[tuple[DispositionInfo, ...], DispositionInfo | None]:
            return calls.dispositions(), calls.default_disposition()

        def loaded(result: tuple[tuple[DispositionInfo, ...], DispositionInfo | None]) -> None:
            codes, default = result
            self._codes = result
            if core.wrapup_call is not call:
                return
            core.wrapup = WrapupView(
                call_id=call.view.call_id,
                sip_call_id=call.view.sip_call_id,
                number=call.view.remote,
                party=call.party,
                deadline=deadline,
                seconds=seconds,
                dispositions=codes,
                default_code=default.code if default else None,
            )
            core.emit(WrapupStarted(core.wrapup))

        def not_loaded(error: BaseException) -> None:
            # The database is away: the codes of the last wrap-up let the agent code this one
            # (it goes into the journal like any other).
            core.emit(DeskNotice(notice(NoticeKind.WORK_FAILED, error=error), error=True))
            loaded(self._codes)

        if core.state.status is ast.AgentStatus.WRAP_UP:
            core.background(load, loaded, not_loaded)
            if deadline is not None:
                delay = max(0.0, deadline - core.now())
                self._timer = core.loop.call_later(delay, self._expired, call)
        else:  # wrap-up disabled ([agent] wrapup_seconds = 0): save at once
            self.save(call, None, expired=True)

    def begin_owed(self, owed: OwedWrapup) -> None:
        """A wrap-up the desk owes since it stopped during an answered call: ask the agent."""
        core = self._core
        facts = owed.facts
        call = LiveCall(
            view=CallView(
                call_id=f"owed-{owed.record_id}",
                sip_call_id=facts.sip_call_id or "",
                inbound=facts.direction is CallDirection.INBOUND,
                remote=facts.remote_e164 or facts.remote_raw or "",
                display_name=None,
                phase=CallPhase.ENDED,
                started=core.now(),
            ),
            started_at=facts.started_at,
            number_e164=facts.remote_e164,
            dialed=facts.local_party,
            party=_party_of(facts),
            answered_at=facts.answered_at,
            ended_at=facts.ended_at,
            end_reason=facts.end_reason,
            hold_seconds=facts.hold_seconds or 0.0,
            recording_path=facts.recording_path,
            record_id=owed.record_id,
            campaign_entry=owed.campaign_entry,
        )
        number = call.view.remote or "?"
        core.emit(DeskNotice(notice(NoticeKind.WRAPUP_OWED, number=number), error=True))
        # Wrap-up switched off ([agent] wrapup_seconds = 0): refused, and begin saves at once.
        core.set_state(ast.WrapupOwed(call.view.call_id, core.now()))
        self.begin(call)

    def set_notes(self, notes: str) -> None:
        self._draft_notes = notes

    def submit(self, form: WrapupForm) -> str | None:
        """Save the agent's wrap-up; returns why it cannot be saved, or None."""
        call = self._core.wrapup_call
        if call is None:
            return "there is no call to wrap up"
        if not form.disposition_code.strip():
            return "choose a disposition"
        if self.saving:
            return "already saving"
        self.save(call, form, expired=False)
        return None

    def _expired(self, call: LiveCall) -> None:
        self._timer = None
        if self._core.wrapup_call is call and not self.saving:
            self.save(call, None, expired=True)

    def save(self, call: LiveCall, form: WrapupForm | None, *, expired: bool) -> None:
        core = self._core
        self.saving = True
        notes = form.notes if form is not None else self._draft_notes
        facts = call_facts(call, core.agent)
        if call.ended_at is not None:  # the wrap-up ends now: its length goes to the call log
            spent = (datetime.now(UTC) - call.ended_at).total_seconds()
            facts = replace(facts, wrapup_seconds=round(max(spent, 0.0), 3))
        owned = self.owner.owned_wrapup(call.view.call_id) if self.owner is not None else None
        if owned is None and call.campaign_entry is not None:  # owed after a crash
            owned = campaign_owned(call.campaign_entry, core.agent)
        due = form.callback_due if form is not None else None
        if owned is not None and form is not None and due and form.callback_note:
            # No CRM callback row to hold the note: it stays with the call's notes.
            notes = "\n".join(part for part in (notes, form.callback_note) if part)
        journal = core.services.journal
        agent = core.agent

        def build(code: str) -> WrapUp:
            callback = None
            if form is not None and form.callback_due is not None and owned is None:
                callback = CallbackRequest(
                    due_at=form.callback_due.astimezone(UTC),
                    agent=agent,
                    phone_e164=call.number_e164,
                    note=form.callback_note or None,
                )
            case = None
            if form is not None and form.case_subject and form.case_subject.strip():
                case = NewCase(
                    subject=form.case_subject.strip(), description=notes or None,
                    zone=core.services.service_zone, opened_at=datetime.now(UTC),
                )  # fmt: skip
            return WrapUp(
                disposition_code=code,
                facts=facts,
                notes=notes,
                callback=callback,
                new_case=case,
                opportunity_id=form.opportunity_id if form is not None else None,
                linked_case_id=form.linked_case_id if form is not None and not case else None,
                actor=agent,
                record_id=call.record_id,
            )

        # Into the journal behind the call's own entries; an empty code is the default, chosen
        # when the entry is applied (the timer must not need the database).
        wrapup = wrapup_payload(build(form.disposition_code if form is not None else ""))
        work: Callable[[], WrapUpSaved | None]
        if owned is None:
            kept = core.keep(WRAPUP, wrapup, call.record_id)
            work = lambda: saved_now(journal, kept.result())  # noqa: E731
        else:
            kept = core.keep(owned.kind, owned.payload(wrapup, due), call.record_id)
            work = lambda: owned.applied(journal.apply_now(kept.result()))  # noqa: E731

        def saved(result: WrapUpSaved | None) -> None:
            self.saving = False
            # Logged for every save: with wrap-up 0 s the next call's may have begun already.
            core.events.emit(
                WRAPUP_SAVED,
                call.view.sip_call_id,
                call_id=call.view.call_id,
                disposition=result.call.disposition_code if result is not None else None,
                expired=expired,
                kept=result is None,
            )
            if core.wrapup_call is not call:
                return
            self._finish(expired)
            core.emit(WrapupFinished(call.view.call_id, result, expired, due))
            core.journal_changed()

        def failed(error: BaseException) -> None:
            self.saving = False
            not_saved = notice(NoticeKind.WRAPUP_NOT_SAVED, error=error)
            core.emit(DeskNotice(not_saved, error=True))

        core.background(work, saved, failed)

    def save_pending(self) -> None:
        """Shutdown: save a wrap-up still open with the default code and the draft notes."""
        call = self._core.wrapup_call
        if call is not None and not self.saving:
            self.save(call, None, expired=True)

    def _finish(self, expired: bool) -> None:
        core = self._core
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        core.wrapup_call = None
        core.wrapup = None
        self._draft_notes = ""
        if core.state.status is ast.AgentStatus.WRAP_UP:
            deadline = core.state.wrapup_deadline
            if expired and deadline is not None:
                core.set_state(ast.WrapupExpired(max(core.now(), deadline)))
            else:
                core.set_state(ast.WrapupDone())


def saved_now(journal: Journal, entry: Entry) -> WrapUpSaved | None:
    """Try to apply the kept wrap-up now (blocking: the DB worker).

    ``None``: the database is away and the wrap-up waits in the journal, which is a saved
    wrap-up as far as the agent is concerned. A wrap-up the database refuses (an unknown code)
    raises, so the agent can correct it; the refused entry stays in the journal, set aside.
    """
    result = journal.apply_now(entry)
    return result if isinstance(result, WrapUpSaved) else None


def _party_of(facts: CallFacts) -> PartyRef | None:
    for kind, record_id in (
        (OwnerKind.CONTACT, facts.contact_id),
        (OwnerKind.LEAD, facts.lead_id),
        (OwnerKind.ACCOUNT, facts.account_id),
    ):
        if record_id is not None:
            return PartyRef(kind, record_id)
    return None


def call_facts(call: LiveCall, agent: str) -> CallFacts:
    """What the call log records about ``call`` (answered or not)."""
    party = call.party
    ids: dict[str, uuid.UUID | None] = {"contact_id": None, "lead_id": None, "account_id": None}
    if party is not None:
        ids[f"{party.kind.value}_id"] = party.id
    contact_id, lead_id, account_id = ids["contact_id"], ids["lead_id"], ids["account_id"]
    return CallFacts(
        direction=CallDirection.INBOUND if call.view.inbound else CallDirection.OUTBOUND,
        started_at=call.started_at,
        remote_raw=call.view.remote or None,
        remote_e164=call.number_e164,
        local_party=call.dialed,
        agent=agent,
        sip_call_id=call.view.sip_call_id or None,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        hold_seconds=round(call.hold_seconds, 3) if call.answered_at else None,
        end_reason=call.end_reason,
        recording_path=call.recording_path,
        queue_number=call.queue_number,
        answered_elsewhere=call.answered_elsewhere,
        contact_id=contact_id,
        lead_id=lead_id,
        account_id=account_id,
    )

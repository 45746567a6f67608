"""Wrap-up: after an answered call, the agent codes it; the timer saves what was typed.

``CallEnded`` starts the wrap-up with the ``[agent] wrapup_seconds`` timer; on expiry it is saved
with the default disposition and the notes the UI pushed so far. With ``wrapup_seconds = 0`` the
call is saved at once. A call placed by another use case (the dialer's campaign calls) is saved
by that use case's :class:`WrapupOwner`, in one unit of work with its own changes.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from agentdesk.app.desk.core import DeskCore, LiveCall
from agentdesk.app.desk.events import DeskNotice, WrapupFinished, WrapupStarted, WrapupView
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
from agentdesk.calls.records import CallLogError
from agentdesk.domain import agent_state as ast
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import WRAPUP, wrapup_payload


@dataclass(frozen=True, slots=True)
class WrapupForm:
    """What the agent filled in on the wrap-up panel."""

    disposition_code: str
    notes: str = ""
    callback_due: datetime | None = None
    callback_note: str | None = None
    case_subject: str | None = None
    opportunity_id: uuid.UUID | None = None


WrapupSaver = Callable[[WrapUp, datetime | None], WrapUpSaved]
"""Saves a wrap-up and the owner's own changes in one unit of work (blocking: the DB worker).
The second argument is the callback time the agent chose (the owner keeps the callback)."""


class WrapupOwner(Protocol):
    """A use case that saves the wrap-up of the calls it placed (the dialer: campaign calls)."""

    def wrapup_saver(self, call_id: str) -> WrapupSaver | None:
        """Asked on the loop thread when the wrap-up of the desk's ``call_id`` is saved.

        ``None``: not one of its calls, the desk saves the wrap-up alone. Otherwise the desk
        calls the returned saver on the DB worker, and the wrap-up writes no CRM callback: the
        owner keeps it (for the dialer, the campaign entry becomes the agent's callback).
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
        saver = self.owner.wrapup_saver(call.view.call_id) if self.owner is not None else None
        due = form.callback_due if form is not None else None
        if saver is not None and form is not None and due and form.callback_note:
            # No CRM callback row to hold the note: it stays with the call's notes.
            notes = "\n".join(part for part in (notes, form.callback_note) if part)
        calls = core.services.calls
        journal = core.services.journal
        agent = core.agent

        def work() -> WrapUpSaved | None:
            # Through the journal the default code is chosen when the entry is applied: the
            # timer must not need the database that may be away.
            code = form.disposition_code if form is not None else ""
            if saver is not None and not code:
                default = calls.default_disposition()
                if default is None:
                    raise ValueError("no default disposition is configured")
                code = default.code
            callback = None
            if form is not None and form.callback_due is not None and saver is None:
                callback = CallbackRequest(
                    due_at=form.callback_due.astimezone(UTC),
                    agent=agent,
                    phone_e164=call.number_e164,
                    note=form.callback_note or None,
                )
            case = None
            if form is not None and form.case_subject and form.case_subject.strip():
                case = NewCase(subject=form.case_subject.strip(), description=notes or None)
            wrapup = WrapUp(
                disposition_code=code,
                facts=facts,
                notes=notes,
                callback=callback,
                new_case=case,
                opportunity_id=form.opportunity_id if form is not None else None,
                actor=agent,
                record_id=call.record_id,
            )
            if saver is not None:
                return saver(wrapup, due)
            return keep_and_apply(journal, wrapup)

        def saved(result: WrapUpSaved | None) -> None:
            self.saving = False
            if core.wrapup_call is not call:
                return
            core.events.emit(
                WRAPUP_SAVED,
                call.view.sip_call_id,
                call_id=call.view.call_id,
                disposition=result.call.disposition_code if result is not None else None,
                expired=expired,
                kept=result is None,
            )
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


def keep_and_apply(journal: Journal, wrapup: WrapUp) -> WrapUpSaved | None:
    """Keep the wrap-up in the journal, then try to apply it (blocking: the DB worker).

    ``None``: the database is away and the wrap-up waits in the journal, which is a saved
    wrap-up as far as the agent is concerned. A wrap-up the database refuses (an unknown code)
    raises, so the agent can correct it; the refused entry stays in the journal, set aside.
    """
    entry = journal.append(
        WRAPUP, wrapup_payload(wrapup), record_id=wrapup.record_id, actor=_actor(wrapup)
    )
    report = journal.drain()
    if entry.id in report.errors:
        raise CallLogError(report.errors[entry.id])
    saved = report.results.get(entry.id)
    return saved if isinstance(saved, WrapUpSaved) else None


def _actor(wrapup: WrapUp) -> str | None:
    return None if wrapup.actor is None else str(wrapup.actor)


def call_facts(call: LiveCall, agent: str) -> CallFacts:
    """What the call log records about ``call`` (answered or not)."""
    party = call.party
    ids: dict[str, uuid.UUID | None] = {"contact_id": None, "lead_id": None, "account_id": None}
    if party is not None:
        ids[f"{party.kind.value}_id"] = party.id
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
        **ids,
    )

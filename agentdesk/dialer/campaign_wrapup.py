"""A campaign call's wrap-up: the call record and the entry's next state in one unit of work.

The call, its disposition, notes, case and audit entry (:func:`agentdesk.calls.wrapup.
write_wrapup`) and the entry's move by the disposition, with its last attempt linked to the call
(:func:`agentdesk.dialer.entry_state.write_disposition`), commit together or not at all: a
crash or a database error between them leaves neither, and the entry stays ``in_progress``
until its desk saves again or its hold runs out (then it returns to the pool).

One refusal is not a failure of the wrap-up: when the entry cannot take the disposition
because it moved on meanwhile (its hold ran out and another agent has it, or someone else
changed it: :class:`~agentdesk.dialer.entry_state.EntryStateError`), the agent's record of the
call must not be lost to the campaign's bookkeeping. The entry is asked first
(:func:`~agentdesk.dialer.entry_state.disposition_refusal`, which changes nothing); when it
refuses, the wrap-up is saved alone (a callback the agent chose becomes a CRM callback, since
the entry cannot carry it) and :attr:`CampaignWrapupSaved.refused` says why the entry was left.
The desk's journal applies :func:`write_campaign_wrapup` in its own transaction, also long
after the call (a wrap-up kept through a database outage).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from agentdesk.calls.dto import CallbackRequest, WrapUp, WrapUpSaved
from agentdesk.calls.wrapup import write_wrapup
from agentdesk.db.engine import unit_of_work
from agentdesk.dialer.entry_state import (
    EntryState,
    StaleEntryError,
    disposition_refusal,
    stale,
    write_disposition,
)
from agentdesk.dialer.models import Attempt
from agentdesk.domain.clock import utcnow

MISSING_CALLBACK_DELAY = timedelta(days=1)
"""A callback code saved without a time (the desk's form allows it) calls back after this."""


@dataclass(frozen=True, slots=True)
class CampaignWrapupSaved:
    """The saved wrap-up, and where the entry stands (``None`` when it was ``refused``)."""

    saved: WrapUpSaved
    entry: EntryState | None
    refused: str | None = None


def write_campaign_wrapup(
    session: Session,
    entry_id: uuid.UUID,
    wrapup: WrapUp,
    *,
    agent: str,
    callback_at: datetime | None,
    now: datetime,
    attempt_of_call: bool = False,
) -> CampaignWrapupSaved:
    """Save the wrap-up of a call placed for ``entry_id`` and apply its disposition to the entry,
    in ``session``'s transaction (flushed, not committed).

    ``attempt_of_call``: the entry takes the disposition only if the call's own attempt (linked
    to ``wrapup.record_id``) is in the campaign; the journal's, whose attempt may have been set
    aside, must not pin the code on an earlier dial.

    ``wrapup`` carries no CRM callback: ``callback_at`` (the time the agent chose) makes the
    entry the agent's callback when the code asks for one. The attempt must be recorded first
    (:func:`~agentdesk.dialer.outcomes.record_attempt`): the disposition applies to it.
    Raises what :func:`~agentdesk.calls.wrapup.write_wrapup` raises, and
    :class:`~agentdesk.dialer.entry_state.StaleEntryError` when the entry changed between the
    check and the write (the caller tries again in a new transaction).
    """
    code = wrapup.disposition_code
    refused = disposition_refusal(
        session,
        entry_id,
        code,
        agent=agent,
        callback_at=callback_at,
        now=now,
        missing_callback_delay=MISSING_CALLBACK_DELAY,
    )
    if refused is None and attempt_of_call and not _has_attempt(session, entry_id, wrapup):
        refused = f"the attempt of this call is not in campaign entry {entry_id}"
    if refused is not None:
        if callback_at is not None and wrapup.callback is None:
            # The entry cannot carry the agent's callback any more: it becomes a CRM callback
            # (Callbacks tab) so the promise made to the customer is not lost with the entry.
            wrapup = replace(wrapup, callback=CallbackRequest(due_at=callback_at, agent=agent))
        return CampaignWrapupSaved(write_wrapup(session, wrapup), None, refused)
    saved = write_wrapup(session, wrapup)
    state = write_disposition(
        session,
        entry_id,
        saved.call.disposition_code or code,
        agent=agent,
        callback_at=callback_at,
        call_id=saved.call.id,
        now=now,
        missing_callback_delay=MISSING_CALLBACK_DELAY,
    )
    return CampaignWrapupSaved(saved, state)


def _has_attempt(session: Session, entry_id: uuid.UUID, wrapup: WrapUp) -> bool:
    if wrapup.record_id is None:
        return False
    found = session.scalar(
        select(Attempt.id)
        .where(Attempt.entry_id == entry_id, Attempt.call_id == wrapup.record_id)
        .limit(1)
    )
    return found is not None


def save_campaign_wrapup(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    wrapup: WrapUp,
    *,
    agent: str,
    callback_at: datetime | None,
    now: datetime | None = None,
) -> CampaignWrapupSaved:
    """:func:`write_campaign_wrapup` in a unit of work of its own.

    An entry someone changed between the check and the commit is asked again in a second
    transaction, where it refuses cleanly (the wrap-up is then saved alone).
    """
    when = now or utcnow()

    def once() -> CampaignWrapupSaved:
        try:
            with unit_of_work(sessions) as session:
                return write_campaign_wrapup(
                    session, entry_id, wrapup, agent=agent, callback_at=callback_at, now=when
                )
        except StaleDataError:  # at the commit
            raise stale(entry_id) from None

    try:
        return once()
    except StaleEntryError:
        return once()

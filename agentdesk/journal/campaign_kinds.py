"""The dialler's journal entries: a campaign call's attempt and its wrap-up.

A campaign call is a call like any other (its row from the first ring, :mod:`agentdesk.journal.
kinds`), plus what the campaign keeps of it: the attempt (the SIP outcome, which moves the
entry by the retry rules) and the wrap-up (the call's wrap-up and the entry's move by the
disposition, one transaction). Both go through the journal behind the call's own entries, so a
database outage or a crash loses neither; both carry the call row's id as their record.

Replayed late, an entry may find the campaign entry moved on (its hold ran out during the
outage and another agent has it): the attempt is then kept in the campaign's history without
touching the entry, and the wrap-up is saved alone, as the dialer does live.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from agentdesk.crm.models import Call
from agentdesk.dialer.attempts import write_attempt, write_late_attempt
from agentdesk.dialer.campaign_wrapup import CampaignWrapupSaved, write_campaign_wrapup
from agentdesk.dialer.entry_state import EntryState, EntryStateError, StaleEntryError
from agentdesk.dialer.rules import Outcome
from agentdesk.journal.journal import Appliers, RetryLater
from agentdesk.journal.kinds import apply_nothing, book_wrapup, figures_before, wrapup_in
from agentdesk.journal.store import Entry

CAMPAIGN_DIAL = "campaign.dial"
"""A desk-only mark: this call dials a campaign entry for an agent. After a crash, recovery
reads it to keep the call's attempt and make its owed wrap-up the campaign's."""
CAMPAIGN_ATTEMPT = "campaign.attempt"
CAMPAIGN_WRAPUP = "campaign.wrapup"


@dataclass(frozen=True, slots=True)
class AttemptApplied:
    """Where the entry stands after the attempt (``None``: it had moved on, see ``refused``)."""

    state: EntryState | None
    refused: str | None = None


def attempt_payload(
    entry_id: uuid.UUID,
    outcome: Outcome,
    sip_code: int | None,
    *,
    agent: str,
    started_at: datetime | None,
    ended_at: datetime | None,
) -> dict[str, Any]:
    return {
        "entry_id": str(entry_id),
        "outcome": outcome.value,
        "sip_code": sip_code,
        "agent": agent,
        "started_at": started_at.isoformat() if started_at else None,
        "ended_at": ended_at.isoformat() if ended_at else None,
    }


def dial_payload(entry_id: uuid.UUID, agent: str) -> dict[str, Any]:
    return {"entry_id": str(entry_id), "agent": agent}


def campaign_wrapup_payload(
    entry_id: uuid.UUID, wrapup: dict[str, Any], *, agent: str, callback_at: datetime | None
) -> dict[str, Any]:
    """``wrapup``: the call's wrap-up as :func:`~agentdesk.journal.kinds.wrapup_payload` has it."""
    return {
        "entry_id": str(entry_id),
        "wrapup": wrapup,
        "agent": agent,
        "callback_at": callback_at.isoformat() if callback_at else None,
    }


def _time(text: str | None, default: datetime) -> datetime:
    return datetime.fromisoformat(text) if text else default


def _call_row(session: Session, record_id: uuid.UUID | None) -> uuid.UUID | None:
    """The call row to link, if the journal put it in the log (it comes first, unless the
    database refused it)."""
    if record_id is None or session.get(Call, record_id) is None:
        return None
    return record_id


def apply_attempt(session: Session, entry: Entry) -> AttemptApplied:
    data = entry.payload
    entry_id = uuid.UUID(data["entry_id"])
    started = _time(data["started_at"], entry.created_at)
    ended = _time(data["ended_at"], entry.created_at)
    call_id = _call_row(session, entry.record_id)
    try:
        state = write_attempt(
            session,
            entry_id,
            data["outcome"],
            data["sip_code"],
            agent=data["agent"],
            call_id=call_id,
            started_at=started,
            ended_at=ended,
            now=entry.created_at,
        )
    except StaleEntryError as conflict:
        raise RetryLater(str(conflict)) from None
    except EntryStateError as moved_on:  # refused before anything changed
        write_late_attempt(
            session,
            entry_id,
            data["outcome"],
            data["sip_code"],
            agent=data["agent"],
            call_id=call_id,
            started_at=started,
            ended_at=ended,
        )
        return AttemptApplied(None, str(moved_on))
    return AttemptApplied(state)


def apply_campaign_wrapup(session: Session, entry: Entry) -> CampaignWrapupSaved:
    data = entry.payload
    callback_at = data["callback_at"]
    wrapup = wrapup_in(session, data["wrapup"], entry.created_at)
    before = figures_before(session, wrapup)
    try:
        result = write_campaign_wrapup(
            session,
            uuid.UUID(data["entry_id"]),
            wrapup,
            agent=data["agent"],
            callback_at=datetime.fromisoformat(callback_at) if callback_at else None,
            now=entry.created_at,
            attempt_of_call=True,
        )
    except StaleEntryError as conflict:
        raise RetryLater(str(conflict)) from None
    book_wrapup(session, before, wrapup, result.saved)
    return result


CAMPAIGN_APPLIERS: Appliers = {
    CAMPAIGN_DIAL: apply_nothing,
    CAMPAIGN_ATTEMPT: apply_attempt,
    CAMPAIGN_WRAPUP: apply_campaign_wrapup,
}

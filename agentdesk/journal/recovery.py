"""After a crash: close the calls the desk left open, find the wrap-ups it still owes, and
forget what is long applied.

A call's entries tell its story: opened, answered, held, ended, wrapped up. A call opened and
never ended was live when the desk stopped: it ends at the last event the journal saw, with
the end reason "desk stopped". An answered call without its wrap-up is owed one: the desk asks
the agent for it at start.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from agentdesk.calls.dto import CallFacts
from agentdesk.dialer.rules import Outcome
from agentdesk.journal.campaign_kinds import (
    CAMPAIGN_ATTEMPT,
    CAMPAIGN_DIAL,
    CAMPAIGN_WRAPUP,
    attempt_payload,
)
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_HELD,
    CALL_MISSED,
    CALL_OPEN,
    CALL_UPDATE,
    CALL_WRAPPED,
    DESK_STOPPED,
    WRAPUP,
    call_update_payload,
    facts_from,
    update_fields,
)
from agentdesk.journal.store import Entry


@dataclass(frozen=True, slots=True)
class OwedWrapup:
    """An answered call whose wrap-up was never saved: its facts as the journal knows them."""

    record_id: uuid.UUID
    facts: CallFacts
    campaign_entry: uuid.UUID | None = None
    """The campaign entry the call dialled: its wrap-up is the campaign's (the disposition
    moves the entry)."""


def story(entries: list[Entry]) -> CallFacts | None:
    """The call's facts folded from its entries (``None`` without the opening entry)."""
    facts, _held_at = _story(entries)
    return facts


def _story(entries: list[Entry]) -> tuple[CallFacts | None, datetime | None]:
    """The facts, and when the hold under way began (``None``: not on hold at the end)."""
    facts: CallFacts | None = None
    held_at: datetime | None = None
    for entry in entries:
        if entry.kind == CALL_OPEN:
            facts = facts_from(entry.payload)
        elif entry.kind == CALL_HELD:
            held_at = datetime.fromisoformat(entry.payload["held_at"])
        elif facts is not None and entry.kind in (CALL_UPDATE, CALL_END, CALL_MISSED):
            changed = update_fields(entry.payload)
            if "hold_seconds" in changed:
                held_at = None  # resumed: the seconds so far are in the update
            facts = replace(facts, **changed)
    return facts, held_at


def close_left_open(journal: Journal) -> list[uuid.UUID]:
    """End the calls opened and never ended; returns their ids. Blocking (the local file)."""
    store = journal.store
    closed = []
    for record_id in store.open_records(CALL_OPEN, (CALL_END, CALL_MISSED)):
        entries = store.of_record(record_id)
        facts, held_at = _story(entries)
        if facts is None:
            continue
        last = max(entry.created_at for entry in entries)
        ended = max(last, facts.answered_at or facts.started_at)
        kind = CALL_END if facts.answered_at is not None else CALL_MISSED
        hold = None
        if held_at is not None:  # the desk stopped during a hold: it lasted until the stop
            hold = (facts.hold_seconds or 0.0) + max(0.0, (ended - held_at).total_seconds())
        journal.append(
            kind,
            call_update_payload(ended_at=ended, end_reason=DESK_STOPPED, hold_seconds=hold),
            record_id=record_id,
            actor=entries[0].actor,
        )
        dialled = _campaign_dial(entries)
        if dialled is not None and not any(e.kind == CAMPAIGN_ATTEMPT for e in entries):
            # the dialer never heard the call end: its attempt is kept here, so the entry
            # counts the dial and waits for the owed wrap-up (or fails, unanswered)
            entry_id, agent = dialled
            outcome = Outcome.ANSWERED if facts.answered_at is not None else Outcome.FAILED
            journal.append(
                CAMPAIGN_ATTEMPT,
                attempt_payload(
                    entry_id, outcome, None, agent=agent, started_at=facts.started_at,
                    ended_at=ended,
                ),
                record_id=record_id,
                actor=entries[0].actor,
            )  # fmt: skip
        closed.append(record_id)
    return closed


def _campaign_dial(entries: list[Entry]) -> tuple[uuid.UUID, str] | None:
    """The campaign entry and agent the call dialled (its ``campaign.dial`` mark), if any."""
    for entry in entries:
        if entry.kind == CAMPAIGN_DIAL:
            return uuid.UUID(entry.payload["entry_id"]), entry.payload["agent"]
    return None


def owed_wrapups(journal: Journal) -> list[OwedWrapup]:
    """Answered calls without a wrap-up, oldest first. Blocking (the local file)."""
    store = journal.store
    owed = []
    # A wrap-up the database refused (its code was deleted meanwhile) is still owed.
    closing = (WRAPUP, CAMPAIGN_WRAPUP, CALL_WRAPPED, CALL_MISSED)
    for record_id in store.open_records(CALL_OPEN, closing, refused_closes=False):
        entries = store.of_record(record_id)
        facts = story(entries)
        if facts is not None and facts.answered_at is not None and facts.ended_at is not None:
            dialled = _campaign_dial(entries)
            owed.append(OwedWrapup(record_id, facts, dialled[0] if dialled else None))
    return owed


KEEP_APPLIED = timedelta(days=7)
"""How long applied entries stay in the file (for ``journal status`` and a look after a
problem); the shared database has them."""


def prune(journal: Journal, now: datetime) -> int:
    """Delete entries applied more than :data:`KEEP_APPLIED` ago, but never those of a call
    still open, owed a wrap-up or with a change still waiting (its story is read from them).
    Blocking (the local file)."""
    store = journal.store
    story_kept = store.open_records(CALL_OPEN, (CALL_END, CALL_MISSED))
    story_kept += [owed.record_id for owed in owed_wrapups(journal)]
    # a record with a change still waiting: if the database refuses it (a wrap-up), the call
    # is owed again and its story is read from these entries
    story_kept += store.waiting_records()
    return store.prune(now - KEEP_APPLIED, story_kept)

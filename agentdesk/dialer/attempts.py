"""One dial of a campaign entry: the attempt row, and the entry moved on by the retry rules.

:func:`write_attempt` is the step :func:`~agentdesk.dialer.outcomes.record_attempt` commits
alone and the desk's journal applies in its own transaction; :func:`write_late_attempt` keeps
a dial whose report arrived after the entry moved on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from agentdesk.dialer.campaigns import DialerError, policy_of
from agentdesk.dialer.entry_state import (
    EntryState,
    EntryStateError,
    check_held_by,
    flush_entry,
    hold_in_progress,
    load_entry,
    move_entry,
    state_of,
)
from agentdesk.dialer.models import Attempt, CampaignEntry
from agentdesk.dialer.rules import EntryStatus, Outcome, after_attempt
from agentdesk.domain.ids import uuid7
from agentdesk.org.users import find_user


@dataclass(frozen=True, slots=True)
class _Dial:
    outcome: Outcome
    sip_code: int | None
    call_id: uuid.UUID | None
    started_at: datetime
    ended_at: datetime


def _insert(
    session: Session, entry: CampaignEntry, agent_id: uuid.UUID | None, dial: _Dial
) -> uuid.UUID:
    attempt_id = uuid7()
    session.execute(
        insert(Attempt),
        {
            "id": attempt_id,
            "entry_id": entry.id,
            "campaign_id": entry.campaign_id,
            "agent_id": agent_id,
            "started_at": dial.started_at,
            "ended_at": dial.ended_at,
            "outcome": dial.outcome,
            "sip_code": dial.sip_code,
            "call_id": dial.call_id,
            "disposition_code": None,
        },
    )
    return attempt_id


def write_attempt(
    session: Session,
    entry_id: uuid.UUID,
    outcome: Outcome | str,
    sip_code: int | None,
    *,
    agent: str | None,
    call_id: uuid.UUID | None,
    started_at: datetime | None,
    ended_at: datetime | None,
    now: datetime,
) -> EntryState:
    """:func:`record_attempt` in ``session``'s transaction (flushed, not committed).

    Raises :class:`EntryStateError` before changing anything when the entry is not being
    dialled (by ``agent``).
    """
    try:
        result = Outcome(outcome)
    except ValueError:
        raise DialerError(f"unknown outcome {outcome!r}") from None
    entry, campaign = load_entry(session, entry_id)
    user = find_user(session, agent) if agent else None
    if entry.status not in (EntryStatus.RESERVED, EntryStatus.IN_PROGRESS):
        raise EntryStateError(f"campaign entry {entry_id} is {entry.status}, not being dialled")
    if user is not None:
        check_held_by(entry, user)
    entry.attempts += 1
    entry.last_outcome = result
    holder = entry.reserved_by_id
    move_entry(entry, after_attempt(policy_of(campaign), result, entry.attempts, now), now)
    if entry.status == EntryStatus.IN_PROGRESS:  # answered: held until the wrap-up
        hold_in_progress(entry, campaign, user.id if user else holder, now)
    # without a named agent the dial was the holder's (and on PostgreSQL the policies accept
    # an attempt only in the dialling login's name)
    dial = _Dial(result, sip_code, call_id, started_at or now, ended_at or now)
    attempt_id = _insert(session, entry, user.id if user else holder, dial)
    flush_entry(session, entry_id)
    return state_of(entry, attempt_id)


def write_late_attempt(
    session: Session,
    entry_id: uuid.UUID,
    outcome: Outcome | str,
    sip_code: int | None,
    *,
    agent: str,
    call_id: uuid.UUID | None,
    started_at: datetime,
    ended_at: datetime,
) -> uuid.UUID:
    """Keep a dial the entry can no longer take (it moved on while a desk's report waited, e.g.
    through a database outage) in the campaign's history, leaving the entry as it is.

    The dial happened: the attempts by outcome must count it, but the entry's state belongs
    to whoever has it now. Returns the attempt's id.
    """
    entry, _campaign = load_entry(session, entry_id)
    user = find_user(session, agent)
    dial = _Dial(Outcome(outcome), sip_code, call_id, started_at, ended_at)
    attempt_id = _insert(session, entry, user.id if user else None, dial)
    session.flush()
    return attempt_id
